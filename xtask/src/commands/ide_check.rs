//! `cargo xtask ide-check FILE`: rust-analyzer's check-on-save, narrowed to what the
//! saved file belongs to: an exercise (its file or its checks under `tests/NAME/`) is
//! its own test target, the shared library (`src/`) the library alone, the runner
//! (`xtask/`) the runner; a file of no target (a solution, the README) checks nothing.
//! The editor then shows the diagnostics of what is being edited, not those of every
//! unsolved exercise in the kit. It prints cargo's JSON messages, as rust-analyzer
//! expects, and builds in a target directory of its own so that it never waits for,
//! or holds, the runner's build lock.

use std::path::Path;
use std::process::Stdio;

use anyhow::Context;

use crate::Exit;
use crate::engine;
use crate::model::kit::{Kit, slashed};

pub fn ide_check(saved: &Path) -> anyhow::Result<Exit> {
    let kit = engine::discover_kit()?;
    let relative = slashed(saved.strip_prefix(&kit.root).unwrap_or(saved));
    let Some(targets) = targets_of(&kit, &relative) else {
        // Nothing to check: no output is no diagnostics, which clears the file's.
        return Ok(Exit::Success);
    };
    let status = engine::cargo()
        .current_dir(&kit.root)
        .env("CARGO_TARGET_DIR", kit.target_dir().join("ide"))
        .args(["check", "--message-format=json", "--keep-going"])
        .args(targets)
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .context("cannot run cargo")?;
    Ok(if status.success() {
        Exit::Success
    } else {
        Exit::Failed
    })
}

/// cargo's arguments selecting the one target `relative` (a path from the kit's root)
/// belongs to, or `None` for a file of no target. One package per invocation: cargo
/// applies `--lib` or `--all-targets` to every package selected, so the library with
/// the runner's targets would select every exercise's test target too.
fn targets_of(kit: &Kit, relative: &str) -> Option<Vec<String>> {
    let exercise = kit.catalog.exercises.iter().find(|exercise| {
        relative == exercise.file() || relative.starts_with(&format!("{}/", exercise.checks_dir()))
    });
    let package = kit.package.as_str();
    let args = match exercise {
        Some(exercise) => vec!["--package", package, "--test", &exercise.name],
        None if relative.starts_with("src/") => vec!["--package", package, "--lib"],
        None if relative.starts_with("xtask/") => vec!["--package", "xtask", "--all-targets"],
        None => return None,
    };
    Some(args.into_iter().map(String::from).collect())
}
