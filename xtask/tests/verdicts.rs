//! The runner on a kit in miniature (`tests/fixtures/`): each fixture exercise is made
//! to produce one verdict, and each test here checks that verdict and its explanation.
//! All fixtures are checked once, in one run, as an instructor's `check` would.

mod common;

use std::path::PathBuf;
use std::sync::LazyLock;

use xtask::engine::{Depth, Runner};
use xtask::model::catalog::CheckKind;
use xtask::model::kit::{Kit, Source};
use xtask::model::outcome::{CaseResult, ExerciseResult, Status};

/// The fixture kit laid out afresh as `package`, building into the shared target dir.
fn fixture_kit(package: &str) -> Kit {
    Kit::open(&common::lay_out_kit(common::FIXTURES, package))
        .unwrap()
        .with_target_dir(common::target_dir())
}

/// A runner of the student's exercises that uses this crate's runner executable.
fn runner(kit: &Kit) -> Runner<'_> {
    Runner::new(kit, Source::Exercises)
        .unwrap()
        .with_runner_executable(PathBuf::from(env!("CARGO_BIN_EXE_xtask")))
}

static RESULTS: LazyLock<Vec<ExerciseResult>> = LazyLock::new(|| {
    let kit = fixture_kit("threadlings-fixtures-verdicts");
    let exercises: Vec<_> = kit.catalog.exercises.iter().collect();
    runner(&kit).check(&exercises, Depth::All).unwrap()
});

/// The one case of the fixture's one check.
fn verdict(name: &str) -> &'static CaseResult {
    let result = RESULTS
        .iter()
        .find(|result| result.exercise.name == name)
        .unwrap();
    assert_eq!(result.checks.len(), 1, "{name}: {:?}", result.checks);
    let check = &result.checks[0];
    assert_eq!(check.cases.len(), 1, "{name}: {:?}", check.cases);
    &check.cases[0]
}

fn assert_verdict(name: &str, status: Status, words: &[&str]) -> &'static CaseResult {
    let case = verdict(name);
    assert_eq!(
        case.status, status,
        "{name}: {}\n{}",
        case.message, case.output
    );
    for word in words {
        assert!(
            case.message.contains(word) || case.output.contains(word),
            "{name}: expected `{word}` in\n{}\n{}",
            case.message,
            case.output
        );
    }
    case
}

#[test]
fn a_correct_exercise_passes_with_full_points() {
    assert_verdict("passes", Status::Pass, &[]);
    let result = RESULTS
        .iter()
        .find(|result| result.exercise.name == "passes")
        .unwrap();
    assert_eq!(result.points_earned(), 10.0);
}

#[test]
fn a_compile_error_shows_the_compilers_diagnostic_at_the_exercise() {
    let case = assert_verdict(
        "compile_error",
        Status::CompileError,
        &["mismatched types", "does not compile"],
    );
    assert_eq!(
        case.location.as_ref().map(ToString::to_string).as_deref(),
        Some("exercises/01_fixtures/compile_error.rs:3")
    );
}

#[test]
fn a_failed_assertion_shows_its_message_and_the_programs_output() {
    let case = assert_verdict(
        "failing_test",
        Status::Fail,
        &["expected 21 doubled", "doubling 21"],
    );
    assert_eq!(
        case.location.as_ref().map(ToString::to_string).as_deref(),
        Some("tests/failing_test/main.rs:7")
    );
    assert!(
        !case.output.contains("test result:"),
        "harness lines are not the program's output: {}",
        case.output
    );
}

#[test]
fn a_deadlock_ends_as_a_timeout_with_the_last_lines_printed() {
    let case = assert_verdict(
        "deadlock",
        Status::Timeout,
        &[
            "timed out after 2 s — likely a deadlock or a thread that never finishes",
            "holding b, waiting for a",
        ],
    );
    assert!(
        case.duration.as_secs() < 30,
        "stopped at its timeout, not later: {:?}",
        case.duration
    );
}

#[test]
fn a_grade_runs_every_test_even_after_a_timeout() {
    let result = RESULTS
        .iter()
        .find(|result| result.exercise.name == "hangs_in_every_test")
        .unwrap();
    let statuses: Vec<Status> = result.checks[0].cases.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [Status::Timeout; 3]);
}

#[test]
fn a_students_check_skips_the_tests_queued_after_a_timeout() {
    let kit = fixture_kit("threadlings-fixtures-skips");
    let exercise = kit.catalog.find("hangs_in_every_test").unwrap();
    // One test at a time: the first times out, and the two queued behind it are not
    // started, so the student waits one timeout rather than three.
    let result = runner(&kit)
        .with_jobs(1)
        .check(&[exercise], Depth::UntilFirstFailure)
        .unwrap()
        .remove(0);
    let statuses: Vec<Status> = result.checks[0].cases.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [Status::Timeout, Status::Skipped, Status::Skipped],
        "{:?}",
        result.checks[0].cases
    );
}

#[test]
fn exiting_with_code_zero_does_not_pass() {
    assert_verdict(
        "exit_cheat",
        Status::Fail,
        &["exited with code 0 before the test harness reported"],
    );
}

#[test]
fn printing_fake_harness_lines_does_not_pass() {
    assert_verdict(
        "fake_harness",
        Status::Fail,
        &["before the test harness reported"],
    );
}

#[test]
fn an_abort_is_reported_as_a_signal() {
    assert_verdict("aborts", Status::Fail, &[common::ABORTED]);
}

#[test]
fn a_loom_data_race_is_explained_with_both_accesses() {
    let case = assert_verdict("loom_race", Status::Fail, &["data race", "Release"]);
    let accesses = case
        .message
        .matches("exercises/01_fixtures/loom_race.rs:")
        .count();
    assert!(
        accesses >= 2,
        "expected both racing accesses located: {}",
        case.message
    );
}

#[test]
fn a_loom_deadlock_is_explained() {
    assert_verdict(
        "loom_deadlock",
        Status::Fail,
        &["deadlock: in some interleaving every thread was blocked"],
    );
}

#[test]
fn a_leaked_arc_under_loom_is_explained() {
    assert_verdict(
        "loom_leak",
        Status::Fail,
        &["leak: when the model ended, an `Arc`"],
    );
}

#[test]
fn a_spin_loop_without_a_yield_under_loom_is_explained() {
    assert_verdict(
        "loom_spin",
        Status::Fail,
        &["does not call `threadlings::hint::spin_loop()`"],
    );
}

/// Asserts that the fixture `name` was refused at `line` for a reason naming `words`.
fn assert_refused(name: &str, line: usize, words: &[&str]) {
    let case = assert_verdict(name, Status::Refused, words);
    assert_eq!(
        case.location.as_ref().map(ToString::to_string).as_deref(),
        Some(format!("exercises/01_fixtures/{name}.rs:{line}").as_str()),
        "{name}: {}",
        case.message
    );
    assert!(
        case.message.contains("is not allowed in an exercise: "),
        "{name}: a refusal says why in a sentence: {}",
        case.message
    );
}

#[test]
fn loom_refuses_code_built_on_std_atomics() {
    assert_refused(
        "loom_std_atomics",
        3,
        &[
            "std::sync::atomic::AtomicBool",
            "loom sees only its own types",
            "threadlings::sync",
        ],
    );
}

#[test]
fn loom_refuses_std_atomics_whatever_path_reaches_them() {
    assert_refused("loom_std_absolute", 3, &["`::std::cell::UnsafeCell`"]);
    assert_refused("loom_std_alias", 5, &["`s::sync::atomic::AtomicBool`"]);
}

#[test]
fn a_forged_harness_report_is_refused_before_it_runs() {
    assert_refused(
        "forged_report",
        7,
        &[
            "`std::env::args`",
            "the environment and the arguments belong to the runner",
        ],
    );
    let case = verdict("forged_report");
    for also in ["`std::fs::write`", "`std::process::exit`"] {
        assert!(case.output.contains(also), "{also} in {}", case.output);
    }
}

#[test]
fn exported_macros_cannot_replace_the_checks_assertions() {
    assert_refused("exported_assert", 3, &["`#[macro_export]`", "`assert!`"]);
}

#[test]
fn a_compile_fail_case_that_is_rejected_with_the_expected_code_passes() {
    assert_verdict("compile_fail_rejects", Status::Pass, &[]);
}

#[test]
fn a_compile_fail_case_that_compiles_fails_and_says_why() {
    assert_verdict(
        "compile_fail_compiles",
        Status::Fail,
        &[
            "compiled, but it must be rejected with E0277",
            "must not be shared",
        ],
    );
}

#[test]
fn only_the_checks_in_the_catalog_run() {
    for result in RESULTS.iter() {
        let kinds: Vec<CheckKind> = result.checks.iter().map(|check| check.kind).collect();
        assert_eq!(kinds, result.exercise.checks, "{}", result.exercise.name);
    }
}
