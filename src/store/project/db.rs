//! Opening a project file: header checks before SQLite sees the file, the
//! pragmas (WAL, full sync, busy timeout), integrity and version checks, and
//! forward migrations. Every failure is one clear located diagnostic.
//! Must not: know the tables' contents (that is `tables`).

use crate::store::error::{Error, ErrorKind};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// `PRAGMA application_id` of every Threatwright project file ("TWM1").
pub const APPLICATION_ID: i32 = 0x5457_4D31;

/// Forward migrations, in order; migration `i` brings a file to version `i + 1`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_initial", include_str!("../migrations/0001_initial.sql")),
    ("0002_autosave_settings_layout", include_str!("../migrations/0002_autosave_settings_layout.sql")),
];

/// Schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another writer before reporting "busy".
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(2);

/// An open project file.
pub struct Db {
    pub conn: Connection,
    pub label: String,
    /// Schema version of the file (after migration when opened read-write).
    pub version: i64,
}

/// An invalid request or content (see [`fail_as`] for the other kinds).
pub fn fail(label: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Invalid, label, message)
}

/// A failure of `kind` about the file `label`.
pub fn fail_as(kind: ErrorKind, label: &str, message: impl Into<String>) -> Error {
    Error::new(kind, label, message)
}

/// "File is busy" after waiting `waited` for another writer.
pub fn busy(label: &str, waited: Duration) -> Error {
    fail_as(
        ErrorKind::Busy,
        label,
        format!("file is busy: another program is saving it (waited {} s); try again", waited.as_secs()),
    )
}

/// Whether an SQLite error means another connection holds the lock.
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked))
}

/// Maps an SQLite error to one diagnostic line.
pub fn sql_error(label: &str, e: rusqlite::Error) -> Error {
    let code = e.sqlite_error_code();
    let detail = match &e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        other => other.to_string(),
    };
    match code {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => busy(label, BUSY_TIMEOUT),
        Some(ErrorCode::NotADatabase) => {
            fail_as(ErrorKind::Corrupt, label, format!("file is corrupted or not a Threatwright project ({detail})"))
        }
        Some(ErrorCode::DatabaseCorrupt) => fail_as(ErrorKind::Corrupt, label, format!("file is corrupted ({detail})")),
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied) | Some(ErrorCode::CannotOpen) => {
            fail_as(ErrorKind::Io, label, format!("cannot open file for writing ({detail})"))
        }
        Some(ErrorCode::DiskFull) => {
            fail_as(ErrorKind::Io, label, "disk is full; the file keeps its last saved revision")
        }
        _ => fail_as(ErrorKind::Io, label, format!("cannot read project ({detail})")),
    }
}

/// What the first 100 bytes say, checked before SQLite opens the file so that
/// a text file, a foreign database or a truncated file gets a precise message.
enum Header {
    /// No such file.
    Missing,
    /// Zero bytes, or an SQLite file without any schema: safe to initialise.
    Empty,
    Ok,
}

fn check_header(path: &Path, label: &str) -> Result<Header, Error> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Header::Missing),
        Err(e) => return Err(fail_as(ErrorKind::Io, label, format!("cannot read file: {e}"))),
    };
    if meta.is_dir() {
        return Err(fail_as(ErrorKind::Io, label, "is a directory, expected a .twm project file"));
    }
    let len = meta.len();
    if len == 0 {
        return Ok(Header::Empty);
    }
    let mut head = Vec::with_capacity(100);
    fs::File::open(path)
        .and_then(|f| f.take(100).read_to_end(&mut head))
        .map_err(|e| fail_as(ErrorKind::Io, label, format!("cannot read file: {e}")))?;
    const MAGIC: &[u8; 16] = b"SQLite format 3\0";
    if !head.starts_with(MAGIC) {
        if MAGIC.starts_with(&head) {
            return Err(fail_as(
                ErrorKind::Corrupt,
                label,
                format!("file is truncated: only {len} bytes of an SQLite header"),
            ));
        }
        let texty = head.iter().all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || *b >= 0x80)
            && std::str::from_utf8(&head).is_ok();
        return Err(fail_as(
            ErrorKind::Corrupt,
            label,
            if texty {
                "not a Threatwright project: this is a text file, not an SQLite database (a YAML model must end in .yaml)"
                    .to_string()
            } else {
                "not a Threatwright project: not an SQLite database".to_string()
            },
        ));
    }
    if head.len() < 100 {
        return Err(fail_as(
            ErrorKind::Corrupt,
            label,
            format!("file is truncated: {len} bytes, shorter than the 100-byte SQLite header"),
        ));
    }
    let be32 = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536u64,
        n if n >= 512 && n.is_power_of_two() => u64::from(n),
        n => {
            return Err(fail_as(
                ErrorKind::Corrupt,
                label,
                format!("file is corrupted: header page is damaged (page size {n})"),
            ))
        }
    };
    let app_id = be32(68) as i32;
    // An SQLite file that never got a schema: what a crash during the very
    // first save of a new project leaves behind. Nothing to lose in it.
    if app_id == 0 && be32(40) == 0 && be32(60) == 0 {
        return Ok(Header::Empty);
    }
    if app_id != APPLICATION_ID {
        return Err(fail_as(
            ErrorKind::Corrupt,
            label,
            format!(
                "not a Threatwright project: an SQLite database with application id {app_id:#010x} (expected {APPLICATION_ID:#010x})"
            ),
        ));
    }
    // The in-header page count is valid when the change counter matches
    // "version valid for". With a non-empty WAL beside the file the database
    // may legitimately be shorter, so only check without one.
    let pages = u64::from(be32(28));
    let wal = wal_path(path);
    let wal_len = fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    if be32(24) == be32(92) && wal_len == 0 && pages > 0 && len < pages * page_size {
        return Err(fail_as(
            ErrorKind::Corrupt,
            label,
            format!("file is truncated: {len} of {} bytes present; restore it from a backup", pages * page_size),
        ));
    }
    Ok(Header::Ok)
}

fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push("-wal");
    s.into()
}

fn configure(conn: &Connection, label: &str, busy_timeout: Duration) -> Result<(), Error> {
    conn.busy_timeout(busy_timeout).map_err(|e| sql_error(label, e))?;
    // A 64 MiB page cache keeps a whole large save in memory until commit.
    conn.pragma_update(None, "cache_size", -65_536).map_err(|e| sql_error(label, e))?;
    Ok(())
}

fn pragma_i64(conn: &Connection, label: &str, name: &str) -> Result<i64, Error> {
    conn.pragma_query_value(None, name, |r| r.get::<_, i64>(0)).map_err(|e| sql_error(label, e))
}

/// Runs `PRAGMA integrity_check` (or the cheaper `quick_check`, which skips
/// matching indexes against tables) and reports its first findings.
pub fn integrity(conn: &Connection, label: &str, check: &str) -> Result<(), Error> {
    let mut stmt = conn.prepare(&format!("PRAGMA {check}(5)")).map_err(|e| sql_error(label, e))?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| sql_error(label, e))?;
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(())
    } else {
        Err(fail_as(ErrorKind::Corrupt, label, format!("file is corrupted ({check}: {})", rows.join("; "))))
    }
}

fn check_identity(conn: &Connection, label: &str) -> Result<i64, Error> {
    let app = pragma_i64(conn, label, "application_id")?;
    if app as i32 != APPLICATION_ID {
        return Err(fail_as(
            ErrorKind::Corrupt,
            label,
            format!("not a Threatwright project: an SQLite database with application id {app:#010x} (expected {APPLICATION_ID:#010x})"),
        ));
    }
    let version = pragma_i64(conn, label, "user_version")?;
    if version < 1 {
        return Err(fail_as(
            ErrorKind::Corrupt,
            label,
            "file is corrupted: Threatwright project without a schema version",
        ));
    }
    Ok(version)
}

/// Opens an existing project for reading; never migrates or modifies it (a
/// file from a newer schema is read as far as this build understands it).
pub fn open_read(path: &Path) -> Result<Db, Error> {
    let label = path.display().to_string();
    match check_header(path, &label)? {
        Header::Missing => return Err(fail_as(ErrorKind::Io, &label, "cannot read file: no such file")),
        Header::Empty => {
            return Err(fail(&label, "empty file, not a Threatwright project (nothing was ever saved to it)"))
        }
        Header::Ok => {}
    }
    // Read-write without create when allowed, so that the last connection to
    // close checkpoints and removes the -wal/-shm files; nothing else is written.
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .or_else(|_| {
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        })
        .map_err(|e| sql_error(&label, e))?;
    configure(&conn, &label, BUSY_TIMEOUT)?;
    conn.pragma_update(None, "query_only", true).map_err(|e| sql_error(&label, e))?;
    let version = check_identity(&conn, &label)?;
    integrity(&conn, &label, "integrity_check")?;
    Ok(Db { conn, label, version })
}

/// Opens a project for writing, creating it (or initialising a zero-byte
/// file) when `create`, and migrating an older schema forward. A file from a
/// newer schema is refused.
/// A writer waits up to `busy_timeout` for another writer.
pub fn open_write(path: &Path, create: bool, busy_timeout: Duration) -> Result<Db, Error> {
    let label = path.display().to_string();
    let fresh = match check_header(path, &label)? {
        Header::Missing | Header::Empty if !create => {
            return Err(fail(
                &label,
                "not a Threatwright project yet (no such file, or empty); save a model to it first",
            ))
        }
        Header::Missing | Header::Empty => true,
        Header::Ok => false,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_error(&label, e))?;
    configure(&conn, &label, busy_timeout)?;
    if fresh {
        // Page size and WAL are persistent in the file; set them before the
        // first transaction. 8 KiB pages suit rows of a few hundred bytes.
        conn.pragma_update(None, "page_size", 8_192).map_err(|e| sql_error(&label, e))?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| sql_error(&label, e))?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(|e| sql_error(&label, e))?;
        let mut db = Db { conn, label, version: 0 };
        migrate(&mut db, SCHEMA_VERSION, true)?;
        return Ok(db);
    }
    let version = check_identity(&conn, &label)?;
    if version > SCHEMA_VERSION {
        return Err(fail_as(
            ErrorKind::NewerSchema,
            &label,
            format!(
                "written by a newer Threatwright (schema version {version}; this build knows up to {SCHEMA_VERSION}); refusing to modify it — upgrade Threatwright"
            ),
        ));
    }
    conn.pragma_update(None, "synchronous", "FULL").map_err(|e| sql_error(&label, e))?;
    let mut db = Db { conn, label, version };
    integrity(&db.conn, &db.label, "quick_check")?;
    if version < SCHEMA_VERSION {
        migrate(&mut db, SCHEMA_VERSION, false)?;
    }
    Ok(db)
}

/// Applies the migrations after `db.version` up to `target`, all in one
/// transaction (a crash mid-migration leaves the old version intact).
pub fn migrate(db: &mut Db, target: i64, set_application_id: bool) -> Result<(), Error> {
    let label = db.label.clone();
    let tx = db.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| sql_error(&label, e))?;
    // Re-read inside the write lock: another process may have migrated it.
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| sql_error(&label, e))?;
    if set_application_id {
        tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(|e| sql_error(&label, e))?;
    }
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let to = i as i64 + 1;
        if to <= current || to > target {
            continue;
        }
        tx.execute_batch(sql)
            .map_err(|e| fail_as(ErrorKind::Corrupt, &label, format!("migration {name} failed: {e}")))?;
        tx.pragma_update(None, "user_version", to).map_err(|e| sql_error(&label, e))?;
    }
    tx.commit().map_err(|e| sql_error(&label, e))?;
    db.version = target.max(current);
    Ok(())
}

/// Creates a project file at an older schema version (for migration tests
/// and tools); the file is otherwise empty.
#[doc(hidden)]
pub fn create_at_version(path: &Path, version: i64) -> Result<(), Error> {
    let label = path.display().to_string();
    let conn = Connection::open(path).map_err(|e| sql_error(&label, e))?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| sql_error(&label, e))?;
    let mut db = Db { conn, label, version: 0 };
    migrate(&mut db, version, true)
}
