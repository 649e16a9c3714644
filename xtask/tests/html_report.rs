//! The class report as a browser shows it: headless Chromium (Debian's `chromium`)
//! loads a report of 30 students by 55 exercises and we read back what it rendered.
//! Ignored by a plain `cargo test`, which must pass on a machine without Chromium;
//! `.ci/run` installs Chromium and runs it.

use std::path::Path;
use std::process::Command;

use xtask::model::catalog::{CheckKind, Exercise};
use xtask::model::outcome::{CaseResult, CheckResult, ExerciseResult, Graded, Status};

const STUDENTS: usize = 30;
const EXERCISES: usize = 55;

fn class() -> Vec<Graded> {
    (0..STUDENTS)
        .map(|student| Graded {
            name: format!("student-with-a-longish-name-{student:02}"),
            warnings: if student == 3 {
                vec!["tampered: build.rs is not part of the kit (ignored)".into()]
            } else {
                Vec::new()
            },
            exercises: (0..EXERCISES)
                .map(|index| {
                    let exercise = Exercise {
                        name: format!("exercise_{index:02}"),
                        chapter: "01_chapter".into(),
                        checks: vec![CheckKind::Tests],
                        points: 10,
                        hints: vec!["h".into()],
                        timeout_secs: None,
                        loom: None,
                        runs: None,
                        allow: Vec::new(),
                        equivalent_mutants: Vec::new(),
                        undetectable_mutants: Vec::new(),
                    };
                    let status = if (student + index) % 4 == 0 {
                        Status::Fail
                    } else {
                        Status::Pass
                    };
                    let case = CaseResult::failure("a_test", status, "");
                    ExerciseResult {
                        exercise,
                        checks: vec![CheckResult {
                            kind: CheckKind::Tests,
                            cases: vec![case],
                        }],
                    }
                })
                .collect(),
        })
        .collect()
}

/// The DOM Chromium built for `page` in a window `width` pixels wide.
fn rendered(page: &Path, width: u32) -> String {
    let profile = std::env::temp_dir().join(format!(
        "threadlings-chromium-{}-{width}",
        std::process::id()
    ));
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},900"))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs (Debian's package `chromium`)");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs this test"]
fn a_class_of_30_fits_a_laptop_window_without_scrolling_sideways() {
    let page = std::env::temp_dir().join(format!("threadlings-class-{}.html", std::process::id()));
    std::fs::write(&page, xtask::report::html::render(&class())).unwrap();

    let dom = rendered(&page, 1280);
    assert_eq!(dom.matches("<tr class=\"student\">").count(), STUDENTS);
    assert_eq!(dom.matches("<th class=\"exercise\"").count(), EXERCISES);
    assert!(dom.contains("30 students, 55 exercises"), "{dom}");
    assert!(dom.contains("⚠ 1"), "the tampered submission is flagged");
    assert!(
        !dom.contains("<body class=\"narrow\">"),
        "at 1280 px the heat map must fit without shrinking or scrolling"
    );

    // The same page in a phone-sized window does not fit, and says so by shrinking:
    // the check above can fail.
    assert!(rendered(&page, 600).contains("<body class=\"narrow\">"));
    let _ = std::fs::remove_file(&page);
}
