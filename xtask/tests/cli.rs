//! The commands as a student, an instructor or an author runs them: exit codes,
//! messages, and what they do with bad input.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", common::target_dir())
        .env("NO_COLOR", "1")
        .output()
        .expect("the runner starts")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_kit_verifies_itself() {
    let output = xtask(&common::kit_root(), &["verify"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("the kit is consistent"),
        "{}",
        text(&output)
    );
}

#[test]
fn next_stops_at_the_first_failing_exercise_and_points_at_its_file() {
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-next");
    let output = xtask(&kit, &["next"]);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(shown.contains("✓ passes passes"), "{shown}");
    assert!(
        shown.contains("✗ compile_error  exercises/01_fixtures/compile_error.rs:3"),
        "{shown}"
    );
    assert!(
        shown.contains("mismatched types") && shown.contains("cargo xtask hint"),
        "{shown}"
    );
    assert!(
        !shown.contains("failing_test"),
        "next stops at the first failure: {shown}"
    );

    // The progress is a cache: corrupting it loses nothing, the exercise that passed
    // is simply checked again.
    let progress = common::target_dir().join("threadlings/threadlings-fixtures-next/progress.json");
    std::fs::write(&progress, "{ not json").unwrap();
    let again = xtask(&kit, &["next"]);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(text(&again).contains("✓ passes passes"), "{}", text(&again));

    let list = text(&xtask(&kit, &["list"]));
    assert!(
        list.contains("✓ done") && list.contains("→ current  compile_error"),
        "{list}"
    );
    assert!(list.contains("1/11 exercises done"), "{list}");
}

#[test]
fn hints_come_one_level_at_a_time() {
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-hints");
    let first = text(&xtask(&kit, &["hint", "deadlock"]));
    assert!(
        first.contains("Hint 1 of 2:") && !first.contains("Hint 2 of 2:"),
        "{first}"
    );
    let second = text(&xtask(&kit, &["hint", "deadlock"]));
    assert!(
        second.contains("Hint 1 of 2:") && second.contains("Hint 2 of 2:"),
        "{second}"
    );
}

#[test]
fn an_unknown_exercise_is_a_usage_error_with_a_suggestion() {
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-unknown");
    let output = xtask(&kit, &["check", "dedlock"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("Did you mean `deadlock`?"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_malformed_catalog_is_reported_with_its_line_and_field() {
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-malformed");
    let catalog = kit.join("exercises/info.toml");
    let original = std::fs::read_to_string(&catalog).unwrap();
    std::fs::write(
        &catalog,
        original.replacen("points = 10\n", "points = \"ten\"\n", 1),
    )
    .unwrap();
    let output = xtask(&kit, &["list"]);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("exercises/info.toml")
            && shown.contains("line 11")
            && shown.contains("points"),
        "{shown}"
    );
    assert!(!shown.contains("panicked"), "{shown}");
}

#[test]
fn outside_a_kit_the_runner_says_where_to_run_it() {
    let outside = std::env::temp_dir().join(format!("threadlings-outside-{}", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    let output = xtask(&outside, &["list"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("not inside a threadlings kit"),
        "{}",
        text(&output)
    );
    let _ = std::fs::remove_dir(&outside);
}

#[test]
fn check_exits_1_and_prints_the_table_when_anything_fails() {
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-check");
    let output = xtask(&kit, &["check", "passes", "failing_test"]);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("passes") && shown.contains("10.0/10"),
        "{shown}"
    );
    assert!(
        shown.contains("1 of 2 exercises pass; 10.0 of 20 points."),
        "{shown}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let output = xtask(&common::kit_root(), &["chek"]);
    assert_eq!(output.status.code(), Some(2));
}
