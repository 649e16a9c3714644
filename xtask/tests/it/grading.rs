//! An instructor grading a class: submissions of a four-exercise kit, among them every
//! hostile submission the grader must survive and every trick that would fake a grade.
//! Each is graded in one command, with the right verdict and reason, the rest of the
//! class unharmed, and every report written.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use serde_json::Value;

const CLASS_KIT: &str = "xtask/tests/class/kit";
const PACKAGE: &str = "threadlings-class";

/// The class: each submission is the reference solution with one change.
fn variants() -> Vec<(&'static str, Variant)> {
    let hostile = [
        "infinite_loop",
        "livelock",
        "deadlock",
        "exit_zero",
        "fake_harness",
        "abort",
        "stack_overflow",
        "panic_in_drop",
        "output_flood",
        "allocate_everything",
        "thread_bomb",
        "read_outside",
        "write_outside",
    ];
    let mut class = vec![
        ("perfect-1", Variant::None),
        ("perfect-2", Variant::None),
        ("unsolved", Variant::Shipped(&common::CLASS_EXERCISES)),
        (
            "unsolved-touched",
            Variant::Touched(&common::CLASS_EXERCISES),
        ),
    ];
    class.extend(
        hostile
            .into_iter()
            .map(|name| (name, Variant::Hostile("double", name))),
    );
    // Tricks that would fake a grade from inside the exercise file.
    class.extend([
        (
            "forged-report",
            Variant::Hostile("triple", "triple_forged_report"),
        ),
        (
            "exported-asserts",
            Variant::Hostile("triple", "triple_exported_asserts"),
        ),
        (
            "macro-use-asserts",
            Variant::Hostile("triple", "triple_macro_use"),
        ),
        (
            "free-tests",
            Variant::Hostile("triple", "triple_free_tests"),
        ),
        (
            "alias-exit",
            Variant::Hostile("triple", "triple_alias_exit"),
        ),
        (
            "include-solution",
            Variant::Hostile("triple", "triple_include_solution"),
        ),
        (
            "std-atomics-absolute",
            Variant::Hostile("flag_lock", "flag_lock_std_absolute"),
        ),
        (
            "std-atomics-alias",
            Variant::Hostile("flag_lock", "flag_lock_std_alias"),
        ),
    ]);
    // Tricks that build, out of the policy's sight, what it refuses when written out.
    class.extend([
        (
            "macro-forgery",
            Variant::Hostile("triple", "triple_macro_forgery"),
        ),
        (
            "macro-nested",
            Variant::Hostile("triple", "triple_nested_macro"),
        ),
        (
            "macro-glob",
            Variant::Hostile("triple", "triple_macro_glob"),
        ),
        (
            "macro-std-atomics",
            Variant::Hostile("flag_lock", "flag_lock_macro_std"),
        ),
        (
            "macro-path-solution",
            Variant::Hostile("triple", "triple_macro_path"),
        ),
        (
            "macro-cfg-attr",
            Variant::Hostile("triple", "triple_macro_cfg_attr"),
        ),
        (
            "macro-doc-include",
            Variant::Hostile("triple", "triple_macro_doc_include"),
        ),
        (
            "tokio-crate-path",
            Variant::Hostile("triple", "triple_tokio_crate"),
        ),
        // Safe code that reinterprets memory through a hole in the compiler's lifetime
        // checks (rust-lang/rust#25860), to tell libtest the test should panic.
        (
            "lifetime-hole",
            Variant::Hostile("triple", "triple_should_panic"),
        ),
        // Brackets nested past what any reader of Rust here can follow.
        ("deep-nesting", Variant::Data(nest_deeply)),
        // Graded after every trick: an honest student keeps every point.
        ("zz-honest-after-policy", Variant::None),
    ]);
    class.extend([
        ("relaxed-lock", Variant::Touched(&["flag_lock"])),
        ("sync-counter", Variant::Touched(&["counter_handle"])),
        (
            "tamper-build-rs",
            Variant::Write(
                "build.rs",
                "fn main() { panic!(\"a build script is never run\") }\n",
            ),
        ),
        (
            "tamper-cargo-toml",
            Variant::Write(
                "Cargo.toml",
                "[package]\nname = \"mine\"\nversion = \"9.9.9\"\n",
            ),
        ),
        (
            "tamper-tests",
            Variant::TouchedWithTests("double", "#[test]\nfn doubles() {}\n"),
        ),
        ("tamper-catalog", Variant::EditCatalog),
    ]);
    #[cfg(unix)]
    class.extend(hostile_data::variants());
    class
}

/// `triple`, solved, with its answer inside 200,000 pairs of brackets: 400 KB, under
/// the size cap; every reader of Rust goes down its stack once a level.
fn nest_deeply(_kit: &Path, to: &Path) {
    let depth = 200_000;
    let text = format!(
        "//! Brackets nested 200,000 deep.\npub fn triple(value: u32) -> u32 {{\n    {}value * 3{}\n}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    std::fs::write(to.join("exercises/01_class/triple.rs"), text).unwrap();
}

/// What a change that changes nothing looks like: the file differs, so it is graded.
const NO_OP: &str = "\nconst _: () = ();\n";

enum Variant {
    None,
    /// These exercises as shipped (unsolved).
    Shipped(&'static [&'static str]),
    /// These exercises as shipped, with a change that changes nothing.
    Touched(&'static [&'static str]),
    /// The exercise replaced by `tests/class/hostile/FILE.rs`.
    Hostile(&'static str, &'static str),
    /// A file outside the exercises written with this content.
    Write(&'static str, &'static str),
    /// The exercise touched as shipped, and its checks replaced by ones that always pass.
    TouchedWithTests(&'static str, &'static str),
    /// Every exercise worth 1000 points in the submission's catalog.
    EditCatalog,
    /// The solved copy, then changed on disk by this function of the kit and the copy.
    Data(fn(&Path, &Path)),
}

struct Class {
    kit: PathBuf,
    report: BTreeMap<String, Value>,
    reports: PathBuf,
    exit_code: Option<i32>,
    output: String,
}

static CLASS: LazyLock<Class> = LazyLock::new(|| {
    let _ = std::fs::remove_file("/tmp/threadlings-escaped");
    let kit = common::lay_out_kit(CLASS_KIT, PACKAGE);
    let submissions = common::target_dir().join("threadlings-fixtures/class-submissions");
    let _ = std::fs::remove_dir_all(&submissions);
    for (name, variant) in variants() {
        hand_in(&kit, &submissions.join(name), &variant);
    }
    let reports = common::target_dir().join("threadlings-fixtures/class-reports");
    let _ = std::fs::remove_dir_all(&reports);
    let report_path = |ext: &str| reports.join(format!("class.{ext}")).display().to_string();
    std::fs::create_dir_all(&reports).unwrap();
    let log = |name: &str| std::fs::File::create(reports.join(name)).unwrap();
    let mut grader = common::xtask_command(&kit)
        .args(["check", "--submission"])
        .arg(&submissions)
        .args([
            "--json",
            &report_path("json"),
            "--junit",
            &report_path("xml"),
        ])
        .args(["--csv", &report_path("csv"), "--html", &report_path("html")])
        .stdout(log("grader.out"))
        .stderr(log("grader.err"))
        .spawn()
        .expect("the grader starts");
    let status = finished_by(&mut grader, Instant::now() + GRADER_DEADLINE);
    let read = |name: &str| std::fs::read_to_string(reports.join(name)).unwrap_or_default();
    let text = format!("{}{}", read("grader.out"), read("grader.err"));
    let Some(status) = status else {
        panic!("the grader did not finish within {GRADER_DEADLINE:?}; it printed:\n{text}");
    };
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("class.json")).unwrap_or_default(),
    )
    .unwrap_or_else(|err| panic!("the JSON report parses: {err}\n{text}"));
    let report = json["submissions"]
        .as_array()
        .expect("submissions")
        .iter()
        .map(|submission| {
            (
                submission["name"].as_str().unwrap().to_string(),
                submission.clone(),
            )
        })
        .collect();
    Class {
        kit,
        report,
        reports,
        exit_code: status.code(),
        output: text,
    }
});

/// Ten times what the class takes on a busy two-core machine: a grader that takes longer
/// is stuck (on a submission's named pipe, in a loop of its links).
const GRADER_DEADLINE: Duration = Duration::from_secs(600);

/// The child's exit status, or `None` (and the child killed) if it runs past `deadline`.
fn finished_by(
    child: &mut std::process::Child,
    deadline: Instant,
) -> Option<std::process::ExitStatus> {
    loop {
        if let Some(status) = child.try_wait().expect("the grader can be waited for") {
            return Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Copies the kit as a student would hand it in: solved, then changed by `variant`.
fn hand_in(kit: &Path, to: &Path, variant: &Variant) {
    let exercise = common::hand_in_solved(kit, to);
    let shipped = |name: &str| {
        std::fs::copy(
            kit.join(format!("exercises/01_class/{name}.rs")),
            exercise(name),
        )
        .unwrap();
    };
    let touched = |name: &str| {
        let text = std::fs::read_to_string(kit.join(format!("exercises/01_class/{name}.rs")));
        std::fs::write(exercise(name), text.unwrap() + NO_OP).unwrap();
    };
    match variant {
        Variant::None => {}
        Variant::Shipped(names) => names.iter().for_each(|name| shipped(name)),
        Variant::Touched(names) => names.iter().for_each(|name| touched(name)),
        Variant::Hostile(name, case) => {
            let source = common::kit_root().join(format!("xtask/tests/class/hostile/{case}.rs"));
            std::fs::copy(source, exercise(name)).unwrap();
        }
        Variant::Write(path, content) => std::fs::write(to.join(path), content).unwrap(),
        Variant::TouchedWithTests(name, tests) => {
            touched(name);
            std::fs::write(to.join(format!("tests/{name}/main.rs")), tests).unwrap();
        }
        Variant::EditCatalog => {
            let catalog = to.join("exercises/info.toml");
            let text = std::fs::read_to_string(&catalog).unwrap();
            std::fs::write(&catalog, text.replace("points = 10", "points = 1000")).unwrap();
        }
        Variant::Data(change) => change(kit, to),
    }
}

fn submission(name: &str) -> &'static Value {
    CLASS
        .report
        .get(name)
        .unwrap_or_else(|| panic!("{name} is in the report\n{}", CLASS.output))
}

fn exercise<'a>(submission: &'a Value, name: &str) -> &'a Value {
    submission["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap()
}

/// Asserts that `name`'s exercise `failing` failed with `status` for a reason that
/// mentions `words`, and that every other exercise passed.
fn assert_only_failure(name: &str, failing: &str, status: &str, words: &[&str]) {
    let graded = submission(name);
    for result in graded["exercises"].as_array().unwrap() {
        let checks = result["checks"].as_array().unwrap();
        if result["name"] != failing {
            assert_eq!(
                result["passed"], true,
                "{name}: {} should pass: {result:#}",
                result["name"]
            );
            continue;
        }
        let failed = checks
            .iter()
            .flat_map(|check| check["cases"].as_array().unwrap())
            .find(|case| case["status"] != "pass")
            .unwrap_or_else(|| panic!("{name}: {failing} should fail: {result:#}"));
        assert_eq!(failed["status"], status, "{name}: {failed:#}");
        // The cause (`data-race`, `not-started`, …), then the words of the verdict.
        let told = format!(
            "{} {} {}",
            failed["cause"].as_str().unwrap_or_default(),
            failed["message"].as_str().unwrap(),
            failed["output_excerpt"].as_str().unwrap()
        );
        for word in words {
            assert!(
                told.contains(word),
                "{name}: expected `{word}` in the reason: {told}"
            );
        }
    }
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn the_grader_reports_a_failing_class_with_exit_code_1() {
    if common::skip_without_cargo() {
        return;
    }
    assert_eq!(CLASS.exit_code, Some(1), "{}", CLASS.output);
    assert_eq!(
        CLASS.report.len(),
        variants().len(),
        "every submission is graded: {}",
        CLASS.output
    );
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn correct_submissions_get_every_point_and_no_warning() {
    if common::skip_without_cargo() {
        return;
    }
    for name in ["perfect-1", "perfect-2", "zz-honest-after-policy"] {
        let graded = submission(name);
        assert_eq!(graded["points"], 40.0, "{graded:#}");
        assert_eq!(
            graded["warnings"].as_array().unwrap().len(),
            0,
            "{graded:#}"
        );
    }
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn an_untouched_submission_is_not_attempted_and_earns_nothing() {
    if common::skip_without_cargo() {
        return;
    }
    let graded = submission("unsolved");
    assert_eq!(graded["points"], 0.0, "{graded:#}");
    for result in graded["exercises"].as_array().unwrap() {
        assert_eq!(result["passed"], false, "{result:#}");
        for check in result["checks"].as_array().unwrap() {
            assert_eq!(check["status"], "not attempted", "{result:#}");
        }
    }
}

/// A copy of the kit exactly as shipped, graded twice: nothing is earned, either time.
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn an_untouched_kit_earns_nothing_however_often_it_is_graded() {
    if common::skip_without_cargo() {
        return;
    }
    let untouched = common::target_dir().join("threadlings-fixtures/class-untouched");
    let _ = std::fs::remove_dir_all(&untouched);
    for file in xtask::model::kit::files_under(&CLASS.kit).unwrap() {
        let to = untouched.join(file.strip_prefix(&CLASS.kit).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&file, to).unwrap();
    }
    for run in 1..=2 {
        let report = untouched.with_extension(format!("{run}.json"));
        let output = common::xtask_command(&CLASS.kit)
            .args(["check", "--submission"])
            .arg(&untouched)
            .arg("--json")
            .arg(&report)
            .output()
            .expect("the grader starts");
        let json: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap())
            .unwrap_or_else(|err| panic!("{err}: {}", String::from_utf8_lossy(&output.stderr)));
        let graded = &json["submissions"][0];
        assert_eq!(graded["points"], 0.0, "run {run}: {graded:#}");
        assert_eq!(graded["max_points"], 40, "run {run}: {graded:#}");
    }
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn what_passes_as_shipped_earns_nothing() {
    if common::skip_without_cargo() {
        return;
    }
    // Every file differs from the shipped one, so every check runs; the racy lock's
    // single-threaded test still passes, as it does as shipped, and earns nothing.
    let graded = submission("unsolved-touched");
    assert_eq!(graded["points"], 0.0, "{graded:#}");
    let counts = exercise(graded, "flag_lock")["checks"][0]["cases"][0].clone();
    assert_eq!(counts["status"], "pass", "{counts:#}");
    assert_eq!(counts["passes_as_shipped"], true, "{counts:#}");
    assert!(
        exercise(graded, "flag_lock")
            .to_string()
            .contains("\"cause\":\"data-race\"")
    );
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn tricks_that_would_fake_a_grade_are_refused_with_their_reason() {
    if common::skip_without_cargo() {
        return;
    }
    for (name, failing, words) in [
        (
            "forged-report",
            "triple",
            &["triple.rs:6", "`std::env::args`"][..],
        ),
        (
            "exported-asserts",
            "triple",
            &["triple.rs:3", "`#[macro_export]`"],
        ),
        (
            "macro-use-asserts",
            "triple",
            &["triple.rs:1", "`#[macro_use]`"],
        ),
        ("free-tests", "triple", &["triple.rs:6", "`#[test]`"]),
        (
            "alias-exit",
            "triple",
            &["triple.rs:5", "`macro_rules!`", "`s::process::exit`"],
        ),
        ("include-solution", "triple", &["triple.rs:2", "`include!`"]),
        (
            "std-atomics-absolute",
            "flag_lock",
            &["flag_lock.rs:3", "loom sees only its own types"],
        ),
        (
            "std-atomics-alias",
            "flag_lock",
            &["flag_lock.rs:4", "`s::sync::atomic::AtomicBool`"],
        ),
        (
            "macro-forgery",
            "triple",
            &["triple.rs:6", "`macro_rules!`"],
        ),
        ("macro-nested", "triple", &["triple.rs:6", "`macro_rules!`"]),
        ("macro-glob", "triple", &["triple.rs:5", "`macro_rules!`"]),
        (
            "macro-std-atomics",
            "flag_lock",
            &["flag_lock.rs:4", "`macro_rules!`"],
        ),
        (
            "macro-path-solution",
            "triple",
            &["triple.rs:4", "`macro_rules!`"],
        ),
        (
            "macro-cfg-attr",
            "triple",
            &["triple.rs:3", "`macro_rules!`"],
        ),
        (
            "macro-doc-include",
            "triple",
            &["triple.rs:4", "`macro_rules!`"],
        ),
        (
            "tokio-crate-path",
            "triple",
            &["triple.rs:3", "`#[tokio::main(crate = …)]`"],
        ),
        (
            "lifetime-hole",
            "triple",
            &["triple.rs:13", "rust-lang/rust#25860"],
        ),
        ("deep-nesting", "triple", &["triple.rs:3", "nest deeper"]),
    ] {
        assert_only_failure(name, failing, "refused", &["is not allowed in an exercise"]);
        let graded = submission(name);
        let refusal = exercise(graded, failing).to_string();
        for word in words {
            assert!(
                refusal.contains(word),
                "{name}: expected `{word}` in {refusal}"
            );
        }
        assert_eq!(
            exercise(graded, failing)["points"],
            0.0,
            "{name}: {graded:#}"
        );
    }
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn hangs_end_as_timeouts() {
    if common::skip_without_cargo() {
        return;
    }
    for name in ["infinite_loop", "livelock", "deadlock"] {
        assert_only_failure(name, "double", "timeout", &["stopped after 3 s"]);
    }
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn ending_the_process_early_does_not_pass() {
    if common::skip_without_cargo() {
        return;
    }
    assert_only_failure(
        "exit_zero",
        "double",
        "fail",
        &["exited with code 0 before the test harness reported"],
    );
    assert_only_failure(
        "fake_harness",
        "double",
        "fail",
        &["before the test harness reported"],
    );
    assert_only_failure("abort", "double", "fail", &[common::ABORTED]);
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn crashes_are_failures_with_their_cause() {
    if common::skip_without_cargo() {
        return;
    }
    assert_only_failure("stack_overflow", "double", "fail", &["stack overflowed"]);
    assert_only_failure("panic_in_drop", "double", "fail", &["dropped badly"]);
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn resource_hogs_are_stopped() {
    if common::skip_without_cargo() {
        return;
    }
    assert_only_failure(
        "output_flood",
        "double",
        "fail",
        &["more than 16 MiB of output"],
    );
    assert_only_failure(
        "allocate_everything",
        "double",
        "fail",
        &["ran out of memory"],
    );
    if cfg!(windows) {
        // Windows counts processes, not threads: the bomb ends at the memory cap or at
        // the timeout, whichever comes first.
        assert_eq!(
            exercise(submission("thread_bomb"), "double")["passed"],
            false
        );
    } else {
        assert_only_failure("thread_bomb", "double", "fail", &["failed to spawn thread"]);
    }
}

/// The limits a test process starts under, as the kernel reports them to it.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn test_processes_start_under_limits_on_memory_cpu_time_and_processes() {
    let scratch = common::target_dir().join("threadlings-fixtures/sandbox-limits");
    std::fs::create_dir_all(&scratch).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["sandbox", "--scratch"])
        .arg(&scratch)
        .args(["--cpu-seconds", "7", "--", "/bin/cat", "/proc/self/limits"])
        .output()
        .expect("the sandbox starts");
    let sandboxed = String::from_utf8_lossy(&output.stdout).into_owned();
    let own = std::fs::read_to_string("/proc/self/limits").unwrap();
    // A soft limit, or `u64::MAX` for "unlimited".
    let soft_limit = |limits: &str, name: &str| -> u64 {
        let line = limits
            .lines()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("no `{name}` in\n{limits}"));
        let value = line[name.len()..].split_whitespace().next().unwrap();
        value.parse().unwrap_or(u64::MAX)
    };
    assert_eq!(soft_limit(&sandboxed, "Max cpu time"), 7);
    assert_eq!(soft_limit(&sandboxed, "Max address space"), 4 << 30);
    assert_eq!(soft_limit(&sandboxed, "Max core file size"), 0);
    let processes = soft_limit(&sandboxed, "Max processes");
    assert!(
        processes >= 1024 && processes < soft_limit(&own, "Max processes"),
        "room for a test's threads, and less than the grader's own limit: {processes}"
    );
}

/// File confinement is Landlock's, so Linux's alone (README, "For instructors").
#[cfg(target_os = "linux")]
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn files_outside_the_scratch_folder_are_out_of_reach() {
    assert_only_failure("read_outside", "double", "fail", &["Permission denied"]);
    assert_only_failure("write_outside", "double", "fail", &["Permission denied"]);
    assert!(
        !Path::new("/tmp/threadlings-escaped").exists(),
        "a test wrote outside its scratch folder"
    );
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn wrong_orderings_and_bounds_fail_their_checks() {
    if common::skip_without_cargo() {
        return;
    }
    assert_only_failure(
        "relaxed-lock",
        "flag_lock",
        "fail",
        &["data-race", "happens-before"],
    );
    assert_only_failure(
        "sync-counter",
        "counter_handle",
        "fail",
        &["compiled", "must be rejected with E0277"],
    );
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn tampering_is_reported_and_ignored() {
    if common::skip_without_cargo() {
        return;
    }
    let warned = |name: &str, file: &str| {
        let graded = submission(name);
        let warnings = graded["warnings"].to_string();
        assert!(
            warnings.contains(&format!("tampered: {file}")),
            "{name}: {warnings}"
        );
        graded
    };
    for (name, file) in [
        ("tamper-build-rs", "build.rs"),
        ("tamper-cargo-toml", "Cargo.toml"),
        ("tamper-catalog", "exercises/info.toml"),
    ] {
        let graded = warned(name, file);
        assert_eq!(
            graded["points"], 40.0,
            "{name}: graded with the kit's own files: {graded:#}"
        );
        assert_eq!(
            graded["max_points"], 40,
            "{name}: points come from the kit's catalog"
        );
    }
    warned("tamper-tests", "tests/double/main.rs");
    assert_only_failure(
        "tamper-tests",
        "double",
        "fail",
        &["not-started", "todo!()"],
    );
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn submissions_are_built_one_after_another_in_one_tree() {
    if common::skip_without_cargo() {
        return;
    }
    let _ = &*CLASS;
    let scratch = common::target_dir().join(format!("threadlings/{PACKAGE}/scratch"));
    let mut trees: Vec<String> = std::fs::read_dir(&scratch)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    trees.sort();
    assert_eq!(
        trees,
        ["compile-fail-submission", "submission"],
        "the build products of a class must not grow with its size"
    );
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn every_report_is_written_for_the_whole_class() {
    if common::skip_without_cargo() {
        return;
    }
    let read =
        |ext: &str| std::fs::read_to_string(CLASS.reports.join(format!("class.{ext}"))).unwrap();
    let students = variants().len();
    let csv = read("csv");
    assert_eq!(
        csv.lines().count(),
        students + 1,
        "a header and a row per student:\n{csv}"
    );
    assert!(
        csv.starts_with(
            "student,double,flag_lock,counter_handle,triple,total,max,warnings,not graded\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("\nperfect-1,10.00,10.00,10.00,10.00,40.00,40,0,\n"),
        "{csv}"
    );
    let junit = read("xml");
    assert_eq!(junit.matches("<testsuite ").count(), students, "{junit}");
    assert!(junit.contains("type=\"timed out\""), "{junit}");
    let html = read("html");
    assert_eq!(html.matches("<tr class=\"student\"").count(), students);
    assert!(
        html.contains(&format!("{students} students, 4 exercises")),
        "{html}"
    );
    assert!(CLASS.kit.join("exercises/info.toml").is_file());
}

/// Submissions whose files are hostile data rather than hostile code: links out of the
/// submission, pipes, a huge file, trees without end. Made as a student's archive would
/// bring them; unix makes them all without privileges.
#[cfg(unix)]
mod hostile_data {
    use std::os::unix::fs::symlink;
    use std::path::Path;

    use super::Variant;

    /// Junk files in one folder: more than a listing of a submission goes through.
    pub const MANY_FILES: usize = 12_000;
    /// Folders in one another: deeper than a listing of a submission goes.
    pub const DEEP_FOLDERS: usize = 100;

    pub fn variants() -> Vec<(&'static str, Variant)> {
        vec![
            (
                "linked-solutions",
                Variant::Data(exercises_linked_to_solutions),
            ),
            (
                "linked-classmate",
                Variant::Data(exercises_linked_to_classmate),
            ),
            ("linked-chapter", Variant::Data(chapter_linked_to_classmate)),
            (
                "mallory-links-classmate",
                Variant::Data(submission_linked_to_classmate),
            ),
            ("named-pipe", Variant::Data(named_pipe)),
            ("link-loop", Variant::Data(link_loops)),
            ("link-to-dev-zero", Variant::Data(link_to_dev_zero)),
            ("huge-files", Variant::Data(huge_files)),
            ("many-files", Variant::Data(many_files)),
            ("deep-tree", Variant::Data(deep_tree)),
            // Graded after them all: nothing of theirs may touch this student's grade.
            ("zz-honest-after-links", Variant::None),
        ]
    }

    /// `path` (a file or a folder) replaced by a link to `target`.
    fn replace_with_link(path: &Path, target: &Path) {
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
        symlink(target, path).unwrap();
    }

    fn exercises_linked_to_solutions(kit: &Path, to: &Path) {
        replace_with_link(&to.join("exercises"), &kit.join("solutions"));
    }

    fn exercises_linked_to_classmate(_: &Path, to: &Path) {
        replace_with_link(&to.join("exercises"), Path::new("../perfect-1/exercises"));
    }

    fn chapter_linked_to_classmate(_: &Path, to: &Path) {
        let classmate = Path::new("../../perfect-1/exercises/01_class");
        replace_with_link(&to.join("exercises/01_class"), classmate);
    }

    /// Not a folder of its own, among the submissions: a link to a classmate's.
    fn submission_linked_to_classmate(_: &Path, to: &Path) {
        replace_with_link(to, Path::new("perfect-1"));
    }

    /// Reading a named pipe that no one writes waits forever.
    fn named_pipe(_: &Path, to: &Path) {
        let made = std::process::Command::new("mkfifo")
            .arg(to.join("notes"))
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
    }

    /// Two links to folders above them: a listing that follows them grows without end.
    fn link_loops(_: &Path, to: &Path) {
        symlink(".", to.join("loop-a")).unwrap();
        symlink("..", to.join("exercises/loop-b")).unwrap();
    }

    fn link_to_dev_zero(_: &Path, to: &Path) {
        symlink("/dev/zero", to.join("zero")).unwrap();
    }

    /// A file of 4 GiB, sparse (it costs no disk), and an exercise file of 2 MiB: the
    /// solution with a long comment.
    fn huge_files(_: &Path, to: &Path) {
        let big = std::fs::File::create(to.join("big.bin")).unwrap();
        big.set_len(4 << 30).unwrap();
        let double = to.join("exercises/01_class/double.rs");
        let solved = std::fs::read_to_string(&double).unwrap();
        let comment = format!("// {}\n", "x".repeat(2 << 20));
        std::fs::write(&double, solved + &comment).unwrap();
    }

    fn many_files(_: &Path, to: &Path) {
        let junk = to.join("junk");
        std::fs::create_dir(&junk).unwrap();
        for i in 0..MANY_FILES {
            std::fs::File::create(junk.join(i.to_string())).unwrap();
        }
    }

    fn deep_tree(_: &Path, to: &Path) {
        let deepest = (0..DEEP_FOLDERS).fold(to.to_path_buf(), |dir, _| dir.join("d"));
        std::fs::create_dir_all(&deepest).unwrap();
        std::fs::write(deepest.join("bottom.txt"), "the bottom\n").unwrap();
    }
}

/// The warnings of `name`'s submission, as one text.
#[cfg(unix)]
fn warnings_of(name: &str) -> String {
    submission(name)["warnings"].to_string()
}

#[cfg(unix)]
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn linked_folders_are_tamper_warnings_and_their_files_earn_nothing() {
    for (name, link) in [
        ("linked-solutions", "exercises"),
        ("linked-classmate", "exercises"),
        ("linked-chapter", "exercises/01_class"),
    ] {
        let graded = submission(name);
        assert_eq!(graded["points"], 0.0, "{name}: {graded:#}");
        let warnings = warnings_of(name);
        assert!(
            warnings.contains(&format!("tampered: {link} is a symbolic link")),
            "{name}: {warnings}"
        );
        for result in graded["exercises"].as_array().unwrap() {
            assert_eq!(
                result["checks"][0]["status"], "not attempted",
                "{name}: {result:#}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn a_link_among_the_submissions_is_not_graded_as_the_classmate_it_names() {
    let graded = submission("mallory-links-classmate");
    assert_eq!(graded["points"], 0.0, "{graded:#}");
    let warnings = warnings_of("mallory-links-classmate");
    assert!(warnings.contains("is a symbolic link"), "{warnings}");
    assert_eq!(submission("perfect-1")["points"], 40.0);
}

#[cfg(unix)]
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn pipes_links_and_huge_files_in_a_submission_are_never_read() {
    for (name, warning) in [
        ("named-pipe", "tampered: notes is a named pipe"),
        ("link-loop", "tampered: loop-a is a symbolic link"),
        ("link-loop", "tampered: exercises/loop-b is a symbolic link"),
        ("link-to-dev-zero", "tampered: zero is a symbolic link"),
    ] {
        let graded = submission(name);
        assert_eq!(graded["points"], 40.0, "{name}: {graded:#}");
        let warnings = warnings_of(name);
        assert!(warnings.contains(warning), "{name}: {warnings}");
    }
    // The exercise file over the cap is graded as shipped: not attempted.
    let graded = submission("huge-files");
    assert_eq!(graded["points"], 30.0, "{graded:#}");
    assert_eq!(
        exercise(graded, "double")["checks"][0]["status"],
        "not attempted"
    );
    let warnings = warnings_of("huge-files");
    for warning in [
        "exercises/01_class/double.rs is larger than 1 MiB",
        "tampered: big.bin is not part of the kit",
    ] {
        assert!(warnings.contains(warning), "{warnings}");
    }
}

#[cfg(unix)]
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn listing_a_submission_stops_at_its_limits_and_says_so() {
    let many = submission("many-files");
    assert_eq!(many["points"], 40.0, "{many:#}");
    let warnings = many["warnings"].as_array().unwrap();
    assert!(
        warnings.len() < hostile_data::MANY_FILES / 10,
        "a report is no place for every junk file: {} warnings",
        warnings.len()
    );
    let text = warnings_of("many-files");
    assert!(text.contains("the listing stopped after"), "{text}");
    let deep = submission("deep-tree");
    assert_eq!(deep["points"], 40.0, "{deep:#}");
    let text = warnings_of("deep-tree");
    assert!(text.contains("levels deep are not listed"), "{text}");
}

#[cfg(unix)]
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute): .ci/run runs it"]
fn the_honest_student_graded_after_hostile_data_keeps_every_point() {
    let graded = submission("zz-honest-after-links");
    assert_eq!(graded["points"], 40.0, "{graded:#}");
    assert_eq!(graded["warnings"], serde_json::json!([]), "{graded:#}");
}
