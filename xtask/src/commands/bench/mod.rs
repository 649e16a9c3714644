//! `cargo xtask bench`: how fast the kit answers, measured against the plainest way to
//! do the same work, in clones of the kit so that nothing here is disturbed. Prints a
//! table of medians, each with its ratio to a baseline measured in the same run.
//!
//! `measure.rs` times commands and takes medians, beside the baselines' bare commands;
//! `clones.rs` makes the clones and the edits measured in them; `in_watch.rs` drives
//! `watch` in a clone; `table.rs` prints the rows.

mod clones;
mod in_watch;
mod measure;
mod table;

use std::path::Path;
use std::time::Duration;

use crate::Exit;
use crate::engine::discover_kit;
use crate::model::catalog::{CheckKind, Exercise};
use crate::model::kit::Kit;

use clones::{bytes_under, copy_solutions_over_exercises, edit, edit_all, fresh_clone, make_class};
use in_watch::save_to_verdict_in_watch;
use measure::{
    baseline_for, floor, loom_models, median, naive_loop, policy_cost, run_quietly, timed,
    timed_allowing_failure,
};
use table::{Row, print_machine, print_table};

/// What to measure, from the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchRequest {
    /// Runs per measurement; medians are reported.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Submissions in the class measurement.
    #[arg(long, default_value_t = 20)]
    pub class_size: usize,
    /// Leave out the slow measurements: a fresh clone, a class.
    #[arg(long)]
    pub quick: bool,
}

pub fn bench(request: &BenchRequest) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let work = kit.target_dir().join("threadlings-bench");
    let mut rows = Vec::new();

    eprintln!("Preparing a clone of the kit with every exercise solved…");
    let solved = fresh_clone(&kit.root, &work.join("solved"))?;
    copy_solutions_over_exercises(&kit, &solved)?;
    run_quietly(&solved, "cargo", &["xtask", "next"])?;

    for (label, exercise) in representative_exercises(&kit) {
        rows.push(edit_to_verdict(&solved, label, exercise, request.runs)?);
    }
    if let Some((_, exercise)) = representative_exercises(&kit).first() {
        rows.push(watch_row(&kit, &solved, exercise, request.runs)?);
    }
    rows.extend(check_all_rows(&kit, &solved, request.runs)?);
    if !request.quick {
        rows.push(fresh_clone_row(&kit, &work, request.runs)?);
        rows.push(class_row(&kit, &solved, &work, request.class_size)?);
    }

    print_table(&rows);
    policy_cost(&kit)?;
    loom_models(&kit, &solved)?;
    print_machine();
    Ok(Exit::Success)
}

/// An edit of one exercise's file, then `next` to its verdict, beside the bare commands
/// that run the same checks.
fn edit_to_verdict(
    solved: &Path,
    label: &str,
    exercise: &Exercise,
    runs: usize,
) -> anyhow::Result<Row> {
    eprintln!("Edit to verdict: {} ({label})…", exercise.name);
    let file = solved.join(exercise.file());
    let runner = median(runs, || {
        edit(&file)?;
        timed(solved, "cargo", &["xtask", "next"])
    })?;
    let baseline = median(runs, || {
        edit(&file)?;
        baseline_for(solved, exercise)
    })?;
    Ok(Row {
        name: format!("edit → verdict: {} ({label})", exercise.name),
        runner,
        baseline: Some((baseline_name(exercise), baseline)),
        target: "≤ 1.2× baseline; < 1 s for std-only".into(),
    })
}

/// The row of `save_to_verdict_in_watch`, whose target allows for watch's debounce.
fn watch_row(kit: &Kit, solved: &Path, exercise: &Exercise, runs: usize) -> anyhow::Result<Row> {
    eprintln!("Save to verdict in watch: {}…", exercise.name);
    let (in_watch, bare) = save_to_verdict_in_watch(kit, solved, exercise, runs)?;
    Ok(Row {
        name: format!("save → verdict in watch: {}", exercise.name),
        runner: in_watch,
        baseline: Some((baseline_name(exercise), bare)),
        target: format!(
            "≤ 1.2× baseline + the {} ms debounce",
            crate::commands::DEBOUNCE.as_millis()
        ),
    })
}

/// `check --solutions` with every exercise changed, beside two baselines: the least any
/// runner must do, and a `cargo test` per exercise.
fn check_all_rows(kit: &Kit, solved: &Path, runs: usize) -> anyhow::Result<[Row; 2]> {
    eprintln!("Check everything, every exercise crate changed…");
    let all: Vec<&Exercise> = kit.catalog.exercises.iter().collect();
    let check_all = median(runs.min(3), || {
        edit_all(kit, solved, true)?;
        timed(solved, "cargo", &["xtask", "check", "--solutions"])
    })?;
    let floor = median(runs.min(3), || {
        edit_all(kit, solved, false)?;
        floor(solved, &all)
    })?;
    let naive = median(1, || {
        edit_all(kit, solved, false)?;
        naive_loop(solved, &all)
    })?;
    Ok([
        Row {
            name: "check --solutions, all changed".into(),
            runner: check_all,
            baseline: Some(("build all + run every binary (floor)".into(), floor)),
            target: "≤ 1.2× floor".into(),
        },
        Row {
            name: "check --solutions, all changed".into(),
            runner: check_all,
            baseline: Some(("`cargo test --test NAME` per exercise".into(), naive)),
            target: "≥ 2× faster than the loop".into(),
        },
    ])
}

/// A fresh clone to its first verdict, dependencies and all, beside cargo's own test
/// of the first exercise in a fresh clone.
fn fresh_clone_row(kit: &Kit, work: &Path, runs: usize) -> anyhow::Result<Row> {
    eprintln!("Fresh clone to first verdict (empty target directory, warm registry)…");
    let mut attempt = 0;
    let fresh = median(runs.min(3), || {
        timed_in_fresh_clone(kit, work, &mut attempt, &["xtask", "next"])
    })?;
    let first = &kit.catalog.exercises[0].name;
    let fresh_baseline = median(runs.min(3), || {
        timed_in_fresh_clone(
            kit,
            work,
            &mut attempt,
            &["test", "--package", &kit.package, "--test", first],
        )
    })?;
    Ok(Row {
        name: "fresh clone → first verdict".into(),
        runner: fresh,
        baseline: Some((
            "`cargo test --test FIRST` in a fresh clone".into(),
            fresh_baseline,
        )),
        target: "< 60 s".into(),
    })
}

/// Times `cargo args` in a clone of its own, deleted afterwards: each attempt starts
/// with an empty target directory.
fn timed_in_fresh_clone(
    kit: &Kit,
    work: &Path,
    attempt: &mut usize,
    args: &[&str],
) -> anyhow::Result<Duration> {
    *attempt += 1;
    let clone = fresh_clone(&kit.root, &work.join(format!("fresh-{attempt}")))?;
    let took = timed_allowing_failure(&clone, "cargo", args);
    let _ = std::fs::remove_dir_all(&clone);
    took
}

/// Grading a class: the time per submission, and how much the target directory grew.
fn class_row(kit: &Kit, solved: &Path, work: &Path, class_size: usize) -> anyhow::Result<Row> {
    eprintln!("A class of {class_size} submissions…");
    let class = make_class(kit, solved, &work.join("class"), class_size)?;
    let target_before = bytes_under(&solved.join("target"));
    let graded = timed_allowing_failure(
        solved,
        "cargo",
        &[
            "xtask",
            "check",
            "--submission",
            &class.display().to_string(),
        ],
    )?;
    let grown = bytes_under(&solved.join("target")).saturating_sub(target_before);
    Ok(Row {
        name: format!("grade a class of {class_size}: per submission"),
        runner: graded / class_size.max(1) as u32,
        baseline: None,
        target: format!(
            "class total {:.0} s; target/ grew {:.1} GiB",
            graded.as_secs_f64(),
            grown as f64 / f64::from(1 << 30)
        ),
    })
}

/// One exercise of each check kind: std-only tests, compile-fail, loom.
fn representative_exercises(kit: &Kit) -> Vec<(&'static str, &Exercise)> {
    let first_with = |kind: CheckKind| {
        kit.catalog
            .exercises
            .iter()
            .find(|exercise| exercise.has_check(kind))
    };
    let mut chosen = Vec::new();
    if let Some(exercise) = kit.catalog.exercises.first() {
        chosen.push(("tests", exercise));
    }
    if let Some(exercise) = first_with(CheckKind::CompileFail) {
        chosen.push(("compile-fail", exercise));
    }
    if let Some(exercise) = kit
        .catalog
        .exercises
        .iter()
        .find(|e| e.has_check(CheckKind::Loom) && !e.has_check(CheckKind::CompileFail))
    {
        chosen.push(("loom", exercise));
    }
    chosen
}

pub(super) fn baseline_name(exercise: &Exercise) -> String {
    let mut parts = vec![format!("cargo test --test {}", exercise.name)];
    if exercise.has_check(CheckKind::CompileFail) {
        parts.push("trybuild".into());
    }
    if exercise.has_check(CheckKind::Loom) {
        parts.push("--features loom".into());
    }
    parts.join(" + ")
}
