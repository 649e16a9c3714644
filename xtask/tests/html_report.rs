//! The class report as a browser shows it: headless Chromium (Debian's `chromium`)
//! loads a report of 30 students by 55 exercises and we read back what it rendered.
//! Ignored by a plain `cargo test`, which must pass on a machine without Chromium;
//! `.ci/run` installs Chromium and runs it.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use xtask::model::catalog::{CheckKind, Exercise};
use xtask::model::outcome::{CaseResult, CheckResult, ExerciseResult, Graded, Status, Step};

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
    // A profile of its own per call: two Chromiums cannot share one.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let profile = std::env::temp_dir().join(format!(
        "threadlings-chromium-{}-{width}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
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

/// A student's failed model with the racing run of a spin lock, two threads.
fn class_with_a_race() -> Vec<Graded> {
    let mut class = class();
    let step = |thread, operation: &str, marked| Step {
        thread,
        operation: operation.into(),
        object: None,
        ordering: Some("Relaxed".into()),
        value: None,
        location: "exercises/01_article/spin_lock.rs:45".into(),
        blocked: false,
        marked,
    };
    let mut case = CaseResult::failure(
        "two_threads_increment_under_the_lock",
        Status::Fail,
        "data race",
    );
    case.interleaving = vec![
        step(0, "compare_exchange_weak(false, true)", false),
        step(0, "write", true),
        step(0, "store(false)", false),
        step(1, "compare_exchange_weak(false, true)", false),
        step(1, "write", true),
    ];
    class[5].exercises[7].checks[0].cases = vec![case];
    class
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs this test"]
fn a_failed_model_opens_as_one_lane_per_thread_in_the_order_loom_ran_it() {
    let html = xtask::report::html::render(&class_with_a_race());
    assert_eq!(html.matches("<details class=\"interleaving\"").count(), 1);
    // Opens the student's exercise as an instructor would, then writes where each step
    // was drawn into the page, for the DOM dump to carry out.
    let measure = "<script>for (const d of document.querySelectorAll('details.interleaving')) d.open = true;\
        for (const s of document.querySelectorAll('.step')) { const r = s.getBoundingClientRect();\
        s.dataset.left = Math.round(r.left); s.dataset.top = Math.round(r.top); }</script></body>";
    let page = std::env::temp_dir().join(format!("threadlings-lanes-{}.html", std::process::id()));
    std::fs::write(&page, html.replace("</body>", measure)).unwrap();
    let dom = rendered(&page, 1280);
    let _ = std::fs::remove_file(&page);
    let steps: Vec<(u32, i64, i64, bool)> = dom
        .split("<div class=\"step")
        .skip(1)
        .map(|step| {
            let number = |name: &str| -> i64 {
                let at = step
                    .find(&format!("data-{name}=\""))
                    .unwrap_or_else(|| panic!("{name}: {step}"));
                let rest = &step[at + name.len() + 7..];
                rest[..rest.find('"').unwrap()].parse().unwrap()
            };
            (
                number("thread") as u32,
                number("left"),
                number("top"),
                step.starts_with(" marked"),
            )
        })
        .collect();
    assert_eq!(steps.len(), 5, "{dom}");
    // One lane per thread: a thread's steps line up, and thread 1's lane is right of main's.
    let lefts = |thread| {
        let mut lefts: Vec<i64> = steps
            .iter()
            .filter(|s| s.0 == thread)
            .map(|s| s.1)
            .collect();
        lefts.dedup();
        lefts
    };
    assert_eq!(lefts(0).len(), 1, "{steps:?}");
    assert_eq!(lefts(1).len(), 1, "{steps:?}");
    assert!(lefts(1)[0] > lefts(0)[0], "{steps:?}");
    // One row per step, top to bottom in the order loom ran them.
    assert!(
        steps.windows(2).all(|pair| pair[1].2 > pair[0].2),
        "{steps:?}"
    );
    assert_eq!(
        steps.iter().filter(|s| s.3).count(),
        2,
        "the racing writes are marked"
    );
    assert!(dom.contains("spin_lock.rs:45") && dom.contains("Relaxed"));
    // The heat map still fits: the lanes scroll inside their own box.
    assert!(!dom.contains("<body class=\"narrow\">"));
}
