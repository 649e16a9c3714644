use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{Exit, commands, compile_fail, sandbox};

/// threadlings: exercises in Rust concurrency and parallelism, checked as you go.
#[derive(Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the exercises in course order and stop at the first one that is not done.
    Next,
    /// Show the next hint for the current exercise, or for NAME.
    Hint {
        /// An exercise's name; the current exercise when left out.
        name: Option<String>,
    },
    /// List every exercise, done or pending, with the progress.
    List,
    /// Check every exercise (or those named), print a table of verdicts and points.
    Check {
        /// Exercises to check; all of them when left out.
        names: Vec<String>,
        /// Check the reference solutions instead of the exercises.
        #[arg(long)]
        solutions: bool,
    },
    /// The kit's self-check: catalog, exercises, solutions and checks agree, every
    /// solution passes and every shipped exercise fails.
    Verify,
    #[command(name = compile_fail::HARNESS_COMMAND, hide = true)]
    CompileFailHarness { cases: Vec<PathBuf> },
    #[command(name = sandbox::COMMAND, hide = true)]
    Sandbox {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Next => commands::next(),
        Command::Hint { name } => commands::hint(name.as_deref()),
        Command::List => commands::list(),
        Command::Check { names, solutions } => commands::check(&names, solutions),
        Command::Verify => commands::verify(),
        Command::CompileFailHarness { cases } => {
            compile_fail::harness(&cases);
            Ok(Exit::Success)
        }
        Command::Sandbox { args } => Err(sandbox::enter(&args)),
    };
    match outcome {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(Exit::Setup as u8)
        }
    }
}
