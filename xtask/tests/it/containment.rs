//! The sandbox as the second wall: hostile submissions that the policy lets through
//! (the class kit's `double` is allowed process control, files, the environment,
//! `std::os`, the network and `unsafe`), graded as an instructor grades a class, with an
//! honest student graded after them. Each must be harmless: the grader lives and writes
//! its report, the honest student keeps every point, nothing reaches the network or the
//! grader's environment, and a compiler that runs away is stopped with a verdict.
//! Linux only: it is what Linux enforces.
#![cfg(target_os = "linux")]

use crate::common;

use std::collections::BTreeMap;
use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::Value;

const CLASS_KIT: &str = "xtask/tests/class/kit";
const PACKAGE: &str = "threadlings-containment";

/// Each hostile submission replaces `double` with `xtask/tests/class/hostile/FILE.rs`;
/// they are graded in this order, the honest student last.
const HOSTILE: &[(&str, &str)] = &[
    ("a-daemon", "double_daemon"),
    ("b-kill-grader", "double_kill_grader"),
    ("c-exfiltrate", "double_exfiltrate"),
    ("d-runaway-const", "double_runaway_const"),
    ("e-runaway-memory", "double_runaway_memory"),
    ("f-log-to-dev-zero", "double_log_to_dev_zero"),
    ("g-log-to-stdin", "double_log_to_stdin"),
    ("h-memory-in-children", "double_memory_in_children"),
    ("i-disk", "double_disk_left_behind"),
    ("j-proc-probe", "double_proc_probe"),
    ("k-include-solution", "double_include_solution"),
];
const HONEST: &str = "z-honest";

/// The CPU time each compiler process gets in this class: enough for the class kit,
/// and a runaway constant is stopped without a long wait.
const BUILD_CPU_SECONDS: &str = "60";

struct Class {
    report: BTreeMap<String, Value>,
    exit_code: Option<i32>,
    output: String,
    /// What reached the listener on this machine.
    received: Vec<u8>,
}

static CLASS: LazyLock<Class> = LazyLock::new(|| {
    let kit = common::lay_out_kit(CLASS_KIT, PACKAGE);
    let listener = TcpListener::bind("127.0.0.1:0").expect("a listener on loopback");
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&received);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut bytes = Vec::new();
            let _ = (&stream).read_to_end(&mut bytes);
            into.lock().unwrap().extend(bytes);
        }
    });
    let submissions = common::target_dir().join("threadlings-fixtures/containment-submissions");
    let _ = std::fs::remove_dir_all(&submissions);
    for (name, hostile) in HOSTILE {
        hand_in(&kit, &submissions.join(name), Some(hostile), port);
    }
    hand_in(&kit, &submissions.join(HONEST), None, port);
    let report_file = common::target_dir().join("threadlings-fixtures/containment.json");
    let _ = std::fs::remove_file(&report_file);
    // The grader's standard input is a pipe that stays open, as an instructor's
    // terminal does: a test must not make the grader read it.
    let mut grader = common::xtask_command(&kit)
        .env("THREADLINGS_GRADER_SECRET", "the grader's own")
        .env("THREADLINGS_BUILD_CPU_SECONDS", BUILD_CPU_SECONDS)
        .args(["check", "--submission"])
        .arg(&submissions)
        .arg("--json")
        .arg(&report_file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the grader starts");
    let held_open = grader.stdin.take();
    let read = |stream: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stream.expect("piped").read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = read(
        grader
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let stderr = read(
        grader
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let status = grader.wait().expect("the grader ends");
    drop(held_open);
    let output = Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    let output_text = common::text(&output);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_file).unwrap_or_default())
            .unwrap_or_else(|err| panic!("the grader wrote its report: {err}\n{output_text}"));
    let report = json["submissions"]
        .as_array()
        .expect("submissions")
        .iter()
        .map(|graded| (graded["name"].as_str().unwrap().to_string(), graded.clone()))
        .collect();
    let received = received.lock().unwrap().clone();
    Class {
        report,
        exit_code: output.status.code(),
        output: output_text,
        received,
    }
});

/// A solved copy of the kit, with `double` replaced by a hostile file if given.
fn hand_in(kit: &Path, to: &Path, hostile: Option<&str>, port: u16) {
    let exercise = common::hand_in_solved(kit, to);
    if let Some(hostile) = hostile {
        let source = common::kit_root().join(format!("xtask/tests/class/hostile/{hostile}.rs"));
        let text = std::fs::read_to_string(source).unwrap();
        std::fs::write(
            exercise("double"),
            text.replace("LISTENER_PORT", &port.to_string())
                .replace("KIT_ROOT", &kit.display().to_string())
                .replace("CLASS_ROOT", &to.parent().unwrap().display().to_string()),
        )
        .unwrap();
    }
}

fn graded(name: &str) -> &'static Value {
    CLASS
        .report
        .get(name)
        .unwrap_or_else(|| panic!("{name} is in the report\n{}", CLASS.output))
}

/// The first failed case of `exercise` in `name`'s report, as text.
fn failure(name: &str, exercise: &str) -> String {
    let result = graded(name)["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| result["name"] == exercise)
        .unwrap();
    result["checks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|check| check["cases"].as_array().unwrap())
        .find(|case| case["status"] != "pass")
        .map(|case| case.to_string())
        .unwrap_or_else(|| panic!("{name}: {exercise} should fail: {result:#}"))
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute and more): .ci/run runs it"]
fn the_grader_lives_and_grades_every_submission() {
    assert_eq!(CLASS.exit_code, Some(1), "{}", CLASS.output);
    assert_eq!(CLASS.report.len(), HOSTILE.len() + 1, "{}", CLASS.output);
}

/// A process left behind, a signal to the grader: the student graded after keeps every
/// point.
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute and more): .ci/run runs it"]
fn the_honest_student_graded_after_keeps_every_point() {
    let honest = graded(HONEST);
    assert_eq!(honest["points"], 40.0, "{honest:#}\n{}", CLASS.output);
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute and more): .ci/run runs it"]
fn nothing_reaches_the_network_and_the_grader_environment_is_not_seen() {
    assert!(
        CLASS.received.is_empty(),
        "a test sent {} bytes to a listener on this machine:\n{}",
        CLASS.received.len(),
        String::from_utf8_lossy(&CLASS.received)
    );
    let exfiltrate = graded("c-exfiltrate");
    assert_eq!(
        exfiltrate["points"], 40.0,
        "the test saw the grader's environment: {exfiltrate:#}"
    );
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute and more): .ci/run runs it"]
fn a_constant_that_never_ends_stops_the_compiler_with_a_verdict() {
    let told = failure("d-runaway-const", "double");
    assert!(told.contains("compile error"), "{told}");
    assert!(
        told.contains(&format!(
            "used all of its {BUILD_CPU_SECONDS} s of CPU time"
        )),
        "{told}"
    );
    assert_eq!(graded("d-runaway-const")["points"], 30.0);
}

#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute and more): .ci/run runs it"]
fn a_constant_too_large_for_memory_stops_the_compiler_with_a_verdict() {
    let told = failure("e-runaway-memory", "double");
    assert!(told.contains("compile error"), "{told}");
    assert!(told.contains("memory"), "{told}");
    assert_eq!(graded("e-runaway-memory")["points"], 30.0);
}

/// A harness log replaced by a link to `/dev/zero` or to `/dev/stdin` (the grader's, a
/// pipe that stays open): the grader reads neither, and the test does not pass.
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute and more): .ci/run runs it"]
fn a_harness_log_linked_elsewhere_is_not_read() {
    for name in ["f-log-to-dev-zero", "g-log-to-stdin"] {
        let told = failure(name, "double");
        assert!(told.contains("before the test harness reported"), "{told}");
        assert_eq!(graded(name)["points"], 30.0, "{name}");
    }
}

/// Children forked to hold memory of their own, each under its own limit: a test
/// makes no process, so it ends at once with the right answer.
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute and more): .ci/run runs it"]
fn a_test_cannot_start_processes() {
    let graded = graded("h-memory-in-children");
    assert_eq!(graded["points"], 40.0, "{graded:#}");
}

/// Twenty files of the size limit each: the test is stopped once its folder holds more
/// than the folder's limit.
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute and more): .ci/run runs it"]
fn a_test_that_fills_its_folder_is_stopped() {
    let told = failure("i-disk", "double");
    assert!(told.contains("wrote more than 256 MiB of files"), "{told}");
}

/// Looking for other processes by `stat` of `/proc/PID`, which Landlock does not
/// govern: the test's `/proc` is its namespace's, which holds its init and itself.
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute and more): .ci/run runs it"]
fn a_test_sees_no_other_process() {
    let told = failure("j-proc-probe", "double");
    let visible: usize = told
        .split(" processes visible")
        .next()
        .and_then(|before| before.rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("the probe's count: {told}"));
    assert!(visible <= 3, "{visible} processes visible: {told}");
    assert!(!told.contains("grader?"), "{told}");
}

/// `include_str!` of the instructor's solution and of a classmate's file, read by the
/// compiler: the build reads neither, and the file does not compile.
#[test]
#[ignore = "slow (grades a class of hostile submissions, a minute and more): .ci/run runs it"]
fn a_build_reads_neither_the_solutions_nor_a_classmates_files() {
    let told = failure("k-include-solution", "double");
    assert!(told.contains("compile error"), "{told}");
    assert!(told.contains("Permission denied"), "{told}");
}
