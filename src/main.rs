//! The `threatwright` command line: a thin clap layer over the library.
//!
//! Exit codes: 0 success, 1 findings or a failed check where documented,
//! 2 bad input (every problem printed, one per line, as file:line:column).
//! Must not: hold domain logic or panic on any input.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use threatwright::{store, yaml, Diagnostics};

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
    /// Rewrite a model file in the canonical format, filling in missing ids
    Fmt {
        /// Model file (YAML)
        model: PathBuf,
        /// Do not write; exit 1 when the file is not already formatted
        #[arg(long)]
        check: bool,
        /// Print the formatted model instead of rewriting the file
        #[arg(long, conflicts_with = "check")]
        stdout: bool,
    },
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

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(Failure::BadInput(diags)) => {
            for d in &diags.0 {
                eprintln!("error: {d}");
            }
            ExitCode::from(2)
        }
        Err(Failure::Message(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<u8, Failure> {
    match command {
        Command::Validate { model } => {
            let m = store::load_model(&model)?;
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
        Command::Fmt { model, check, stdout } => {
            let original = store::read_text(&model)?;
            let m = yaml::parse_model(&original, &model.display().to_string())?;
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
                store::save_model(&model, &m)
                    .map_err(|e| Failure::Message(format!("{}: cannot write: {e}", model.display())))?;
            }
            Ok(0)
        }
    }
}
