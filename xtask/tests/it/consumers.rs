//! What `check` and `report` give those who read them: a platform's form of one
//! submission refused for a class before anything is graded, a standard output closed
//! early (`| head`) that neither panics nor loses a report, a report whose writing
//! fails half-way leaving the file as it was; and the editor's check on save
//! (`ide-check`), which checks only what the saved file belongs to.

use crate::common::{self, text};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const CLASS_KIT: &str = "xtask/tests/class/kit";

/// A kit of its own, and a class folder of `students` untouched copies of it.
fn kit_and_class(name: &str, students: &[&str]) -> (PathBuf, PathBuf) {
    let kit = common::lay_out_kit(CLASS_KIT, &format!("threadlings-{name}"));
    let class = common::target_dir().join("threadlings-fixtures").join(name);
    let _ = std::fs::remove_dir_all(&class);
    for student in students {
        common::copy_kit(&kit, &class.join(student));
    }
    (kit, class)
}

#[test]
fn a_form_of_one_submission_is_refused_for_a_class_before_grading() {
    if common::skip_without_cargo() {
        return;
    }
    let (kit, class) = kit_and_class("consumers-class-of-two", &["ann", "ben"]);
    let results = class.join("results.json");
    let class_dir = class.display().to_string();
    for form in [
        vec!["--gradescope", results.to_str().unwrap()],
        vec!["--classroom"],
    ] {
        let mut args = vec!["check", "--submission", &class_dir];
        args.extend(&form);
        let output = common::xtask(&kit, &args);
        let text = text(&output);
        assert_eq!(output.status.code(), Some(2), "{form:?}: {text}");
        assert!(text.contains("one submission"), "{form:?}: {text}");
        assert!(
            !text.contains("grading ann"),
            "refused before grading: {text}"
        );
        assert!(!text.contains("result="), "{text}");
        assert!(!results.exists());
    }
}

#[test]
fn two_forms_asked_to_write_one_file_are_refused_before_grading() {
    let (kit, class) = kit_and_class("consumers-one-file", &["ann"]);
    let report = class.join("report.out");
    // One file, however it is spelled: the second form would race the first into the
    // same temporary file beside it.
    let respelled = class.join(".").join("ann").join("..").join("report.out");
    for other in [&report, &respelled] {
        // A usage error is found before the kit is opened, where asking cargo where
        // the kit builds would be the error shown.
        let output = common::xtask_without_cargo(&kit)
            .args(["check", "--submission"])
            .arg(&class)
            .arg("--json")
            .arg(&report)
            .arg("--csv")
            .arg(other)
            .output()
            .expect("the runner starts");
        let text = text(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(
            text.contains(&format!("--json and --csv both name {}", report.display())),
            "{text}"
        );
        assert!(
            !text.contains("grading ann"),
            "refused before grading: {text}"
        );
        assert!(!report.exists(), "nothing is written");
    }
}

/// `check` of ann's submission with a JSON report, its output still to be wired.
fn check_ann(kit: &Path, class: &Path, report: &Path) -> Command {
    let mut command = common::xtask_command(kit);
    command
        .args(["check", "double", "--submission"])
        .arg(class.join("ann"))
        .arg("--json")
        .arg(report)
        .stdin(Stdio::null());
    command
}

#[test]
fn a_closed_stdout_ends_quietly_after_the_reports_are_written() {
    if common::skip_without_cargo() {
        return;
    }
    let (kit, class) = kit_and_class("consumers-pipe", &["ann"]);
    let report = class.join("report.json");
    // A pipe whose reading end is closed before the runner starts: its every write to
    // stdout fails with EPIPE, as after `| head -3` has read its lines.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = check_ann(&kit, &class, &report)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("the runner starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Ann handed in the kit untouched: nothing passes, which is exit 1.
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    let written = std::fs::read_to_string(&report).expect("the report is written");
    assert!(written.contains("\"name\":\"ann\""), "{written}");

    // `2>&1 | head -3`: standard error is the same closed pipe.
    std::fs::remove_file(&report).unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = check_ann(&kit, &class, &report)
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .status()
        .expect("the runner starts");
    assert_eq!(status.code(), Some(1), "with stderr closed too");
    assert!(
        report.exists(),
        "the report is written with stderr closed too"
    );
}

/// A class of `students` who handed in nothing, as a JSON report: a few kilobytes each.
#[cfg(unix)]
fn untouched_class_report(students: usize) -> String {
    use crate::common::report_text;
    use xtask::model::catalog::{CheckKind, Exercise};
    use xtask::model::outcome::{ExerciseResult, Graded};
    use xtask::report::json;
    let class: Vec<Graded> = (0..students)
        .map(|student| Graded {
            name: format!("student-{student:02}"),
            exercises: (0..20)
                .map(|index| {
                    let exercise = Exercise {
                        name: format!("exercise_{index:02}"),
                        chapter: "01_chapter".into(),
                        checks: vec![CheckKind::Tests, CheckKind::Loom],
                        points: 10,
                        hints: vec!["h".into()],
                        ..Default::default()
                    };
                    let file = format!("exercises/01_chapter/{}.rs", exercise.name);
                    ExerciseResult::not_attempted(&exercise, &file)
                })
                .collect(),
            ..Graded::default()
        })
        .collect();
    report_text(json::render, &class.into()).unwrap()
}

/// The file-size limit (`ulimit -f`, with SIGXFSZ ignored so that the write fails with
/// EFBIG rather than killing the runner) makes each report's write fail after 4 KiB:
/// the report a run had written before is still whole, and nothing else is left.
#[cfg(unix)]
#[test]
fn a_report_whose_write_fails_is_left_as_it_was() {
    let dir = common::target_dir().join("threadlings-fixtures/consumers-atomic");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let class = untouched_class_report(8);
    assert!(class.len() > 16 * 1024, "larger than the limit");
    std::fs::write(dir.join("class.json"), &class).unwrap();
    let earlier = "the report of an earlier run\n";
    for out in ["out.json", "out.csv", "out.xml", "out.html"] {
        std::fs::write(dir.join(out), earlier).unwrap();
    }
    let output = Command::new("bash")
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .args(["-c", "trap '' XFSZ; ulimit -f 4; exec \"$@\"", "bash"])
        .arg(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "report",
            "class.json",
            "--json",
            "out.json",
            "--csv",
            "out.csv",
        ])
        .args(["--junit", "out.xml", "--html", "out.html"])
        .output()
        .expect("bash runs");
    let text = text(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("cannot write"), "{text}");
    for out in ["out.json", "out.csv", "out.xml", "out.html"] {
        let now = std::fs::read_to_string(dir.join(out)).unwrap();
        assert_eq!(now, earlier, "{out} was half written");
    }
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["class.json", "out.csv", "out.html", "out.json", "out.xml"],
        "nothing left behind"
    );
}

/// What `ide-check FILE` asks cargo for in the kit itself, recorded by a stand-in for
/// cargo; `None` when it does not run cargo at all.
#[cfg(unix)]
fn ide_check_asks(saved: &str) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let kit = common::kit_root();
    let dir = common::target_dir().join(format!(
        "threadlings-fixtures/consumers-ide-{}",
        saved.replace('/', "-")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let cargo = dir.join("cargo");
    let asked = dir.join("asked");
    std::fs::write(&cargo, "#!/bin/sh\necho \"$@\" > \"$ASKED\"\n").unwrap();
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["ide-check"])
        .arg(kit.join(saved))
        .current_dir(&kit)
        .env("CARGO", &cargo)
        .env("ASKED", &asked)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("the runner starts");
    assert_eq!(output.status.code(), Some(0), "{saved}: {}", text(&output));
    std::fs::read_to_string(&asked)
        .ok()
        .map(|line| line.trim().to_string())
}

#[cfg(unix)]
#[test]
fn ide_check_checks_only_what_the_saved_file_belongs_to() {
    let common = "check --message-format=json --keep-going";
    let (chapter, name) = ("01_article", "spawn_join");
    for (saved, expected) in [
        (
            format!("exercises/{chapter}/{name}.rs"),
            format!("{common} --package threadlings --test {name}"),
        ),
        (
            format!("tests/{name}/main.rs"),
            format!("{common} --package threadlings --test {name}"),
        ),
        (
            "src/lib.rs".to_string(),
            format!("{common} --package threadlings --lib"),
        ),
        (
            "xtask/src/main.rs".to_string(),
            format!("{common} --package xtask --all-targets"),
        ),
    ] {
        assert_eq!(
            ide_check_asks(&saved).as_deref(),
            Some(expected.as_str()),
            "{saved}"
        );
    }
    for saved in [
        "README.md",
        &format!("solutions/{chapter}/{name}.rs"),
        "Cargo.toml",
    ] {
        assert_eq!(ide_check_asks(saved), None, "{saved} is of no target");
    }
}
