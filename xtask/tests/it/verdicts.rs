//! The runner on a kit in miniature (`tests/fixtures/`): each fixture exercise is made
//! to produce one verdict, and each test here checks that verdict and its explanation.
//! All fixtures are checked once, in one run, as an instructor's `check` would.

use crate::common;

use std::path::PathBuf;
use std::sync::LazyLock;

use xtask::engine::{Depth, Runner};
use xtask::model::catalog::CheckKind;
use xtask::model::kit::{Kit, Source};
use xtask::model::outcome::{CaseResult, Cause, ExerciseResult, Graded, Status, Step};
use xtask::report::{json, timeline};

use crate::common::report_text;

/// The fixture kit laid out afresh as `package`, building into the shared target dir.
fn fixture_kit(package: &str) -> Kit {
    Kit::open(&common::lay_out_kit(common::FIXTURES, package), || {
        Ok(common::target_dir())
    })
    .unwrap()
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
    if common::skip_without_cargo() {
        return;
    }
    assert_verdict("passes", Status::Pass, &[]);
    let result = RESULTS
        .iter()
        .find(|result| result.exercise.name == "passes")
        .unwrap();
    assert_eq!(result.points_earned(), 10.0);
}

#[test]
fn a_compile_error_shows_the_compilers_diagnostic_at_the_exercise() {
    if common::skip_without_cargo() {
        return;
    }
    let case = assert_verdict(
        "compile_error",
        Status::CompileError,
        &[
            "mismatched types",
            "the compiler's errors in exercises/01_fixtures/compile_error.rs",
        ],
    );
    assert_eq!(
        case.location.as_ref().map(ToString::to_string).as_deref(),
        Some("exercises/01_fixtures/compile_error.rs:3")
    );
}

/// A file that the policy's reader cannot read is not refused with a guess: it is built,
/// and the compiler's own error, at its line, is the verdict.
#[test]
fn a_file_that_does_not_lex_gets_the_compilers_error_at_its_line() {
    if common::skip_without_cargo() {
        return;
    }
    let case = assert_verdict(
        "unclosed_paren",
        Status::CompileError,
        &[
            "unclosed delimiter",
            "the compiler's errors in exercises/01_fixtures/unclosed_paren.rs",
        ],
    );
    assert_eq!(
        case.location.as_ref().map(ToString::to_string).as_deref(),
        Some("exercises/01_fixtures/unclosed_paren.rs:3")
    );
    // Should such a file ever build (the kit's reader and rustc disagreeing), it is
    // refused before anything of it runs.
    let kit = fixture_kit("threadlings-fixtures-unreadable");
    let exercise = kit.catalog.find("unclosed_paren").unwrap();
    let runner = runner(&kit);
    assert!(runner.refusal(exercise, false).unwrap().is_none());
    let refused = runner.refusal_to_run(exercise, false).unwrap().unwrap();
    assert_eq!(refused.status, Status::Refused, "{}", refused.message);
    assert!(
        refused.message.contains("cannot judge it"),
        "{}",
        refused.message
    );
}

/// The same for a file that is not UTF-8: the compiler says so, and the rest of the
/// kit is checked.
#[test]
fn a_file_that_is_not_utf8_gets_the_compilers_error() {
    if common::skip_without_cargo() {
        return;
    }
    assert_verdict(
        "not_utf8",
        Status::CompileError,
        &["not_utf8.rs`: stream did not contain valid UTF-8"],
    );
}

#[test]
fn a_failed_assertion_shows_its_message_and_the_programs_output() {
    if common::skip_without_cargo() {
        return;
    }
    let case = assert_verdict(
        "failing_test",
        Status::Fail,
        &[
            "expected 21 doubled",
            "doubling 21",
            "(panicked at tests/failing_test/main.rs:7:5)",
        ],
    );
    assert_eq!(case.cause, Some(Cause::AssertionFailed));
    // The assertion is the check's; the student's line is the function it called.
    assert_eq!(
        case.location.as_ref().map(ToString::to_string).as_deref(),
        Some("exercises/01_fixtures/failing_test.rs:2")
    );
    assert!(
        !case.output.contains("test result:"),
        "harness lines are not the program's output: {}",
        case.output
    );
}

#[test]
fn a_todo_reached_is_not_started_and_says_which_todo_first_in_the_files_words() {
    if common::skip_without_cargo() {
        return;
    }
    let result = RESULTS
        .iter()
        .find(|result| result.exercise.name == "not_started")
        .unwrap();
    // The file's order, not libtest's alphabetical one.
    let names: Vec<&str> = result.checks[0]
        .cases
        .iter()
        .map(|case| case.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "sums_three_values",
            "an_empty_slice_sums_to_zero_without_panicking"
        ]
    );
    let (_, case) = result.first_failure().unwrap();
    assert_eq!(case.name, "sums_three_values");
    assert_eq!(case.cause, Some(Cause::NotStarted), "{}", case.message);
    assert_eq!(
        case.location.as_ref().map(ToString::to_string).as_deref(),
        Some("exercises/01_fixtures/not_started.rs:4")
    );
    assert_eq!(
        case.message.lines().next(),
        Some("Start with the TODO at line 4: add up the values, one after another.")
    );
    // Nothing of what the checks would say of code not yet written.
    let second = &result.checks[0].cases[1];
    assert_eq!(second.cause, Some(Cause::NotStarted));
    assert!(!second.message.contains("length"), "{}", second.message);
}

#[test]
fn a_deadlock_ends_as_a_timeout_with_the_last_lines_printed() {
    if common::skip_without_cargo() {
        return;
    }
    let case = assert_verdict(
        "deadlock",
        Status::Timeout,
        &[
            "stopped after 2 s: likely a deadlock or a thread that never finishes",
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
    if common::skip_without_cargo() {
        return;
    }
    let result = RESULTS
        .iter()
        .find(|result| result.exercise.name == "hangs_in_every_test")
        .unwrap();
    let statuses: Vec<Status> = result.checks[0].cases.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [Status::Timeout; 3]);
}

#[test]
fn a_students_check_skips_the_tests_queued_after_a_timeout() {
    if common::skip_without_cargo() {
        return;
    }
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
    if common::skip_without_cargo() {
        return;
    }
    assert_verdict(
        "exit_cheat",
        Status::Fail,
        &["exited with code 0 before the test harness reported"],
    );
}

#[test]
fn printing_fake_harness_lines_does_not_pass() {
    if common::skip_without_cargo() {
        return;
    }
    assert_verdict(
        "fake_harness",
        Status::Fail,
        &["before the test harness reported"],
    );
}

#[test]
fn an_abort_is_reported_as_a_signal() {
    if common::skip_without_cargo() {
        return;
    }
    assert_verdict("aborts", Status::Fail, &[common::ABORTED]);
}

#[test]
fn a_loom_data_race_is_explained_with_both_accesses() {
    if common::skip_without_cargo() {
        return;
    }
    let case = assert_verdict("loom_race", Status::Fail, &["happens-before", "Release"]);
    assert_eq!(case.cause, Some(Cause::DataRace));
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
    if common::skip_without_cargo() {
        return;
    }
    let case = assert_verdict(
        "loom_deadlock",
        Status::Fail,
        &["in some interleaving every thread was blocked"],
    );
    assert_eq!(case.cause, Some(Cause::Deadlocked));
    // The student's line: a blocked thread's `lock`, a marked step of the interleaving.
    assert_eq!(
        case.location.as_ref().map(ToString::to_string).as_deref(),
        Some("exercises/01_fixtures/loom_deadlock.rs:7")
    );
}

#[test]
fn a_leaked_arc_under_loom_is_explained() {
    if common::skip_without_cargo() {
        return;
    }
    let case = assert_verdict(
        "loom_leak",
        Status::Fail,
        &["when the model ended, an `Arc`"],
    );
    assert_eq!(case.cause, Some(Cause::Leaked));
}

#[test]
fn a_spin_loop_without_a_yield_under_loom_is_explained() {
    if common::skip_without_cargo() {
        return;
    }
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
    if common::skip_without_cargo() {
        return;
    }
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
    if common::skip_without_cargo() {
        return;
    }
    assert_refused("loom_std_absolute", 3, &["`::std::cell::UnsafeCell`"]);
    assert_refused("loom_std_alias", 5, &["`s::sync::atomic::AtomicBool`"]);
}

#[test]
fn a_forged_harness_report_is_refused_before_it_runs() {
    if common::skip_without_cargo() {
        return;
    }
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
    if common::skip_without_cargo() {
        return;
    }
    assert_refused("exported_assert", 3, &["`#[macro_export]`", "`assert!`"]);
}

#[test]
fn a_compile_fail_case_that_is_rejected_with_the_expected_code_passes() {
    if common::skip_without_cargo() {
        return;
    }
    assert_verdict("compile_fail_rejects", Status::Pass, &[]);
}

#[test]
fn a_compile_fail_case_that_compiles_fails_and_says_why() {
    if common::skip_without_cargo() {
        return;
    }
    let case = assert_verdict(
        "compile_fail_compiles",
        Status::Fail,
        &["must be rejected with E0277", "must not be shared"],
    );
    assert_eq!(case.cause, Some(Cause::Compiled));
    // The student's line: the promise that let the case compile, not the case's line 1.
    assert_eq!(
        case.location.as_ref().map(ToString::to_string).as_deref(),
        Some("exercises/01_fixtures/compile_fail_compiles.rs:6")
    );
}

#[test]
fn only_the_checks_in_the_catalog_run() {
    if common::skip_without_cargo() {
        return;
    }
    for result in RESULTS.iter() {
        let kinds: Vec<CheckKind> = result.checks.iter().map(|check| check.kind).collect();
        assert_eq!(kinds, result.exercise.checks, "{}", result.exercise.name);
    }
}

/// The interleaving of a fixture's failed model, with its JSON report.
fn interleaving(name: &str) -> (&'static [Step], serde_json::Value) {
    let case = verdict(name);
    assert!(
        !case.interleaving.is_empty(),
        "{name}: a failed model shows the execution that failed\n{}\n{}",
        case.message,
        case.output
    );
    let graded = Graded {
        name: "fixtures".into(),
        warnings: Vec::new(),
        exercises: RESULTS
            .iter()
            .filter(|result| result.exercise.name == name)
            .cloned()
            .collect(),
        likeness: Default::default(),
        timing: None,
    };
    let json: serde_json::Value =
        serde_json::from_str(&report_text(json::render, &vec![graded].into()).unwrap()).unwrap();
    let steps =
        json["submissions"][0]["exercises"][0]["checks"][0]["cases"][0]["interleaving"].clone();
    assert_eq!(
        steps.as_array().map(Vec::len),
        Some(case.interleaving.len()),
        "{name}: the JSON report carries every step: {steps}"
    );
    (&case.interleaving, steps)
}

/// The rows of the terminal's timeline that are marked, as the student sees them.
fn marked_rows(steps: &[Step]) -> Vec<String> {
    timeline::lines(steps)
        .into_iter()
        .filter_map(|line| match line {
            timeline::Line::Step { marked: true, text } => Some(text),
            _ => None,
        })
        .collect()
}

fn find<'a>(steps: &'a [Step], thread: usize, operation: &str) -> Option<&'a Step> {
    steps
        .iter()
        .find(|step| step.thread == thread && step.operation == operation)
}

#[test]
fn a_spin_lock_with_relaxed_orderings_shows_the_racing_run() {
    if common::skip_without_cargo() {
        return;
    }
    let file = "exercises/01_fixtures/loom_spin_lock_relaxed.rs";
    let (steps, json) = interleaving("loom_spin_lock_relaxed");
    // Both threads take the lock with a `Relaxed` compare-exchange, at the exercise's line.
    for thread in [0, 1] {
        let taken = find(steps, thread, "compare_exchange_weak(false, true)")
            .unwrap_or_else(|| panic!("thread {thread} takes the lock: {steps:#?}"));
        assert_eq!(taken.ordering.as_deref(), Some("Relaxed/Relaxed"));
        assert_eq!(taken.value.as_deref(), Some("Ok(false)"));
        assert_eq!(taken.location.file, file, "{taken:?}");
    }
    let released = find(steps, 0, "store(false)").expect("main releases the lock");
    assert_eq!(released.ordering.as_deref(), Some("Relaxed"));
    assert_eq!(released.location.to_string(), format!("{file}:51"));
    // The two racing writes are marked, one per thread, at the `with_mut` line.
    let marked: Vec<&Step> = steps.iter().filter(|step| step.marked).collect();
    assert_eq!(marked.len(), 2, "{steps:#?}");
    assert_ne!(marked[0].thread, marked[1].thread);
    for step in &marked {
        assert_eq!(step.operation, "write");
        assert_eq!(step.location.to_string(), format!("{file}:45"));
    }
    let rows = marked_rows(steps);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert!(
        rows.iter()
            .all(|row| row.starts_with('▶') && row.contains("loom_spin_lock_relaxed.rs:45")),
        "{rows:#?}"
    );
    assert!(
        rows[1].contains("┆") && rows[1].ends_with("UnsafeCell write"),
        "{rows:#?}"
    );
    let in_json: Vec<&serde_json::Value> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|step| step["marked"] == true)
        .collect();
    assert_eq!(in_json.len(), 2);
    assert_eq!(in_json[0]["location"], format!("{file}:45"));
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|step| step["thread"] == "thread 1"
                && step["ordering"] == "Relaxed/Relaxed"
                && step["value"] == "Ok(false)"),
        "{json}"
    );
}

#[test]
fn a_check_then_set_lock_shows_both_threads_seeing_it_free() {
    if common::skip_without_cargo() {
        return;
    }
    let file = "exercises/01_fixtures/loom_check_then_set.rs";
    let (steps, json) = interleaving("loom_check_then_set");
    // Each thread loads `false` and stores `true`: both take the lock.
    for thread in [0, 1] {
        let load = find(steps, thread, "load")
            .unwrap_or_else(|| panic!("thread {thread} checks the lock: {steps:#?}"));
        assert_eq!(load.ordering.as_deref(), Some("Acquire"));
        assert_eq!(load.value.as_deref(), Some("false"));
        assert_eq!(load.location.to_string(), format!("{file}:20"));
        assert!(find(steps, thread, "store(true)").is_some(), "{steps:#?}");
    }
    let marked: Vec<(usize, &str)> = steps
        .iter()
        .filter(|step| step.marked)
        .map(|step| (step.thread, step.operation.as_str()))
        .collect();
    assert_eq!(marked.len(), 2, "{steps:#?}");
    assert_ne!(marked[0].0, marked[1].0);
    assert!(
        marked_rows(steps)
            .iter()
            .all(|row| row.contains("loom_check_then_set.rs:24"))
    );
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|step| step["operation"] == "store(true)"
                && step["ordering"] == "Relaxed"
                && step["location"] == format!("{file}:23")),
        "{json}"
    );
}

#[test]
fn a_loom_deadlock_shows_the_cycle() {
    if common::skip_without_cargo() {
        return;
    }
    let file = "exercises/01_fixtures/loom_deadlock.rs";
    let (steps, json) = interleaving("loom_deadlock");
    // Each thread holds one lock and is blocked taking the other's, at the second `lock`.
    let blocked: Vec<&Step> = steps.iter().filter(|step| step.blocked).collect();
    assert_eq!(blocked.len(), 2, "{steps:#?}");
    let holder = |step: &Step| {
        let other = if step.thread == 0 { "thread 1" } else { "main" };
        format!("held by {other}")
    };
    for step in &blocked {
        assert!(step.marked);
        assert_eq!(step.operation, "lock");
        assert_eq!(step.location.to_string(), format!("{file}:7"));
        assert_eq!(step.value.as_deref(), Some(holder(step).as_str()));
    }
    assert_ne!(blocked[0].thread, blocked[1].thread);
    assert_ne!(blocked[0].object, blocked[1].object);
    for step in &blocked {
        let other = blocked
            .iter()
            .find(|other| other.thread != step.thread)
            .unwrap();
        let took = find(steps, other.thread, "lock").expect("the holder took its lock");
        assert_eq!(took.object, step.object, "{steps:#?}");
        assert_eq!(took.location.to_string(), format!("{file}:6"));
    }
    let rows = marked_rows(steps);
    assert!(
        rows.iter().all(|row| row.contains("(blocked, held by")),
        "{rows:#?}"
    );
    assert_eq!(
        json.as_array()
            .unwrap()
            .iter()
            .filter(|step| step["blocked"] == true)
            .count(),
        2
    );
}

#[test]
fn a_failure_that_is_not_a_loom_model_has_no_interleaving() {
    if common::skip_without_cargo() {
        return;
    }
    assert!(verdict("failing_test").interleaving.is_empty());
    assert!(verdict("deadlock").interleaving.is_empty());
}

#[test]
fn the_same_failing_execution_is_shown_on_every_run() {
    if common::skip_without_cargo() {
        return;
    }
    let names = ["loom_spin_lock_relaxed", "loom_deadlock"];
    for name in names {
        interleaving(name);
    }
    // The kit RESULTS checked, checked again: its builds are reused.
    let root = common::target_dir()
        .join("threadlings-fixtures")
        .join("threadlings-fixtures-verdicts");
    let kit = Kit::open(&root, || Ok(common::target_dir())).unwrap();
    let exercises: Vec<_> = kit
        .catalog
        .exercises
        .iter()
        .filter(|exercise| names.contains(&exercise.name.as_str()))
        .collect();
    let again = runner(&kit).check(&exercises, Depth::All).unwrap();
    assert_eq!(again.len(), names.len());
    for result in &again {
        let case = &result.checks[0].cases[0];
        assert_eq!(
            case.interleaving,
            verdict(&result.exercise.name).interleaving,
            "{}",
            result.exercise.name
        );
    }
}
