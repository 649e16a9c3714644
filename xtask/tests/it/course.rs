//! The student's path, walked: for every exercise of the real course as shipped, the
//! first verdict `cargo xtask next` shows (the same runner call, at the same depth), and
//! what it must be: the first failing test in the order its check file gives them,
//! pointing at the student's file, saying "not started" when the student's file has
//! not been touched, with none of the kit's own lines in it.
//!
//! Slow (every exercise is built and run), so ignored by a plain `cargo test` (`.ci/run`
//! runs it):
//! `cargo test -p xtask --test it course:: -- --ignored --nocapture` prints the table of
//! first verdicts. It needs the exercises as shipped (a fresh clone).

use std::path::PathBuf;

use xtask::engine::{Depth, Runner};
use xtask::model::catalog::{CheckKind, Exercise};
use xtask::model::kit::{Kit, Source};
use xtask::model::outcome::{CaseResult, Cause, CheckResult};
use xtask::model::shipped::Record;
use xtask::report::causes;
use xtask::syntax::places;

use crate::common;

/// The names of the tests of a check file in the order it gives them, read line by
/// line: a reading of its own, so that the runner's order is checked against something
/// other than itself.
fn order_in_file(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut attribute = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("#[test]") || line.starts_with("#[tokio::test") {
            attribute = true;
        } else if attribute && let Some(rest) = line.split("fn ").nth(1) {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(name);
            attribute = false;
        }
    }
    names
}

/// A test's own name, without the modules it sits in.
fn bare(name: &str) -> &str {
    name.rsplit("::").next().unwrap_or(name)
}

/// Everything wrong with one exercise's first verdict, as sentences.
fn problems(kit: &Kit, exercise: &Exercise, check: &CheckResult, case: &CaseResult) -> Vec<String> {
    let mut found = Vec::new();
    let file = exercise.file();
    let checks = kit.root.join(exercise.checks_dir()).join("main.rs");
    if check.kind != CheckKind::CompileFail && check.cases.len() > 1 {
        let order = order_in_file(&std::fs::read_to_string(&checks).unwrap());
        let ran: Vec<&str> = check.cases.iter().map(|case| bare(&case.name)).collect();
        let expected: Vec<&str> = order
            .iter()
            .map(String::as_str)
            .filter(|name| ran.contains(name))
            .collect();
        if ran != expected {
            found.push(format!("cases out of the file's order: {ran:?}"));
        }
    }
    match &case.location {
        None => found.push("no location".into()),
        Some(location) if !location.is_in(&file) => {
            found.push(format!("located outside the student's file: {location}"));
        }
        Some(location) if location.line == 1 => found.push("located at line 1".into()),
        Some(_) => {}
    }
    // A file the student has not touched that reaches a `todo!()` is not started.
    let source = std::fs::read_to_string(kit.exercise_path(exercise)).unwrap();
    let reaches_todo = format!("{}\n{}", case.message, case.output).contains("not yet implemented");
    if reaches_todo && case.cause != Some(Cause::NotStarted) && !places::todos(&source).is_empty() {
        found.push(format!("reached a `todo!()` but is {:?}", case.cause));
    }
    let said = format!("{}\n{}", case.message, case.output);
    for kit_line in ["--logfile", "src/check/"] {
        if said.contains(kit_line) {
            found.push(format!("the kit's own `{kit_line}` shown to the student"));
        }
    }
    found
}

#[test]
#[ignore = "slow (builds and runs every exercise of the course): .ci/run runs it"]
fn every_first_verdict_is_the_first_failing_test_of_the_file_and_points_at_the_students_line() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = Kit::open(&common::kit_root(), || Ok(common::target_dir())).unwrap();
    let record = Record::load(&kit.root).unwrap();
    let touched: Vec<&str> = kit
        .catalog
        .exercises
        .iter()
        .filter(|exercise| {
            let text = std::fs::read_to_string(kit.exercise_path(exercise)).unwrap();
            !record.is_shipped(&exercise.name, &text)
        })
        .map(|exercise| exercise.name.as_str())
        .collect();
    assert!(
        touched.is_empty(),
        "the walk needs every exercise as shipped, and these are not: {touched:?}"
    );
    let runner = Runner::new(&kit, Source::Exercises)
        .unwrap()
        .with_runner_executable(PathBuf::from(env!("CARGO_BIN_EXE_xtask")));
    let mut table = Vec::new();
    let mut wrong = Vec::new();
    for exercise in &kit.catalog.exercises {
        // What `next` does for the first exercise that is not done.
        let result = runner
            .check(&[exercise], Depth::UntilFirstFailure)
            .unwrap()
            .remove(0);
        let Some((check, case)) = result.first_failure() else {
            wrong.push(format!("{}: passes as shipped", exercise.name));
            continue;
        };
        let first_line = causes::summary(case);
        let at = case
            .location
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        table.push(format!(
            "| {} | {} {} | {} | {} |",
            exercise.name,
            check.kind,
            case.name,
            at,
            first_line.replace('|', "\\|")
        ));
        for problem in problems(&kit, exercise, check, case) {
            wrong.push(format!("{}: {problem}", exercise.name));
        }
    }
    println!("| exercise | case | at | first line |\n|---|---|---|---|");
    println!("{}", table.join("\n"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
