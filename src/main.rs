//! The `threatwright` command line: a thin clap layer over the library.
//!
//! Exit codes: 0 success, 1 findings or a failed check where documented,
//! 2 bad input (every problem printed, one per line, as file:line:column).
//! Must not: hold domain logic or panic on any input.

use clap::{Parser, Subcommand};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use threatwright::diag::terminal_safe;
use threatwright::engine::triage::TriageRequest;
use threatwright::engine::{self, Options};
use threatwright::model::TriageStatus;
use threatwright::risk::Severity;
use threatwright::rules::{self, Catalog};
use threatwright::{export, import, store, yaml, Diagnostic, Diagnostics};

/// mimalloc: an analysis allocates millions of small strings and vectors and
/// frees them at once; glibc's allocator spent a quarter of `analyze` on a
/// 10,000-function estate consolidating and unlinking chunks (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "threatwright", version, about = "Threat modeling and risk assessment for serverless architectures")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a model file and print every problem with its line and column
    Validate {
        /// Model file (YAML)
        model: PathBuf,
    },
    /// Derive the threats of a model, ranked by risk
    Analyze {
        /// Model file (YAML or .twm); several files, or a folder (every model
        /// under it), give one combined register and summary
        #[arg(required = true, num_args = 1.., value_name = "MODEL")]
        models: Vec<PathBuf>,
        #[command(flatten)]
        catalog: CatalogArgs,
        /// Output format
        #[arg(long, value_enum, default_value_t = AnalyzeFormat::Json)]
        format: AnalyzeFormat,
        /// Write the output to this file instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Exit 1 when an open threat at or above this severity remains
        #[arg(long, value_parser = parse_severity)]
        fail_on: Option<Severity>,
        /// Analysis date (YYYY-MM-DD) for runtime end-of-life checks; default today
        #[arg(long, value_parser = parse_date)]
        as_of: Option<String>,
    },
    /// List the rule catalog, or check rule files
    Rules {
        #[command(flatten)]
        catalog: CatalogArgs,
        /// Output format
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
        /// Check these rule files (load strictly and run their examples) instead of listing
        #[arg(long, num_args = 1.., value_name = "FILE")]
        check: Vec<PathBuf>,
    },
    /// Record a triage decision on a threat (in the model file)
    Triage {
        /// Model file (YAML)
        model: PathBuf,
        /// Threat id (as printed by `analyze`), or a unique prefix of it (at least 6 characters)
        threat: String,
        /// open, mitigated, accepted, not_applicable or transferred
        #[arg(long, value_parser = parse_status)]
        status: TriageStatus,
        /// Why (the audit trail reads this)
        #[arg(long, default_value = "")]
        note: String,
        /// Who decided; default $USER
        #[arg(long)]
        owner: Option<String>,
        /// Date of the decision (YYYY-MM-DD); default today
        #[arg(long, value_parser = parse_date)]
        date: Option<String>,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// List threats added, removed, re-scored and re-triaged between two model versions
    Diff {
        /// Older model: a file, or PROJECT.twm@REV
        old: PathBuf,
        /// Newer model: a file, or PROJECT.twm@REV
        new: PathBuf,
        #[command(flatten)]
        catalog: CatalogArgs,
        /// Output format
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Analysis date (YYYY-MM-DD); default today
        #[arg(long, value_parser = parse_date)]
        as_of: Option<String>,
    },
    /// Convert a model between YAML and a .twm project file (chosen by extension)
    Convert {
        /// Input file (.yaml, .yml or .twm)
        input: PathBuf,
        /// Output file (.twm or .yaml); YAML into a .twm adds a revision "imported from INPUT"
        #[arg(short, long)]
        output: PathBuf,
        /// Revision of a .twm input to write (a number or `latest`)
        #[arg(long, default_value = "latest")]
        rev: String,
    },
    /// List the revisions of a .twm project file
    Revisions {
        /// Project file (.twm)
        file: PathBuf,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Write the risk assessment as a PDF report
    Report {
        /// Model file (YAML)
        model: PathBuf,
        /// PDF file to write
        #[arg(short, long)]
        output: PathBuf,
        #[command(flatten)]
        catalog: CatalogArgs,
        /// Analysis and report date (YYYY-MM-DD); default today
        #[arg(long, value_parser = parse_date)]
        as_of: Option<String>,
    },
    /// List the guided session's questions: the unset properties open threats rest on
    Questions {
        /// Model file (YAML or .twm)
        model: PathBuf,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        catalog: CatalogArgs,
        /// Analysis date (YYYY-MM-DD); default today
        #[arg(long, value_parser = parse_date)]
        as_of: Option<String>,
    },
    /// List the built-in architecture templates
    Templates {
        /// Output format
        #[arg(long, value_enum, default_value_t = TemplatesFormat::Text)]
        format: TemplatesFormat,
    },
    /// Start a new model from a built-in template
    New {
        /// Template name (see `threatwright templates`)
        #[arg(long)]
        template: String,
        /// Model file to write
        #[arg(short, long)]
        output: PathBuf,
        /// Overwrite the output file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Import existing infrastructure as a model
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Rewrite a model file in the canonical format and the current format version, filling in missing ids
    Fmt {
        /// Model file (YAML)
        model: PathBuf,
        /// Do not write; exit 1 when the file is not already formatted
        #[arg(long)]
        check: bool,
        /// Print the formatted model instead of rewriting the file
        #[arg(long, conflicts_with = "check")]
        stdout: bool,
        /// Also give every element and boundary without a position one, moving
        /// nothing already placed (the whole diagram when nothing is placed)
        #[arg(long)]
        place: bool,
    },
}

#[derive(clap::Args)]
struct CatalogArgs {
    /// Also load every rule file of this folder (repeatable)
    #[arg(long = "rules", value_name = "DIR")]
    rule_dirs: Vec<PathBuf>,
    /// Disable a rule by id (repeatable)
    #[arg(long = "disable", value_name = "RULE_ID")]
    disabled: Vec<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum AnalyzeFormat {
    Json,
    Yaml,
    Csv,
    Markdown,
    Sarif,
    /// OWASP Threat Dragon v2 JSON (one STRIDE diagram with the threats per cell)
    ThreatDragon,
    /// A Threagile model (YAML) with the triage decisions as its risk tracking
    Threagile,
    /// An Open Threat Model (OTM 0.2.0) JSON document, every threat with its triage state
    Otm,
    /// An AWS Threat Composer file (.tc.json): threat statements with their mitigations linked
    ThreatComposer,
}

impl From<AnalyzeFormat> for export::Format {
    fn from(f: AnalyzeFormat) -> Self {
        match f {
            AnalyzeFormat::Json => export::Format::Json,
            AnalyzeFormat::Yaml => export::Format::Yaml,
            AnalyzeFormat::Csv => export::Format::Csv,
            AnalyzeFormat::Markdown => export::Format::Markdown,
            AnalyzeFormat::Sarif => export::Format::Sarif,
            AnalyzeFormat::ThreatDragon => export::Format::ThreatDragon,
            AnalyzeFormat::Threagile => export::Format::Threagile,
            AnalyzeFormat::Otm => export::Format::Otm,
            AnalyzeFormat::ThreatComposer => export::Format::ThreatComposer,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Json,
}

fn parse_status(text: &str) -> Result<TriageStatus, String> {
    TriageStatus::parse(text).ok_or_else(|| {
        let all: Vec<&str> = TriageStatus::ALL.iter().map(|s| s.as_str()).collect();
        format!("expected one of {}, found `{text}`", all.join(", "))
    })
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Markdown,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text).ok_or_else(|| format!("expected low, medium, high or critical, found `{text}`"))
}

fn parse_date(text: &str) -> Result<String, String> {
    let ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if ok {
        Ok(text.to_string())
    } else {
        Err(format!("expected a date as YYYY-MM-DD, found `{text}`"))
    }
}

fn today() -> String {
    threatwright::clock::today()
}

fn load_catalog(args: &CatalogArgs) -> Result<Catalog, Failure> {
    let mut catalog = rules::builtin_catalog()?;
    for dir in &args.rule_dirs {
        catalog.extend(rules::parse_rule_files(&store::rules::read_rule_files(dir)?)?)?;
    }
    let unknown: Vec<Diagnostic> = args
        .disabled
        .iter()
        .filter(|id| catalog.rule(id).is_none())
        .map(|id| Diagnostic::new("--disable", 0, 0, format!("unknown rule id `{id}`")))
        .collect();
    if !unknown.is_empty() {
        return Err(Failure::BadInput(Diagnostics(unknown)));
    }
    Ok(catalog)
}

/// Loads `FILE` or, for project files, `FILE@REV` (a revision number or `latest`).
fn load_version(spec: &std::path::Path) -> Result<threatwright::Model, Failure> {
    let text = spec.to_string_lossy();
    if let Some((file, rev)) = text.rsplit_once('@') {
        let path = std::path::Path::new(file);
        if store::project::is_project(path) && !spec.exists() {
            return Ok(store::project::load_revision(path, rev)?);
        }
    }
    Ok(store::load_model(spec)?)
}

/// Writes a model as YAML, or as a new revision when the path is a `.twm`.
fn write_model(path: &Path, model: &threatwright::Model, message: &str, user: &str) -> Result<(), Failure> {
    if store::project::is_project(path) {
        store::project::save(path, model, Some(message), user)?;
        Ok(())
    } else {
        emit(Some(&path.to_path_buf()), &yaml::to_string(model))
    }
}

fn emit(output: Option<&PathBuf>, text: &str) -> Result<(), Failure> {
    match output {
        None => {
            print!("{text}");
            Ok(())
        }
        Some(path) => store::write_atomic(path, text.as_bytes())
            .map_err(|e| Failure::Message(format!("{}: cannot write: {e}", path.display()))),
    }
}

/// Outcome of a command: an exit code, or diagnostics (exit 2).
enum Failure {
    BadInput(Diagnostics),
    Message(String),
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::BadInput(d)
    }
}

/// Every store failure (busy, newer schema, corrupt, IO) is printed as its
/// located diagnostics, exit 2.
impl From<store::Error> for Failure {
    fn from(e: store::Error) -> Self {
        Failure::BadInput(e.diagnostics)
    }
}

fn main() -> ExitCode {
    // Like other Unix filters, stop quietly when the reader of our output
    // goes away (`threatwright rules | head`) instead of panicking in print!.
    #[cfg(unix)]
    // SAFETY: called once at start-up before any thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // The user is part of the environment: read once here, passed in below.
    let user = store::current_user();
    match run(cli.command, &user) {
        Ok(code) => ExitCode::from(code),
        Err(Failure::BadInput(diags)) => {
            print_problems(&diags);
            ExitCode::from(2)
        }
        Err(Failure::Message(msg)) => {
            eprintln!("error: {}", terminal_safe(&msg));
            ExitCode::from(2)
        }
    }
}

/// One `error:` line per problem, the first 200, and how many more.
fn print_problems(diags: &Diagnostics) {
    let (shown, more) = diags.shown();
    for d in shown {
        eprintln!("error: {}", terminal_safe(&d.to_string()));
    }
    if more > 0 {
        eprintln!("error: … and {more} more problems (the first {} are shown; fix these and run again)", shown.len());
    }
}

/// One `file:line:col: warning:` line per warning (`file: warning:` when the line is unknown).
fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        if w.line == 0 {
            eprintln!("{}", terminal_safe(&format!("{}: warning: {}", w.file, w.message)));
        } else {
            eprintln!("{}", terminal_safe(&format!("{}:{}:{}: warning: {}", w.file, w.line, w.column, w.message)));
        }
    }
}

/// Runs one command; `user` is the author of revisions and the default triage owner.
fn run(command: Command, user: &str) -> Result<u8, Failure> {
    match command {
        Command::Validate { model } => validate(&model),
        Command::Analyze { models, catalog, format, output, fail_on, as_of } => {
            let how = AnalyzeRun { catalog: &catalog, format, output: output.as_ref(), fail_on, as_of };
            match models.as_slice() {
                [model] if !model.is_dir() => analyze(model, &how),
                _ => analyze_estate(&models, &how),
            }
        }
        Command::Triage { model, threat, status, note, owner, date, catalog } => {
            let owner = owner.unwrap_or_else(|| user.to_string());
            let request = TriageRequest { threat, status, note, owner, date: date.unwrap_or_else(today) };
            triage(&model, &catalog, &request, user)
        }
        Command::Diff { old, new, catalog, format, as_of } => diff(&old, &new, &catalog, format, as_of),
        Command::Rules { catalog, format, check } => {
            if !check.is_empty() {
                return check_rule_files(&check);
            }
            list_rules(&catalog, format)
        }
        Command::Convert { input, output, rev } => {
            println!("{}", store::project::convert(&input, &output, &rev, user)?);
            Ok(0)
        }
        Command::Revisions { file, json } => revisions(&file, json),
        Command::Report { model, output, catalog, as_of } => report(&model, &output, &catalog, as_of),
        Command::Questions { model, json, catalog, as_of } => questions(&model, json, &catalog, as_of),
        Command::Templates { format } => list_templates(format),
        Command::New { template, output, force } => new_from_template(&template, &output, force, user),
        Command::Import { source } => import_model(source, user),
        Command::Fmt { model, check, stdout, place } => fmt(&model, check, stdout, place, user),
    }
}

fn options(catalog: &CatalogArgs, as_of: Option<String>) -> Options {
    Options { as_of: as_of.unwrap_or_else(today), disabled: catalog.disabled.iter().cloned().collect() }
}

/// The PDF options of this environment (font folders).
fn pdf_options() -> export::pdf::PdfOptions {
    let env = |name| std::env::var_os(name);
    export::pdf::PdfOptions::default().with_environment(env("THREATWRIGHT_FONT_DIR"), env("HOME"))
}

fn validate(model: &Path) -> Result<u8, Failure> {
    let (m, notes) = store::load_model_noted(model)?;
    print_warnings(&notes);
    println!(
        "{}: ok ({} elements, {} flows, {} boundaries, {} grants, {} data assets)",
        model.display(),
        m.elements.len(),
        m.flows.len(),
        m.boundaries.len(),
        m.grants.len(),
        m.assets.len()
    );
    Ok(0)
}

/// The options of `analyze`, for one model or an estate.
struct AnalyzeRun<'a> {
    catalog: &'a CatalogArgs,
    format: AnalyzeFormat,
    output: Option<&'a PathBuf>,
    fail_on: Option<Severity>,
    as_of: Option<String>,
}

fn analyze(model: &Path, how: &AnalyzeRun) -> Result<u8, Failure> {
    let AnalyzeRun { catalog, format, output, fail_on, .. } = *how;
    let (m, lines) = store::load_located(model)?;
    let cat = load_catalog(catalog)?;
    let analysis = engine::analyze(&m, &cat, &options(catalog, how.as_of.clone()));
    let uri = model.to_string_lossy().replace('\\', "/");
    let pdf = pdf_options();
    let inputs = export::RenderInputs { catalog: &cat, source_uri: &uri, source_lines: &lines, pdf: &pdf };
    let written = match output {
        Some(path) => store::write_atomic_with(path, |w| export::write(format.into(), &m, &analysis, &inputs, w)),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            export::write(format.into(), &m, &analysis, &inputs, &mut out)
                .and_then(|()| Ok(std::io::Write::flush(&mut out)?))
        }
    };
    match written {
        Ok(()) => {}
        Err(e @ export::WriteError::Render(_)) => return Err(Failure::Message(format!("{}: {e}", model.display()))),
        Err(e) => {
            let to = output.map(|p| p.display().to_string()).unwrap_or_else(|| "standard output".into());
            return Err(Failure::Message(format!("{to}: {e}")));
        }
    }
    if let Some(threshold) = fail_on {
        let failing = open_at_or_above(&analysis, threshold);
        if failing > 0 {
            eprintln!("{failing} open threat(s) at or above {}", threshold.as_str());
            return Ok(1);
        }
    }
    Ok(0)
}

/// `analyze` over several models or folders: each model analysed and
/// rendered on its own, in parallel (rayon, results in the order given), then
/// one combined document; the exit code is the worst model's.
fn analyze_estate(paths: &[PathBuf], how: &AnalyzeRun) -> Result<u8, Failure> {
    let AnalyzeRun { catalog, output, fail_on, .. } = *how;
    let format: export::Format = how.format.into();
    export::estate::check(format).map_err(|e| Failure::Message(e.to_string()))?;
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            files.extend(store::model_files(p)?);
        } else {
            files.push(p.clone());
        }
    }
    if files.is_empty() {
        let where_ = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        return Err(Failure::Message(format!(
            "{where_}: no Threatwright model (.twm, or YAML with `threatwright:`) found"
        )));
    }
    let cat = load_catalog(catalog)?;
    let opts = options(catalog, how.as_of.clone());
    let pdf = pdf_options();
    let one = |file: &PathBuf| -> export::estate::ModelRun {
        let outcome = (|| {
            let (m, lines) = store::load_located(file)?;
            let analysis = engine::analyze(&m, &cat, &opts);
            let uri = file.to_string_lossy().replace('\\', "/");
            let inputs = export::RenderInputs { catalog: &cat, source_uri: &uri, source_lines: &lines, pdf: &pdf };
            let bytes = export::render(format, &m, &analysis, &inputs).map_err(|e| {
                Diagnostics::one(Diagnostic::new(&file.display().to_string(), 0, 0, format!("cannot render: {e}")))
            })?;
            let failing = fail_on.map(|f| open_at_or_above(&analysis, f));
            Ok(export::estate::Rendered {
                bytes,
                threats: analysis.threats.len(),
                open_by_severity: analysis.summary.open_by_severity.clone(),
                failing: failing.unwrap_or(0),
            })
        })();
        export::estate::ModelRun { file: file.display().to_string(), outcome }
    };
    let runs: Vec<_> = files.par_iter().map(one).collect();
    for r in &runs {
        match &r.outcome {
            Err(d) => print_problems(d),
            Ok(x) if x.failing > 0 => eprintln!(
                "{}: {} open threat(s) at or above {}",
                terminal_safe(&r.file),
                x.failing,
                fail_on.map(|f| f.as_str()).unwrap_or_default()
            ),
            Ok(_) => {}
        }
    }
    let bytes = export::estate::combine(format, &runs).map_err(|e| Failure::Message(e.to_string()))?;
    emit(output, &String::from_utf8_lossy(&bytes))?;
    let code = export::estate::exit_code(&runs);
    eprintln!(
        "{} model(s): {} ok, {} over --fail-on, {} not read",
        runs.len(),
        runs.iter().filter(|r| r.exit_code() == 0).count(),
        runs.iter().filter(|r| r.exit_code() == 1).count(),
        runs.iter().filter(|r| r.exit_code() == 2).count()
    );
    Ok(code)
}

/// Open threats at or above `threshold`: what `--fail-on` counts.
fn open_at_or_above(analysis: &engine::Analysis, threshold: Severity) -> usize {
    analysis.threats.iter().filter(|t| t.status == TriageStatus::Open && t.severity >= threshold).count()
}

fn triage(model: &Path, catalog: &CatalogArgs, request: &TriageRequest, user: &str) -> Result<u8, Failure> {
    // The file is written back at the current format version: say what that upgrades.
    let (mut m, notes) = store::load_model_noted(model)?;
    print_warnings(&notes);
    let cat = load_catalog(catalog)?;
    let analysis = engine::analyze(&m, &cat, &options(catalog, None));
    let label = model.display().to_string();
    let outcome = engine::triage::record(&mut m, &analysis, request)
        .map_err(|e| Failure::BadInput(Diagnostics::one(Diagnostic::new(&label, 0, 0, e.to_string()))))?;
    let done = format!(
        "{} {} — {}: {} → {}",
        &outcome.threat.to_string()[..8],
        outcome.rule,
        outcome.target,
        outcome.from.as_str(),
        outcome.to.as_str()
    );
    println!("{}", terminal_safe(&done));
    if store::project::is_project(model) {
        // A project file keeps the decision as a new revision and a history row.
        store::project::record_triage(model, &outcome, &request.owner)?;
    } else {
        store::save_model(model, &m, user).map_err(|e| Failure::Message(format!("{label}: cannot write: {e}")))?;
    }
    Ok(0)
}

fn diff(
    old: &Path,
    new: &Path,
    catalog: &CatalogArgs,
    format: DiffFormat,
    as_of: Option<String>,
) -> Result<u8, Failure> {
    let cat = load_catalog(catalog)?;
    let options = options(catalog, as_of);
    let a = engine::analyze(&load_version(old)?, &cat, &options);
    let b = engine::analyze(&load_version(new)?, &cat, &options);
    let d = engine::diff::diff(&a, &b);
    match format {
        DiffFormat::Text => print!("{}", terminal_safe(&d.text())),
        DiffFormat::Json => println!("{}", serde_json::to_string_pretty(&d).expect("diff serialises")),
    }
    Ok(0)
}

fn list_rules(catalog: &CatalogArgs, format: RulesFormat) -> Result<u8, Failure> {
    let cat = load_catalog(catalog)?;
    let text = match format {
        RulesFormat::Text => export::rules_doc::text(&cat),
        RulesFormat::Json => export::rules_doc::json(&cat),
        RulesFormat::Markdown => export::rules_doc::markdown(&cat),
    };
    print!("{}", terminal_safe(&text));
    Ok(0)
}

fn revisions(file: &Path, json: bool) -> Result<u8, Failure> {
    let revs = store::project::revisions(file)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&revs).unwrap_or_default());
        return Ok(0);
    }
    println!("{:>4}  {:<20}  {:<12}  {:>8}  {:>8}  message", "rev", "date", "author", "elements", "flows");
    for r in &revs {
        let line = format!(
            "{:>4}  {:<20}  {:<12}  {:>8}  {:>8}  {}",
            r.number, r.date, r.author, r.elements, r.flows, r.message
        );
        println!("{}", terminal_safe(&line));
    }
    Ok(0)
}

/// The questions a guided session in the app would ask, in its order.
fn questions(model: &Path, json: bool, catalog: &CatalogArgs, as_of: Option<String>) -> Result<u8, Failure> {
    let m = store::load_model(model)?;
    let cat = load_catalog(catalog)?;
    let analysis = engine::analyze(&m, &cat, &options(catalog, as_of));
    let qs = engine::session::questions(&m, &analysis);
    if json {
        println!("{}", serde_json::to_string_pretty(&qs).unwrap_or_default());
        return Ok(0);
    }
    for (i, q) in qs.iter().enumerate() {
        let mut rules: Vec<&str> = q.threats.iter().map(|t| t.rule.as_str()).collect();
        rules.sort_unstable();
        rules.dedup();
        let stake = rules.join(", ");
        let line =
            format!("{:>3}. {} ({}): {} [{}: {stake}]", i + 1, q.subject_name, q.property, q.question, q.threats.len());
        println!("{}", terminal_safe(&line));
    }
    if qs.is_empty() {
        println!("nothing to ask: every property an open threat rests on is set");
    }
    Ok(0)
}

fn report(model: &Path, output: &Path, catalog: &CatalogArgs, as_of: Option<String>) -> Result<u8, Failure> {
    let m = store::load_model(model)?;
    let cat = load_catalog(catalog)?;
    let analysis = engine::analyze(&m, &cat, &options(catalog, as_of));
    let pdf = export::pdf::render(&m, &analysis, &pdf_options())
        .map_err(|e| Failure::Message(format!("{}: cannot render the report: {e}", output.display())))?;
    store::write_atomic(output, &pdf)
        .map_err(|e| Failure::Message(format!("{}: cannot write: {e}", output.display())))?;
    Ok(0)
}

fn fmt(model: &Path, check: bool, stdout: bool, place: bool, user: &str) -> Result<u8, Failure> {
    if store::project::is_project(model) {
        return Err(Failure::BadInput(Diagnostics::one(Diagnostic::new(
            &model.display().to_string(),
            0,
            0,
            "fmt rewrites YAML models; a .twm project file has no text layout to format (use `convert` to get YAML)",
        ))));
    }
    let original = store::read_text(model)?;
    let parsed = yaml::parse(&original, &model.display().to_string())?;
    // What upgrading an older version of the format changed; the file is written at the current one.
    print_warnings(&parsed.notes);
    let mut m = parsed.model;
    if place {
        threatwright::layout::place_unplaced(&mut m);
    }
    let formatted = yaml::to_string(&m);
    if stdout {
        print!("{formatted}");
        return Ok(0);
    }
    if check {
        if formatted == original {
            return Ok(0);
        }
        eprintln!("{}: not formatted (run `threatwright fmt {}`)", model.display(), model.display());
        return Ok(1);
    }
    if formatted != original {
        store::save_model(model, &m, user)
            .map_err(|e| Failure::Message(format!("{}: cannot write: {e}", model.display())))?;
    }
    Ok(0)
}

/// Loads rule files on their own (no built-ins) and runs their examples.
fn check_rule_files(files: &[PathBuf]) -> Result<u8, Failure> {
    let mut diags = Vec::new();
    let mut count = 0;
    let options = Options::default();
    for f in files {
        let text = store::read_text(f)?;
        let label = f.display().to_string();
        match rules::parse_rule_file(&text, &label) {
            Err(d) => diags.extend(d.0),
            Ok(list) => {
                for rule in &list.rules {
                    count += 1;
                    for ex in &rule.fires {
                        if !engine::fires_on(&ex.model, rule, &ex.target, &options) {
                            diags.push(Diagnostic::new(
                                &label,
                                ex.line,
                                1,
                                format!("{} should fire on `{}` but does not", rule.id, ex.target),
                            ));
                        }
                    }
                    for ex in &rule.silent {
                        if engine::fires_on(&ex.model, rule, &ex.target, &options) {
                            diags.push(Diagnostic::new(
                                &label,
                                ex.line,
                                1,
                                format!("{} should stay silent on `{}` but fires", rule.id, ex.target),
                            ));
                        }
                    }
                }
            }
        }
    }
    if diags.is_empty() {
        println!("{count} rule(s) ok");
        Ok(0)
    } else {
        Err(Failure::BadInput(Diagnostics(diags)))
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TemplatesFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum ImportSource {
    /// An AWS SAM or CloudFormation template (YAML or JSON)
    Sam {
        /// Template file
        file: PathBuf,
        /// Write the model here instead of standard output (with --onto: instead of updating MODEL)
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        drift: DriftArgs,
    },
    /// A Serverless Framework `serverless.yml`
    Serverless {
        /// serverless.yml file
        file: PathBuf,
        /// Write the model here instead of standard output (with --onto: instead of updating MODEL)
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        drift: DriftArgs,
    },
    /// Terraform: a directory of `.tf` files (local modules flattened), one `.tf` file, or the
    /// JSON of `terraform show -json` (plan or state)
    Terraform {
        /// Directory, `.tf` file or plan/state JSON
        file: PathBuf,
        /// Write the model here instead of standard output (with --onto: instead of updating MODEL)
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        drift: DriftArgs,
    },
    /// An OWASP Threat Dragon v2 model (JSON); its threats are kept in element descriptions
    ThreatDragon {
        /// Threat Dragon JSON file
        file: PathBuf,
        /// Write the model here instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// An Open Threat Model (OTM) JSON file; its threats are kept in element descriptions
    Otm {
        /// OTM JSON file
        file: PathBuf,
        /// Write the model here instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// An AWS Threat Composer file (.tc.json): its threats onto the model it embeds (a Threatwright
    /// export), onto --onto MODEL, or onto one element standing for the application
    ThreatComposer {
        /// .tc.json file
        file: PathBuf,
        /// Write the model here instead of standard output (with --onto: instead of updating MODEL)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Lay the threats onto this model (YAML or .twm): threats Threatwright exported come back
        /// as triage decisions, the others are kept on the element they name
        #[arg(long, value_name = "MODEL")]
        onto: Option<PathBuf>,
    },
    /// A Threagile model (YAML); its risk tracking is kept in element descriptions
    Threagile {
        /// threagile.yaml file
        file: PathBuf,
        /// Write the model here instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// A Microsoft Threat Modeling Tool model (.tm7); its threats are kept in element descriptions
    Tm7 {
        /// .tm7 file
        file: PathBuf,
        /// Write the model here instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// `import … --onto MODEL`: a re-import of infrastructure laid onto an existing model.
#[derive(clap::Args)]
struct DriftArgs {
    /// Lay the import onto this model (YAML or .twm): elements are matched by their source
    /// identity, the model's names, layout, descriptions and triage are kept, and the drift is
    /// reported with the threats it makes appear, disappear or change severity
    #[arg(long, value_name = "MODEL")]
    onto: Option<PathBuf>,
    /// Format of the drift report
    #[arg(long, value_enum, default_value = "text", requires = "onto")]
    report: DiffFormat,
    /// Report the drift without writing the model
    #[arg(long, requires = "onto")]
    dry_run: bool,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// Date the analysis runs as of (YYYY-MM-DD), for reproducible reports
    #[arg(long, value_parser = parse_date, requires = "onto")]
    as_of: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn reimport(
    source: &Path,
    imported: threatwright::Model,
    onto: &Path,
    output: Option<&Path>,
    report: DiffFormat,
    dry_run: bool,
    catalog: &CatalogArgs,
    as_of: Option<String>,
    user: &str,
) -> Result<u8, Failure> {
    let current = store::load_model(onto)?;
    let cat = load_catalog(catalog)?;
    let opts = options(catalog, as_of);
    let (model, drift) = import::drift::onto(&current, &imported, &source.display().to_string());
    let drift = drift.with_threats(&engine::analyze(&current, &cat, &opts), &engine::analyze(&model, &cat, &opts));
    match report {
        DiffFormat::Text => print!("{}", terminal_safe(&drift.text())),
        DiffFormat::Json => println!("{}", serde_json::to_string_pretty(&drift).expect("the drift report serialises")),
    }
    if !dry_run {
        let target = output.unwrap_or(onto);
        write_model(target, &model, &format!("re-imported infrastructure from {}", source.display()), user)?;
    }
    Ok(0)
}

fn list_templates(format: TemplatesFormat) -> Result<u8, Failure> {
    use std::io::Write;
    let list = threatwright::import::templates::list();
    let text = match format {
        TemplatesFormat::Text => list.iter().map(|t| format!("{}  {}\n", t.name, t.description)).collect::<String>(),
        TemplatesFormat::Json => {
            serde_json::to_string_pretty(&list).map_err(|e| Failure::Message(e.to_string()))? + "\n"
        }
    };
    // A closed pipe (`threatwright templates | head`) is not an error.
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(0)
}

fn new_from_template(name: &str, output: &Path, force: bool, user: &str) -> Result<u8, Failure> {
    use threatwright::import::templates::{self, TemplateError};
    let model = templates::instantiate(name).map_err(|e| match e {
        TemplateError::Unknown { .. } => Failure::Message(e.to_string()),
        TemplateError::Invalid(d) => Failure::BadInput(d),
    })?;
    if output.exists() && !force {
        return Err(Failure::Message(format!("{}: already exists; pass --force to overwrite it", output.display())));
    }
    write_model(output, &model, &format!("created from template {name}"), user)?;
    Ok(0)
}

/// `import threat-composer FILE --onto MODEL`: the file's threats laid onto a model.
fn threat_composer_onto(file: &Path, onto: &Path, output: Option<&Path>, user: &str) -> Result<u8, Failure> {
    let current = store::load_model(onto)?;
    let text = std::fs::read_to_string(file).map_err(|e| Failure::Message(format!("{}: {e}", file.display())))?;
    let imported = import::threat_composer::onto(&text, &file.display().to_string(), &current)?;
    print_warnings(&imported.warnings);
    let decided = imported.model.triage.iter().filter(|d| !current.triage.contains(d)).count();
    eprintln!("{}: {decided} triage decision(s) set or changed", file.display());
    let target = output.unwrap_or(onto);
    write_model(
        target,
        &imported.model,
        &format!("laid the Threat Composer threats of {} onto it", file.display()),
        user,
    )?;
    Ok(0)
}

fn import_model(source: ImportSource, user: &str) -> Result<u8, Failure> {
    if let ImportSource::ThreatComposer { file, output, onto: Some(onto) } = &source {
        return threat_composer_onto(file, onto, output.as_deref(), user);
    }
    let (format, file, output, drift) = match source {
        ImportSource::Sam { file, output, drift } => (import::Format::Sam, file, output, Some(drift)),
        ImportSource::Serverless { file, output, drift } => (import::Format::Serverless, file, output, Some(drift)),
        ImportSource::ThreatDragon { file, output } => (import::Format::ThreatDragon, file, output, None),
        ImportSource::Terraform { file, output, drift } => (import::Format::Terraform, file, output, Some(drift)),
        ImportSource::Otm { file, output } => (import::Format::Otm, file, output, None),
        ImportSource::Threagile { file, output } => (import::Format::Threagile, file, output, None),
        ImportSource::ThreatComposer { file, output, .. } => (import::Format::ThreatComposer, file, output, None),
        ImportSource::Tm7 { file, output } => (import::Format::Tm7, file, output, None),
    };
    let imported = import::run_file(format, &file)?;
    print_warnings(&imported.warnings);
    if let Some(DriftArgs { onto: Some(onto), report, dry_run, catalog, as_of }) = drift {
        return reimport(&file, imported.model, &onto, output.as_deref(), report, dry_run, &catalog, as_of, user);
    }
    match output.as_ref() {
        Some(path) => write_model(path, &imported.model, &format!("imported from {}", file.display()), user)?,
        None => emit(None, &yaml::to_string(&imported.model))?,
    }
    Ok(0)
}
