//! `cargo xtask`: the command line of the threadlings runner, parsed by clap, each
//! command handed to `commands/`, and its outcome turned into an exit code.

#![deny(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::commands::{BenchRequest, CheckRequest, HandoutRequest, WatchOptions};
use xtask::engine;
use xtask::model::submission::Shard;
use xtask::os::editor::EditorChoice;
use xtask::os::output;
use xtask::os::sandbox::{self, SandboxArgs};
use xtask::os::signals;
use xtask::report::ReportOptions;
use xtask::{Exit, commands};

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
    Next {
        #[command(flatten)]
        editor: EditorChoice,
    },
    /// Check the current exercise each time it is saved, and move on when it passes.
    /// Single keys: n next, h hint, l list, c check all, x reset, r re-check, q quit.
    Watch(WatchOptions),
    /// Restore an exercise as shipped; your version is saved under .threadlings/backups/.
    Reset {
        /// The exercise's name.
        name: String,
    },
    /// Show an exercise's reference solution, once the exercise passes.
    Solution {
        /// The exercise's name.
        name: String,
        /// Show it even though the exercise does not pass yet.
        #[arg(long)]
        force: bool,
    },
    /// Run an exercise's tests with everything your code prints shown as it happens.
    Run {
        /// The exercise's name.
        name: String,
        /// Show, for each loom model, the first interleaving loom explores instead.
        #[arg(long)]
        interleavings: bool,
    },
    /// Show the next hint for the current exercise, or for NAME.
    Hint {
        /// An exercise's name; the current exercise when left out.
        name: Option<String>,
    },
    /// List every exercise, done or pending, with the progress.
    List,
    /// Check every exercise (or those named) and print a table of verdicts and points;
    /// with --submission, grade a class against the kit's own checks.
    Check {
        /// Exercises to check; all of them when left out.
        names: Vec<String>,
        /// Check the reference solutions instead of the exercises.
        #[arg(long)]
        solutions: bool,
        /// A student's copy of the kit to grade, or a folder of them (one per
        /// sub-folder). Repeatable. Only exercise files are taken from a submission.
        #[arg(long = "submission", value_name = "DIR")]
        submissions: Vec<PathBuf>,
        /// Grade only part I of N of the submissions (for example 2/4), to split a
        /// class between CI jobs.
        #[arg(long, value_name = "I/N")]
        shard: Option<Shard>,
        /// Continue an interrupted (or earlier) run of the class from its JSON report:
        /// grade only the students it lacks or whose exercise files changed since, and
        /// write the whole class.
        #[arg(long, value_name = "REPORT.json")]
        resume: Option<PathBuf>,
        #[command(flatten)]
        reports: ReportOptions,
    },
    /// Merge JSON reports (of shards, or of earlier runs) into one class, and write
    /// any report form of it: the reduce step of sharded grading.
    Report {
        /// JSON reports written by `check --json`.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        reports: ReportOptions,
    },
    /// Write the students' copy of the kit to OUT: no solutions, and the hints and
    /// `solution` command as the instructor chooses. Grade it against this copy.
    Handout(HandoutRequest),
    /// Measure how fast the kit answers, each figure beside its plainest baseline.
    Bench {
        #[command(flatten)]
        request: BenchRequest,
    },
    /// The authors' mutation test: plausible wrong answers made from each reference
    /// solution must each fail a check; fails below the catalog's threshold.
    Mutants {
        /// Exercises whose solutions to mutate; all of them when left out.
        names: Vec<String>,
        /// Runs of every mutant, to find checks whose verdict on it changes.
        #[arg(long, default_value_t = 1)]
        repeat: usize,
    },
    /// The kit's self-check: catalog, exercises, solutions and checks agree, every
    /// solution passes and every shipped exercise fails, and exercises/as-shipped.toml
    /// records what passes on the shipped exercises.
    Verify {
        /// Write exercises/as-shipped.toml from what the shipped exercises pass (in
        /// five runs) instead of checking it.
        #[arg(long)]
        bless: bool,
    },
    /// rust-analyzer's check-on-save for one saved file (see rust-analyzer.toml).
    #[command(hide = true)]
    IdeCheck { saved_file: PathBuf },
    #[command(name = engine::COMPILE_FAIL_HARNESS, hide = true)]
    CompileFailHarness { cases: Vec<PathBuf> },
    #[command(name = sandbox::COMMAND, hide = true)]
    Sandbox(SandboxArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The hidden subcommands run under a runner that stops them itself.
    let hidden = matches!(
        cli.command,
        Command::Sandbox(_) | Command::CompileFailHarness { .. } | Command::IdeCheck { .. }
    );
    if !hidden && let Err(err) = signals::install() {
        // As the runner's own `eprintln!` (`os/output.rs`): a closed stderr is no panic.
        output::stderr(format_args!("error: {err:#}\n"));
        return ExitCode::from(Exit::Setup as u8);
    }
    let outcome = match cli.command {
        Command::Next { editor } => commands::next(&editor),
        Command::Watch(options) => commands::watch(&options),
        Command::Reset { name } => commands::reset(&name),
        Command::Solution { name, force } => commands::solution(&name, force),
        Command::Run {
            name,
            interleavings: true,
        } => commands::interleavings(&name),
        Command::Run { name, .. } => commands::run(&name),
        Command::IdeCheck { saved_file } => commands::ide_check(&saved_file),
        Command::Hint { name } => commands::hint(name.as_deref()),
        Command::List => commands::list(),
        Command::Check {
            names,
            solutions,
            submissions,
            shard,
            resume,
            reports,
        } => commands::check(&CheckRequest {
            names,
            solutions,
            submissions,
            shard,
            resume,
            reports,
        }),
        Command::Report { files, reports } => commands::report(&files, &reports),
        Command::Handout(request) => commands::handout(&request),
        Command::Verify { bless } => commands::verify(bless),
        Command::Mutants { names, repeat } => commands::mutants(&names, repeat),
        Command::Bench { request } => commands::bench(&request),
        Command::CompileFailHarness { cases } => {
            engine::compile_fail_harness(&cases);
            Ok(Exit::Success)
        }
        Command::Sandbox(args) => Err(anyhow::Error::msg(sandbox::enter(&args))),
    };
    match outcome {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(err) => {
            // The alternate form adds each cause after a colon: "cannot read X: …".
            output::stderr(format_args!("error: {err:#}\n"));
            ExitCode::from(Exit::Setup as u8)
        }
    }
}
