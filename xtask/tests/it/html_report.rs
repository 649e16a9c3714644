//! The class report as a browser shows it: headless Chromium (Debian's `chromium`)
//! loads a report of 30 students by 55 exercises and we read back what it rendered.
//! The class of 30 on the kit's catalog is also found on disk as a zip would nest it,
//! its JUnit checked by `xmllint`, and its JSON refused beside another kit's.
//! Ignored by a plain `cargo test`, which must pass on a machine without Chromium;
//! `.ci/run` installs Chromium and xmllint and runs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::report::{html, json, junit};

use crate::common::{self, report_text};
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
    std::fs::write(&page, report_text(html::render, &class().into()).unwrap()).unwrap();

    let dom = rendered(&page, 1280);
    assert_eq!(dom.matches("<tr class=\"student\"").count(), STUDENTS);
    assert_eq!(dom.matches("<th class=\"exercise").count(), EXERCISES);
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
    std::fs::write(&page, report_text(html::render, &class().into()).unwrap()).unwrap();
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
        dom.matches(" open\" data-kind=").count(),
        1,
        "one cell is open"
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
    let html = report_text(html::render, &class_with_a_race().into()).unwrap();
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

/// The class of 30 an instructor grades: the kit's own catalog, and every kind of cell.
mod class_of_30 {
    use std::path::Path;
    use std::time::Duration;

    use xtask::model::catalog::{Catalog, CheckKind, Exercise};
    use xtask::model::location::Location;
    use xtask::model::outcome::{
        CaseResult, Cause, CheckResult, ExerciseResult, Graded, Likeness, Step,
    };

    pub const NAMES: [&str; 30] = [
        "ana", "bela", "chen", "dara", "emil", "fatou", "goran", "hana", "ivo", "jun", "kemal",
        "lea", "mateo", "nia", "oskar", "priya", "quinn", "rosa", "sami", "tomas", "uma", "vik",
        "wen", "xavi", "yara", "zeno", "amir", "bruna", "cleo", "dmitri",
    ];

    /// Where the grader ran, as loom and rustc print it: the report must not show it.
    pub const GRADER: &str = "/srv/grading/fall-term";

    /// A class folder as an instructor unzips it: most copies at the top of the
    /// student's folder, some one or two folders deeper (a zip's `threadlings-main/`,
    /// a `Downloads/`), and three entries that are no student's. Only the catalog is
    /// written: finding a student needs no more.
    pub fn handed_in(class: &Path) -> xtask::model::submission::Found {
        let _ = std::fs::remove_dir_all(class);
        let catalog = std::fs::read(kit_root().join("exercises/info.toml")).unwrap();
        for (index, name) in NAMES.iter().enumerate() {
            let kit = match index % 5 {
                0 => class.join(name).join("threadlings-main"),
                1 if index % 3 == 0 => class.join(name).join("Downloads/threadlings"),
                _ => class.join(name),
            };
            std::fs::create_dir_all(kit.join("exercises")).unwrap();
            std::fs::write(kit.join("exercises/info.toml"), &catalog).unwrap();
        }
        std::fs::create_dir_all(class.join("__MACOSX/ana/exercises")).unwrap();
        std::fs::create_dir_all(class.join("notes")).unwrap();
        std::fs::write(class.join("notes/marking.txt"), "to read\n").unwrap();
        std::fs::write(class.join("grades.csv"), "name,grade\n").unwrap();
        xtask::model::submission::discover(&[class.to_path_buf()]).unwrap()
    }

    pub use crate::common::kit_root;

    /// What a student's exercise is, before it is made into cases.
    #[derive(Clone, Copy, PartialEq)]
    enum Made {
        Passed,
        Partly,
        Failed,
        Waits,
        DoesNotCompile,
        Refused,
        NotAttempted,
    }

    /// The kind of student `s`'s exercise `i`: the further a student got the fewer
    /// exercises passed, a few common mistakes, one refusal and a syntax error.
    fn made(s: usize, i: usize, exercise: &Exercise) -> Made {
        let reached = 66 - (s * 7) % 40;
        // A hash of the two, so that no student or exercise is one kind throughout.
        let mixed = ((s * 66 + i) as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let roll = (mixed >> 40) % 23;
        if s == 29 || i >= reached {
            return Made::NotAttempted;
        }
        if exercise.name == "spin_lock" && !s.is_multiple_of(3) {
            return Made::Partly; // The class's common data race, below.
        }
        if exercise.name == "lock_ordering_transfer" && s % 4 == 1 {
            return Made::Waits;
        }
        match roll {
            0 => Made::DoesNotCompile,
            1 if s % 7 == 3 => Made::Refused,
            2 => Made::Waits,
            3..=5 => Made::Failed,
            6..=9 => Made::Partly,
            _ => Made::Passed,
        }
    }

    fn file(exercise: &Exercise) -> String {
        format!("exercises/{}/{}.rs", exercise.chapter, exercise.name)
    }

    fn graders(student: &str, path: &str) -> String {
        format!("{GRADER}/class/{student}/threadlings-main/{path}")
    }

    /// The two misconceptions of an exercise: most students make the first.
    fn wrong(exercise: &Exercise, s: usize) -> String {
        if s.is_multiple_of(3) {
            format!(
                "{}: the result was handed back before every thread had finished",
                exercise.name
            )
        } else {
            format!(
                "{}: expected 4000 increments, found fewer: an update was lost",
                exercise.name
            )
        }
    }

    fn failure(name: &str, cause: Cause, exercise: &Exercise, s: usize) -> CaseResult {
        let student = NAMES[s];
        let line = 20 + (s % 9);
        match cause {
            Cause::DoesNotCompile => CaseResult::failure(name, cause, "error[E0308]: mismatched types")
                .with_output(format!("error[E0308]: mismatched types\n  --> {}:{line}:9\n   |\n{line} |     counter.lock()\n   |     ^^^^^^^^^^^^^^ expected `u64`, found `Result<MutexGuard<'_, u64>, _>`", graders(student, &file(exercise)))),
            Cause::Refused => CaseResult::failure(name, cause, format!("{}:{line}: `std::sync::atomic::AtomicBool` is std's, which loom cannot see: use `threadlings::sync::atomic::AtomicBool`", file(exercise))),
            Cause::Deadlocked => CaseResult::failure(name, cause, "in some interleaving every thread was blocked waiting for another, so none could make progress. Check the order in which locks are taken and that every wait has a wake-up.")
                .with_output(format!("thread '{name}' panicked at {GRADER}/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/execution.rs:208:13:\ndeadlock; threads = [(Id(0), Blocked), (Id(1), Blocked), (Id(2), Blocked)]")),
            Cause::TimedOut => CaseResult::failure(name, cause, "the test did not finish within 10 s: a thread may wait for a message that is never sent, or a lock that is never released")
                .with_output(format!("waiting for worker 2 (in {GRADER}/target/threadlings/threadlings/scratch/submission/tests/{}/main.rs:41)", exercise.name)),
            _ => CaseResult::failure(name, cause, wrong(exercise, s))
                .with_location(Some(Location::new(&file(exercise), line)))
                .with_output(format!("thread '{name}' panicked at {}:{line}:5:\n{}", graders(student, &format!("tests/{}/main.rs", exercise.name)), wrong(exercise, s))),
        }
    }

    /// The spin lock's common mistake, a `Relaxed` lock, with its failed run.
    fn data_race(s: usize, exercise: &Exercise) -> CaseResult {
        let at = file(exercise);
        let shown = graders(NAMES[s], &format!("tests/spin_lock/../../{at}"));
        let mut case = CaseResult::failure(
            "two_threads_increment_under_the_lock",
            Cause::DataRace,
            format!("in some interleaving two threads accessed the same `UnsafeCell` without a happens-before relation between them ({at}:45 and {at}:45). The thread that writes must publish its writes with a `Release` store (or a fence), and the thread that reads must observe that store with an `Acquire` load: for a lock, take it with `Acquire` and release it with `Release`."),
        )
        .with_location(Some(Location::new(&at, 38)))
        .with_output(format!(
            "thread 'two_threads_increment_under_the_lock' panicked at {GRADER}/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/location.rs:115:9:\n\nCausality violation: Concurrent write accesses to `UnsafeCell`.\n      created: {shown}:14:59\n    write one: thread #0 @ {shown}:45:20\n    write two: thread #1 @ {shown}:45:20\nstack backtrace:\n   0: rust_begin_unwind\n   1: loom::rt::location::panic\n             at {GRADER}/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/location.rs:115:9\n   2: spin_lock::exercise::SpinLock::lock\n             at {shown}:38:17"
        ));
        let step = |thread, operation: &str, line, marked| Step {
            thread,
            operation: operation.into(),
            object: Some("AtomicBool 1".into()),
            ordering: Some("Relaxed".into()),
            value: None,
            location: Location::new(&at, line),
            blocked: false,
            marked,
        };
        case.interleaving = vec![
            step(0, "spawn thread 1", 60, false),
            step(0, "compare_exchange_weak(false, true)", 38, false),
            step(0, "write", 45, true),
            step(0, "store(false)", 50, false),
            step(1, "compare_exchange_weak(false, true)", 38, false),
            step(1, "write", 45, true),
            step(1, "store(false)", 50, false),
        ];
        case
    }

    fn case_names(exercise: &Exercise, kind: CheckKind) -> Vec<String> {
        match kind {
            CheckKind::Tests => vec![
                format!("{}_gives_the_right_answer", exercise.name),
                "works_under_contention".to_string(),
            ],
            CheckKind::CompileFail => vec!["rejects_sharing_without_sync".to_string()],
            CheckKind::Loom => vec!["two_threads_increment_under_the_lock".to_string()],
        }
    }

    fn cases(exercise: &Exercise, kind: CheckKind, made: Made, s: usize) -> Vec<CaseResult> {
        let pass = |name: &String| CaseResult::pass(name.clone(), Duration::from_millis(40));
        let names = case_names(exercise, kind);
        names
            .iter()
            .enumerate()
            .map(|(index, name)| match made {
                Made::Passed => pass(name),
                Made::DoesNotCompile => failure(name, Cause::DoesNotCompile, exercise, s),
                Made::Refused => failure(name, Cause::Refused, exercise, s),
                Made::Partly if exercise.name == "spin_lock" && kind == CheckKind::Loom => {
                    data_race(s, exercise)
                }
                Made::Partly if index + 1 < names.len() || kind != CheckKind::Tests => pass(name),
                Made::Waits if kind == CheckKind::Loom => {
                    failure(name, Cause::Deadlocked, exercise, s)
                }
                Made::Waits if index == 1 => failure(name, Cause::TimedOut, exercise, s),
                Made::Waits => pass(name),
                _ => failure(name, Cause::AssertionFailed, exercise, s),
            })
            .collect()
    }

    fn result(exercise: &Exercise, s: usize, i: usize) -> ExerciseResult {
        let made = made(s, i, exercise);
        if made == Made::NotAttempted {
            return ExerciseResult::not_attempted(exercise, &file(exercise));
        }
        ExerciseResult {
            exercise: exercise.clone(),
            checks: exercise
                .checks
                .iter()
                .map(|&kind| CheckResult {
                    kind,
                    cases: cases(exercise, kind, made, s),
                })
                .collect(),
        }
    }

    /// Thirty students graded on the kit's catalog: each kind of cell, a tampered
    /// submission, files alike (two pairs, and some equal to the reference solution).
    pub fn class() -> Vec<Graded> {
        let catalog = Catalog::load(&kit_root()).expect("the kit's catalog");
        NAMES
            .iter()
            .enumerate()
            .map(|(s, name)| {
                let exercises: Vec<ExerciseResult> = catalog
                    .exercises
                    .iter()
                    .enumerate()
                    .map(|(i, exercise)| result(exercise, s, i))
                    .collect();
                let likeness = exercises
                    .iter()
                    .filter(|result| !result.checks.is_empty())
                    .map(|result| {
                        let name = &result.exercise.name;
                        // hana and ivo share work on three exercises; lea hands in the
                        // reference solution of two.
                        let print = match (s, name.as_str()) {
                            (7 | 8, "park_signal" | "barrier_phases" | "mpsc_producers") => {
                                "shared".to_string()
                            }
                            (11, "spawn_join" | "coroutine") => "solution".to_string(),
                            _ => format!("{s}-{name}"),
                        };
                        let found = Likeness {
                            same_as_solution: print == "solution",
                            fingerprint: print,
                        };
                        (name.clone(), found)
                    })
                    .collect();
                Graded {
                    name: name.to_string(),
                    warnings: if s == 4 {
                        vec!["tampered: Cargo.toml differs from the kit's (ignored)".into()]
                    } else {
                        Vec::new()
                    },
                    exercises,
                    likeness,
                    timing: None,
                }
            })
            .collect()
    }
}

/// The test's output folder, under the target directory.
fn output_folder() -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html_report");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// Chromium's screenshot of the page at `address`, `width` × `height` pixels.
fn screenshot(address: &str, png: &Path, width: u32, height: u32) {
    let profile = std::env::temp_dir().join(format!(
        "threadlings-chromium-shot-{}-{width}",
        std::process::id()
    ));
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .args([
            "--hide-scrollbars",
            "--disable-background-networking",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(address)
        .output()
        .expect("chromium runs (Debian's package `chromium`)");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Writes into each of the map's cells and the legend's swatches what Chromium drew:
/// its background, its symbol's colour, and the symbol, for the DOM dump to carry out.
const DRAWN: &str = "<script>for (const e of document.querySelectorAll('td.cell[data-kind], ul.legend li[data-kind]')) {\
    const box = e.querySelector('button, .swatch') || e; const style = getComputedStyle(box.tagName === 'BUTTON' ? e : box);\
    e.dataset.drawn = style.backgroundColor + ' | ' + getComputedStyle(box).color + ' | ' + box.textContent; }</script></body>";

/// Each kind's drawing in `dom`, as (kind, background | colour | symbol), from the
/// map's cells and from the legend.
fn drawn(dom: &str) -> Vec<(String, String, bool)> {
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(tag[at..at + tag[at..].find('"')?].to_string())
    };
    dom.split('<')
        .filter(|tag| tag.contains("data-drawn=\""))
        .map(|tag| {
            (
                attribute(tag, "data-kind").unwrap(),
                attribute(tag, "data-drawn").unwrap(),
                tag.starts_with("li"),
            )
        })
        .collect()
}

/// Whether every kind of cell is drawn, each unlike every other in background and in
/// symbol, every cell of a kind alike, and as its legend shows it; what is wrong if not.
fn every_kind_drawn_distinctly(dom: &str) -> Result<(), String> {
    use std::collections::BTreeMap;
    let mut cells: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    let mut legend: BTreeMap<String, String> = BTreeMap::new();
    for (kind, drawing, in_legend) in drawn(dom) {
        if in_legend {
            legend.insert(kind, drawing);
        } else {
            cells.entry(kind).or_default().insert(drawing);
        }
    }
    if cells.len() != 7 || legend.len() != 7 {
        return Err(format!(
            "7 kinds in the map and the legend: {cells:?} {legend:?}"
        ));
    }
    for (kind, drawings) in &cells {
        if drawings.len() != 1 || drawings.first() != legend.get(kind) {
            return Err(format!(
                "{kind}: cells {drawings:?}, legend {:?}",
                legend.get(kind)
            ));
        }
    }
    let kinds: Vec<(&String, &String)> = legend.iter().collect();
    for (index, (kind, drawing)) in kinds.iter().enumerate() {
        let [background, _, symbol] = drawing.split(" | ").collect::<Vec<_>>()[..] else {
            return Err(format!("{kind}: {drawing}"));
        };
        for (other, other_drawing) in &kinds[index + 1..] {
            let [other_background, _, other_symbol] =
                other_drawing.split(" | ").collect::<Vec<_>>()[..]
            else {
                return Err(format!("{other}: {other_drawing}"));
            };
            if background == other_background || symbol == other_symbol {
                return Err(format!(
                    "{kind} ({drawing}) and {other} ({other_drawing}) look alike"
                ));
            }
        }
    }
    Ok(())
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs this test"]
fn each_kind_of_cell_renders_distinctly_as_its_legend_shows_it() {
    let html = report_text(html::render, &class_of_30::class().into()).unwrap();
    let folder = output_folder();
    let page = folder.join("kinds.html");
    std::fs::write(&page, html.replace("</body>", DRAWN)).unwrap();
    let dom = rendered(&page, 1280);
    every_kind_drawn_distinctly(&dom).unwrap();
    assert!(
        !dom.contains("<body class=\"narrow\">"),
        "the kit's 66 exercises fit a laptop window with their symbols"
    );

    // The wrong rendering the check catches: "partly" drawn in the colour of "failed".
    let partly = html.find(".k-partly { background: ").unwrap() + 24;
    let colour = &html[partly..partly + 7];
    let alike = html.replacen(colour, "#e05a47", 1);
    std::fs::write(&page, alike.replace("</body>", DRAWN)).unwrap();
    let error = every_kind_drawn_distinctly(&rendered(&page, 1280)).unwrap_err();
    assert!(error.contains("look alike"), "{error}");
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs this test"]
fn a_class_of_30_as_an_instructor_sees_it_screenshot() {
    let folder = output_folder();
    // The class as handed in: every student's copy found however its zip nested it, and
    // the folders that are no student's listed with their reasons.
    let found = class_of_30::handed_in(&folder.join("class-of-30"));
    let names: Vec<&str> = found.submissions.iter().map(|s| s.name.as_str()).collect();
    let mut expected = class_of_30::NAMES.to_vec();
    expected.sort_unstable();
    assert_eq!(
        names, expected,
        "every student found, named after their folder"
    );
    let left_out: Vec<&str> = found.not_graded.iter().map(|n| n.folder.as_str()).collect();
    assert_eq!(left_out, ["__MACOSX", "grades.csv", "notes"]);
    let students = class_of_30::class();
    let mut class = xtask::model::outcome::Class::from(students.clone());
    class.not_graded = found.not_graded;
    let html = report_text(html::render, &class).unwrap();
    assert!(
        !html.contains(class_of_30::GRADER),
        "the grader's paths are made relative to the kit"
    );
    for folder in ["__MACOSX", "grades.csv", "notes"] {
        assert!(html.contains(folder), "{folder} is listed as not graded");
    }
    let page = folder.join("class-of-30.html");
    std::fs::write(&page, &html).unwrap();
    // bela's spin lock: the class's common data race, its verdict opened.
    let spin_lock = students[1]
        .exercises
        .iter()
        .position(|result| result.exercise.name == "spin_lock")
        .unwrap();
    let address = format!("file://{}#open=v-1-{spin_lock}", page.display());
    let png = folder.join("class-of-30.png");
    let _ = std::fs::remove_file(&png);
    screenshot(&address, &png, 1280, 2400);
    let size = std::fs::metadata(&png).expect("the screenshot").len();
    assert!(size > 50_000, "{size} bytes");
    println!("screenshot: {}", png.display());
    println!("page: {}", page.display());
    // The same class's JUnit, as CI systems read it.
    let junit = folder.join("class-of-30.xml");
    std::fs::write(&junit, report_text(junit::render, &class).unwrap()).unwrap();
    crate::junit_schema::assert_valid(&junit);
    // A second kit's report (one exercise fewer) is not merged into this class's.
    let ours = folder.join("class-of-30.json");
    std::fs::write(&ours, report_text(json::render, &class).unwrap()).unwrap();
    let mut other_kit = students;
    for student in &mut other_kit {
        student.name.push_str("-other-kit");
        student.exercises.pop();
    }
    let theirs = folder.join("other-kit.json");
    std::fs::write(
        &theirs,
        report_text(json::render, &other_kit.into()).unwrap(),
    )
    .unwrap();
    let merged = folder.join("merged.html");
    let _ = std::fs::remove_file(&merged);
    let output = common::xtask_command(&class_of_30::kit_root())
        .arg("report")
        .args([&ours, &theirs])
        .arg("--html")
        .arg(&merged)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("class-of-30.json") && stderr.contains("other-kit.json"),
        "both files named: {stderr}"
    );
    assert!(stderr.contains("different catalogs"), "{stderr}");
    assert!(!merged.exists(), "nothing written from two kits");
}

/// A failed model of eight threads, wider than the verdict panel, for `student` 2 of
/// the small class, exercise 4.
fn class_with_a_wide_model() -> Vec<Graded> {
    let mut class = class();
    let mut case = CaseResult::failure(
        "eight_threads",
        xtask::model::outcome::Cause::Deadlocked,
        "in some interleaving every thread was blocked",
    );
    case.interleaving = (0..8)
        .map(|thread| Step {
            thread,
            operation: "lock".into(),
            object: Some(format!("Mutex {thread}")),
            ordering: None,
            value: None,
            location: Location::new("exercises/03_shared_state/lock_ordering_transfer.rs", 30),
            blocked: true,
            marked: true,
        })
        .collect();
    class[2].exercises[4].checks[0].cases = vec![case];
    class
}

/// Writes into each lane box what Chromium drew: its overflow, its width and its
/// content's, and how far its right edge is past its container's.
const LANES_DRAWN: &str = "<script>for (const l of document.querySelectorAll('div.lanes')) {\
    const box = l.getBoundingClientRect(); const outer = l.closest('#verdict, section.interleavings').getBoundingClientRect();\
    l.dataset.drawn = [getComputedStyle(l).overflowX, l.clientWidth, l.scrollWidth, Math.round(box.right - outer.right)].join(' '); }</script></body>";

/// Whether every lane box of `dom` scrolls what it cannot show, inside its container;
/// what is wrong if not.
fn lanes_scroll(dom: &str) -> Result<usize, String> {
    let drawn: Vec<&str> = dom
        .split("data-drawn=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    if drawn.is_empty() {
        return Err("no lanes drawn".into());
    }
    for lanes in &drawn {
        let [overflow, client, scroll, past] = lanes.split(' ').collect::<Vec<_>>()[..] else {
            return Err(lanes.to_string());
        };
        let number = |text: &str| text.parse::<i64>().unwrap();
        if number(scroll) <= number(client) {
            return Err(format!(
                "not wider than its box, so nothing to scroll: {lanes}"
            ));
        }
        if !matches!(overflow, "auto" | "scroll") || number(past) > 0 {
            return Err(format!("clipped: {lanes}"));
        }
    }
    Ok(drawn.len())
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs this test"]
fn swimlanes_wider_than_the_verdict_scroll_and_are_never_clipped() {
    let html = report_text(html::render, &class_with_a_wide_model().into()).unwrap();
    let page = output_folder().join("wide-model.html");
    let address = format!("file://{}#open=v-2-4", page.display());
    let open_all = "<script>document.querySelectorAll('details.interleaving').forEach(d => d.open = true);</script>";
    std::fs::write(
        &page,
        html.replace("</body>", &format!("{open_all}{LANES_DRAWN}")),
    )
    .unwrap();
    // The verdict panel's lanes and the section's.
    assert_eq!(lanes_scroll(&rendered_at(&address, 1280)), Ok(2));

    // The wrong rendering the check catches: lanes that hide what does not fit.
    let clipped = html.replace(
        "max-height: 40em; overflow: auto;",
        "max-height: 40em; overflow: hidden;",
    );
    assert_ne!(clipped, html);
    std::fs::write(
        &page,
        clipped.replace("</body>", &format!("{open_all}{LANES_DRAWN}")),
    )
    .unwrap();
    let error = lanes_scroll(&rendered_at(&address, 1280)).unwrap_err();
    assert!(error.starts_with("clipped"), "{error}");
}
