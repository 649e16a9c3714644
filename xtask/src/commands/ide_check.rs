//! `cargo xtask ide-check FILE`: rust-analyzer's check-on-save, narrowed to the saved
//! exercise. The editor then shows the diagnostics of the exercise being edited, not
//! those of every unsolved exercise in the kit. It prints cargo's JSON messages, as
//! rust-analyzer expects, and builds in a target directory of its own so that it never
//! waits for, or holds, the runner's build lock.

use std::path::Path;
use std::process::Stdio;

use crate::Exit;
use crate::engine::cargo;
use crate::model::kit::slashed;

pub fn ide_check(saved: &Path) -> Result<Exit, String> {
    let kit = cargo::discover_kit()?;
    let relative = slashed(saved.strip_prefix(&kit.root).unwrap_or(saved));
    let exercise = kit.catalog.exercises.iter().find(|exercise| {
        relative == exercise.file()
            || relative == exercise.solution_file()
            || relative.starts_with(&format!("{}/", exercise.checks_dir()))
    });
    let mut command = cargo::cargo();
    command
        .current_dir(&kit.root)
        .env("CARGO_TARGET_DIR", kit.target_dir().join("ide"))
        .args(["check", "--message-format=json", "--keep-going"])
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit());
    match exercise {
        Some(exercise) => command.args(["--package", &kit.package, "--test", &exercise.name]),
        // Anything else (the runner, the shared library): everything but the exercises.
        None => command.args([
            "--package",
            "xtask",
            "--all-targets",
            "--package",
            &kit.package,
            "--lib",
        ]),
    };
    let status = command
        .status()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    Ok(if status.success() {
        Exit::Success
    } else {
        Exit::Failed
    })
}
