//! `cargo xtask run NAME`: the exercise's tests with everything they print shown live,
//! so a student can watch the interleavings their code produces.

use std::path::PathBuf;
use std::time::Duration;

use crate::Exit;
use crate::engine::cargo::discover_kit;
use crate::engine::cargo::{self, Built, Flavor};
use crate::engine::{self, Runner};
use crate::model::catalog::{CheckKind, Exercise};
use crate::model::kit::{Kit, Source, Tree};
use crate::model::outcome::{CaseResult, CheckResult, ExerciseResult};
use crate::os::process;
use crate::report::terminal;

pub fn run(name: &str) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let exercise = kit.catalog.find(name)?;
    let runner = Runner::new(&kit, Source::Exercises)?;
    if let Some(refused) = runner.refusal(exercise, false)? {
        return Ok(show_refusal(&kit, exercise, refused));
    }
    let tree = kit.tree(&Source::Exercises)?;
    let Some(executable) = build(&kit, &tree, name, Flavor::Std)? else {
        return Ok(Exit::Failed);
    };
    if let Some(refused) = runner.refusal_to_run(exercise, false)? {
        return Ok(show_refusal(&kit, exercise, refused));
    }
    let mut command = std::process::Command::new(executable);
    command
        .args(["--test-threads=1", "--nocapture"])
        .env("RUST_BACKTRACE", "0");
    let timeout = Duration::from_secs(exercise.timeout_secs() * 4);
    let finished = process::run_live(command, timeout)?;
    if finished.timed_out() {
        println!(
            "\nstopped after {} s: likely a deadlock or a thread that never finishes",
            timeout.as_secs()
        );
    }
    Ok(if finished.success() {
        Exit::Success
    } else {
        Exit::Failed
    })
}

fn show_refusal(kit: &Kit, exercise: &Exercise, refused: CaseResult) -> Exit {
    let result = ExerciseResult {
        exercise: exercise.clone(),
        checks: vec![CheckResult {
            kind: CheckKind::Tests,
            cases: vec![refused],
        }],
    };
    let file = exercise.file();
    terminal::failure(&result, &kit.root, &file, None, "`cargo xtask hint`");
    Exit::Failed
}

/// Builds the exercise's test target in `flavor`: `None`, with the compiler's errors
/// printed, when it does not compile.
pub fn build(
    kit: &Kit,
    tree: &Tree,
    name: &str,
    flavor: Flavor,
) -> anyhow::Result<Option<PathBuf>> {
    let sandbox = engine::build_sandbox(kit, &engine::own_executable()?, &tree.root)?;
    let built = cargo::build_tests(
        &sandbox,
        tree,
        &kit.target_dir(),
        &[name],
        flavor,
        |_, _| {},
    )?;
    match built.into_values().next() {
        Some(Built::Executable(executable)) => Ok(Some(executable)),
        Some(Built::Failed(diagnostics)) => {
            for diagnostic in diagnostics {
                eprintln!("{}", diagnostic.rendered.trim_end());
            }
            Ok(None)
        }
        None => anyhow::bail!("cargo built nothing for `{name}`"),
    }
}
