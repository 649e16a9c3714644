//! The class report as a browser shows it: headless Chromium (Debian's `chromium`)
//! loads a report of 30 students by 55 exercises and we read back what it rendered.
//! Ignored by a plain `cargo test`, which must pass on a machine without Chromium;
//! `.ci/run` installs Chromium and runs it.

use std::path::Path;
use std::process::Command;

use xtask::model::catalog::{CheckKind, Exercise};
use xtask::model::location::Location;
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
                        ..Default::default()
                    };
                    let case = if (student + index) % 4 == 0 {
                        CaseResult::failure(
                            "a_test",
                            Status::Fail,
                            format!("expected {index} for student {student}"),
                        )
                    } else {
                        CaseResult::pass("a_test", std::time::Duration::ZERO)
                    }
                    .with_output(format!("output of student {student} on exercise {index}"));
                    ExerciseResult {
                        exercise,
                        checks: vec![CheckResult {
                            kind: CheckKind::Tests,
                            cases: vec![case],
                        }],
                    }
                })
                .collect(),
            likeness: Default::default(),
            timing: None,
        })
        .collect()
}

/// The DOM Chromium built for `page` in a window `width` pixels wide.
fn rendered(page: &Path, width: u32) -> String {
    rendered_at(&format!("file://{}", page.display()), width)
}

/// The DOM Chromium built for the page at `address` (which may carry a `#` command).
fn rendered_at(address: &str, width: u32) -> String {
    // A profile of its own per call: tests run side by side, and Chromium refuses a
    // profile that another instance holds.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let profile = std::env::temp_dir().join(format!(
        "threadlings-chromium-{}-{call}",
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
        .arg(address)
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
    std::fs::write(&page, xtask::report::html::render(&class().into())).unwrap();

    let dom = rendered(&page, 1280);
    assert_eq!(dom.matches("<tr class=\"student\"").count(), STUDENTS);
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

/// Written on each call, so that each test has a page of its own.
fn page(tag: &str) -> std::path::PathBuf {
    let page = std::env::temp_dir().join(format!(
        "threadlings-class-{tag}-{}.html",
        std::process::id()
    ));
    std::fs::write(&page, xtask::report::html::render(&class().into())).unwrap();
    page
}

/// The verdict panel's content in `dom`.
fn verdict_panel(dom: &str) -> &str {
    let start = dom
        .find("<section id=\"verdict\"")
        .expect("a verdict panel");
    let end = dom[start..].find("</section>").expect("the panel ends") + start;
    &dom[start..end]
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs this test"]
fn a_cell_opens_that_students_verdict_on_that_exercise() {
    let page = page("cell");
    // Student 3 (the tampered one) fails exercise 1: (3 + 1) % 4 == 0.
    let dom = rendered_at(&format!("file://{}#open=v-3-1", page.display()), 1280);
    let panel = verdict_panel(&dom);
    assert!(
        panel.contains("student-with-a-longish-name-03 — exercise_01: 0.0/10"),
        "{panel}"
    );
    assert!(
        panel.contains("expected 1 for student 3"),
        "the failing case's message: {panel}"
    );
    assert!(
        panel.contains("output of student 3 on exercise 1"),
        "its output: {panel}"
    );
    assert!(
        panel.contains("tampered: build.rs"),
        "the tamper warnings: {panel}"
    );
    assert_eq!(
        dom.matches("class=\"cell full open\"").count()
            + dom.matches("class=\"cell none open\"").count(),
        1
    );

    // Without the command nothing is open: the check above can fail.
    let closed = rendered(&page, 1280);
    assert!(
        !verdict_panel(&closed).contains("exercise_01"),
        "{}",
        verdict_panel(&closed)
    );
    let _ = std::fs::remove_file(&page);
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs this test"]
fn students_sort_by_total_and_back_by_name() {
    let page = page("sort");
    let order = |dom: &str| -> Vec<String> {
        dom.match_indices("<tr class=\"student\" data-name=\"")
            .map(|(at, found)| {
                let rest = &dom[at + found.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .collect()
    };
    let totals = |dom: &str| -> Vec<f64> {
        dom.match_indices("data-total=\"")
            .map(|(at, found)| {
                let rest = &dom[at + found.len()..];
                rest[..rest.find('"').unwrap()].parse().unwrap()
            })
            .collect()
    };
    let by_name = rendered(&page, 1280);
    let names = order(&by_name);
    assert!(names.windows(2).all(|pair| pair[0] <= pair[1]), "{names:?}");
    assert!(
        !totals(&by_name).windows(2).all(|pair| pair[0] >= pair[1]),
        "the class as graded is not in order of totals, so sorting shows"
    );
    let by_total = rendered_at(&format!("file://{}#sort=total", page.display()), 1280);
    assert!(by_total.contains("data-sorted=\"total\""));
    let sorted = totals(&by_total);
    assert_eq!(sorted.len(), STUDENTS);
    assert!(
        sorted.windows(2).all(|pair| pair[0] >= pair[1]),
        "{sorted:?}"
    );
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
        location: Location::new("exercises/01_article/spin_lock.rs", 45),
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
    let html = xtask::report::html::render(&class_with_a_race().into());
    // Once in the section of failed models, once in the verdict its cell opens.
    assert_eq!(html.matches("<details class=\"interleaving\"").count(), 2);
    // Opens the student's exercise as an instructor would, then writes where each step
    // was drawn into the page, for the DOM dump to carry out.
    let measure = "<script>for (const d of document.querySelectorAll('details.interleaving')) d.open = true;\
        for (const s of document.querySelectorAll('.step')) { const r = s.getBoundingClientRect();\
        s.dataset.left = Math.round(r.left); s.dataset.top = Math.round(r.top); }</script></body>";
    let page = std::env::temp_dir().join(format!("threadlings-lanes-{}.html", std::process::id()));
    std::fs::write(&page, html.replace("</body>", measure)).unwrap();
    let dom = rendered(&page, 1280);
    // The verdict panel opens from the cell with the same lanes.
    let opened = rendered_at(&format!("file://{}#open=v-5-7", page.display()), 1280);
    let _ = std::fs::remove_file(&page);
    let panel = verdict_panel(&opened);
    assert!(
        panel.contains("details class=\"interleaving\"") && panel.contains("compare_exchange_weak"),
        "{panel}"
    );
    // The section's lanes, as Chromium laid them out (a template's copy is not laid out).
    let section = &dom[dom
        .find("id=\"interleavings\"")
        .expect("the section of failed models")..];
    let steps: Vec<(u32, i64, i64, bool)> = section
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
