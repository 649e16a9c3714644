//! No student lost: a class as zips and hands leave it (a kit one folder deeper, macOS's
//! `__MACOSX`, a folder of notes, a plain file), interrupted with a real Ctrl-C half-way,
//! writes the students graded so far to every report, marked incomplete, with every
//! folder not graded and why; `check --resume` then grades only the students not yet
//! graded (or whose files changed since), and the result is the same as one
//! uninterrupted run of the class.
#![cfg(target_os = "linux")]

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const CLASS_KIT: &str = "xtask/tests/class/kit";
const PACKAGE: &str = "threadlings-interrupted-class";

/// A student's copy: the kit with every exercise solved, then `change`d.
fn hand_in(kit: &Path, to: &Path, change: impl Fn(&dyn Fn(&str) -> PathBuf)) {
    change(&common::hand_in_solved(kit, to));
}

/// `triple` as shipped, in the copy whose exercise files `exercise` names.
fn unsolve_triple(kit: &Path, exercise: &dyn Fn(&str) -> PathBuf) {
    let shipped = kit.join("exercises/01_class/triple.rs");
    std::fs::copy(shipped, exercise("triple")).unwrap();
}

/// The class, in the order it is graded: alice's zip put her kit one folder deeper;
/// carol's `double` deadlocks, so that she takes a while to grade.
fn lay_out_class(kit: &Path, class: &Path) {
    let _ = std::fs::remove_dir_all(class);
    hand_in(kit, &class.join("alice/threadlings-main"), |_| {});
    hand_in(kit, &class.join("bob"), |_| {});
    hand_in(kit, &class.join("carol"), |exercise| {
        let deadlock = common::kit_root().join("xtask/tests/class/hostile/deadlock.rs");
        std::fs::copy(deadlock, exercise("double")).unwrap();
    });
    hand_in(kit, &class.join("dave"), |exercise| {
        unsolve_triple(kit, exercise);
    });
    std::fs::create_dir_all(class.join("__MACOSX/alice")).unwrap();
    std::fs::create_dir_all(class.join("notes")).unwrap();
    std::fs::write(class.join("notes/week1.txt"), "to do\n").unwrap();
    std::fs::write(class.join("grades.txt"), "\n").unwrap();
}

/// Every report form asked of `check` (or `report`), as arguments, into `stem.*`.
fn report_args(reports: &Path, stem: &str) -> Vec<String> {
    ["json", "junit", "csv", "html"]
        .iter()
        .flat_map(|form| {
            let ext = if *form == "junit" { "xml" } else { form };
            let path = reports.join(format!("{stem}.{ext}"));
            [format!("--{form}"), path.display().to_string()]
        })
        .collect()
}

/// Runs `check` of the class, and interrupts it with SIGINT once it starts grading
/// the `nth` student: returns its exit code and everything it printed.
fn interrupted_check(kit: &Path, class: &Path, reports: &Path, nth: usize) -> (i32, String) {
    let mut check = common::xtask_command(kit)
        .args(["check", "--submission"])
        .arg(class)
        .args(report_args(reports, "interrupted"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the runner starts");
    let mut stdout = check.stdout.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let mut stderr = BufReader::new(check.stderr.take().unwrap());
    let mut err_text = String::new();
    let starting = format!("[{nth}/4] grading");
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        err_text.push_str(&line);
        if line.contains(&starting) {
            let pid = libc::pid_t::try_from(check.id()).unwrap();
            // SAFETY: kill(2) on the runner this test started.
            assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
            break;
        }
        line.clear();
    }
    let mut rest = String::new();
    let _ = stderr.read_to_string(&mut rest);
    err_text.push_str(&rest);
    let status = check.wait().unwrap();
    let text = format!("{}{err_text}", out_reader.join().unwrap());
    assert!(
        err_text.contains(&starting),
        "never reached {starting}: {text}"
    );
    (status.code().unwrap_or(-1), text)
}

fn run(mut command: Command) -> String {
    let output = command.output().expect("the runner starts");
    let text = common::text(&output);
    // 1: some student fails, as here; 2 would be a setup error.
    assert_eq!(output.status.code(), Some(1), "{text}");
    text
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("{} is written: {err}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Each student's points and every case's status, by name.
fn grades(report: &Value) -> BTreeMap<String, (f64, Vec<String>)> {
    report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|submission| {
            let statuses = submission["exercises"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|exercise| exercise["checks"].as_array().unwrap().clone())
                .flat_map(|check| check["cases"].as_array().unwrap().clone())
                .map(|case| format!("{} {}", case["name"], case["status"]))
                .collect();
            let name = submission["name"].as_str().unwrap().to_string();
            (name, (submission["points"].as_f64().unwrap(), statuses))
        })
        .collect()
}

fn not_graded(report: &Value) -> BTreeMap<String, String> {
    report["not_graded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let folder = entry["folder"].as_str().unwrap().to_string();
            (folder, entry["reason"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
#[ignore = "slow (grades a class twice, interrupted and resumed): .ci/run runs it"]
fn an_interrupted_class_keeps_its_graded_students_and_resumes_to_the_same_grades() {
    let kit = common::lay_out_kit(CLASS_KIT, PACKAGE);
    let fixtures = common::target_dir().join("threadlings-fixtures");
    let class = fixtures.join("interrupted-class");
    let reports = fixtures.join("interrupted-class-reports");
    let _ = std::fs::remove_dir_all(&reports);
    std::fs::create_dir_all(&reports).unwrap();
    lay_out_class(&kit, &class);

    // Ctrl-C while carol, the third student, is graded.
    let (code, printed) = interrupted_check(&kit, &class, &reports, 3);
    assert_eq!(code, 128 + libc::SIGINT, "{printed}");
    assert!(printed.contains("incomplete"), "{printed}");
    let interrupted = read_json(&reports.join("interrupted.json"));
    assert_eq!(interrupted["incomplete"], true, "{printed}");
    let graded: Vec<String> = grades(&interrupted).into_keys().collect();
    assert_eq!(graded, ["alice", "bob"], "{printed}");
    let skipped = not_graded(&interrupted);
    for student in ["carol", "dave"] {
        assert!(skipped[student].contains("interrupted"), "{skipped:?}");
    }
    assert!(skipped["__MACOSX"].contains("macOS"), "{skipped:?}");
    assert!(
        skipped["notes"].contains("no copy of the kit"),
        "{skipped:?}"
    );
    assert!(
        skipped["grades.txt"].contains("not a folder"),
        "{skipped:?}"
    );
    assert_eq!(skipped.len(), 5, "{skipped:?}");
    // Every form says the class is incomplete, and names every folder not graded.
    for form in ["interrupted.xml", "interrupted.csv", "interrupted.html"] {
        let text = std::fs::read_to_string(reports.join(form)).unwrap();
        assert!(text.contains("incomplete"), "{form}: {text}");
        for folder in skipped.keys() {
            assert!(
                text.contains(folder.as_str()),
                "{form} lacks {folder}: {text}"
            );
        }
    }

    // A report is resumed only against the catalog it was graded with: here, one
    // exercise of it.
    let mut other_catalog = common::xtask_command(&kit);
    other_catalog
        .args(["check", "double", "--submission"])
        .arg(&class)
        .arg("--resume")
        .arg(reports.join("interrupted.json"));
    let refused = other_catalog.output().unwrap();
    let refused_text = common::text(&refused);
    assert_eq!(refused.status.code(), Some(2), "{refused_text}");
    assert!(refused_text.contains("another catalog"), "{refused_text}");
    assert!(!refused_text.contains("grading"), "{refused_text}");

    // Bob changes his answer since: he is graded again, alice is not.
    let bob = |name: &str| class.join(format!("bob/exercises/01_class/{name}.rs"));
    unsolve_triple(&kit, &bob);
    let mut resume = common::xtask_command(&kit);
    resume
        .args(["check", "--submission"])
        .arg(&class)
        .arg("--resume")
        .arg(reports.join("interrupted.json"))
        .args(report_args(&reports, "resumed"));
    let resumed_text = run(resume);
    assert!(resumed_text.contains("[1/3] grading bob"), "{resumed_text}");
    assert!(!resumed_text.contains("grading alice"), "{resumed_text}");
    let resumed = read_json(&reports.join("resumed.json"));
    assert_eq!(resumed["incomplete"], false, "{resumed_text}");

    let mut whole = common::xtask_command(&kit);
    whole
        .args(["check", "--submission"])
        .arg(&class)
        .args(report_args(&reports, "whole"));
    let whole_text = run(whole);
    let whole = read_json(&reports.join("whole.json"));
    assert_eq!(
        grades(&resumed),
        grades(&whole),
        "{resumed_text}\n{whole_text}"
    );
    assert_eq!(not_graded(&resumed), not_graded(&whole));
    // The class is not all alike, so the comparison can fail.
    let points: Vec<f64> = grades(&whole).values().map(|(points, _)| *points).collect();
    assert_eq!(points, [40.0, 30.0, 30.0, 30.0], "{whole_text}");
    assert_eq!(resumed["catalog"], whole["catalog"]);
}
