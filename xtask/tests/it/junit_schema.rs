//! The JUnit report as its consumers read it: valid against the Jenkins xunit plugin's
//! `junit-10.xsd` (`fixtures/junit-10.xsd`, checked by `xmllint`), suites timed and
//! stamped, each failure at the student's `file:line`, and an exercise not attempted a
//! failure, never a skip. The schema tests (a class typed here with every kind of
//! case, and a class graded by `check`) need `xmllint` (Debian's `libxml2-utils`):
//! ignored by a plain `cargo test`, run by `.ci/run`, and failing where it is missing.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use xtask::model::catalog::{CheckKind, Exercise};
use xtask::model::location::Location;
use xtask::model::outcome::{
    CaseResult, Cause, CheckResult, Class, ExerciseResult, Graded, NotGraded, Status, Timing,
};
use xtask::report::junit;

use crate::common::report_text;

fn exercise(name: &str, checks: &[CheckKind]) -> Exercise {
    Exercise {
        name: name.into(),
        chapter: "01_chapter".into(),
        checks: checks.to_vec(),
        points: 10,
        hints: vec!["h".into()],
        ..Default::default()
    }
}

fn check(kind: CheckKind, cases: Vec<CaseResult>) -> CheckResult {
    CheckResult { kind, cases }
}

/// Every kind of case a grade holds, a check with no cases, and names and messages
/// with what XML must escape.
fn class() -> Vec<Graded> {
    use CheckKind::{CompileFail, Loom, Tests};
    let at = |line| Some(Location::new("exercises/01_chapter/spin_lock.rs", line));
    let started = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_000);
    let every_kind = Graded {
        name: "bo <&> \"quoted\"".into(),
        warnings: vec!["tampered: build.rs is not part of the kit (ignored)".into()],
        exercises: vec![
            ExerciseResult {
                exercise: exercise("spin_lock", &[Tests, Loom, CompileFail]),
                checks: vec![
                    check(
                        Tests,
                        vec![
                            CaseResult::pass("locks", Duration::from_millis(12)),
                            CaseResult::failure("counts", Cause::AssertionFailed, "1 < 2 & more")
                                .with_location(at(14))
                                .with_output("thread 'counts' panicked"),
                            CaseResult::failure("waits", Status::Timeout, "did not finish in 10 s"),
                            CaseResult::failure(
                                "skipped",
                                Status::Skipped,
                                "an earlier case timed out",
                            ),
                        ],
                    ),
                    check(
                        Loom,
                        vec![
                            CaseResult::failure("two_threads", Cause::DataRace, "a data race")
                                .with_location(at(20)),
                        ],
                    ),
                    check(CompileFail, vec![]),
                ],
            },
            ExerciseResult {
                exercise: exercise("handle", &[Tests, CompileFail]),
                checks: vec![
                    check(
                        Tests,
                        vec![
                            CaseResult::failure("shares", Status::CompileError, "error[E0277]")
                                .with_location(Some(Location::new(
                                    "exercises/01_chapter/handle.rs",
                                    3,
                                ))),
                        ],
                    ),
                    check(
                        CompileFail,
                        vec![CaseResult::failure(
                            "not_sync",
                            Status::Refused,
                            "refused: std::process::exit",
                        )],
                    ),
                ],
            },
        ],
        likeness: Default::default(),
        timing: Some(Timing {
            started,
            elapsed: Duration::from_millis(83_456),
        }),
    };
    let untouched = Graded {
        name: "cy".into(),
        warnings: Vec::new(),
        exercises: vec![
            ExerciseResult::not_attempted(
                &exercise("spin_lock", &[Tests, Loom, CompileFail]),
                "exercises/01_chapter/spin_lock.rs",
            ),
            ExerciseResult::not_attempted(
                &exercise("handle", &[Tests, CompileFail]),
                "exercises/01_chapter/handle.rs",
            ),
        ],
        likeness: Default::default(),
        timing: None,
    };
    vec![every_kind, untouched]
}

/// The class, with folders that were not graded and an interrupted run: the suite that
/// lists them must be as valid as the students'.
fn xml() -> String {
    let mut class = Class::from(class());
    class.not_graded = vec![
        NotGraded {
            folder: "__MACOSX".into(),
            reason: "a zip's resource forks, not a student's kit".into(),
        },
        NotGraded {
            folder: "notes & <drafts>".into(),
            reason: "no copy of the kit in it".into(),
        },
    ];
    class.incomplete = true;
    report_text(junit::render, &class).expect("the class renders")
}

/// Fails unless `xmllint` finds `report` valid against `junit-10.xsd`.
pub(crate) fn assert_valid(report: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit-10.xsd");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(report)
        .output()
        .expect("xmllint runs (Debian's libxml2-utils)");
    assert!(
        output.status.success(),
        "xmllint refuses {}:\n{}",
        report.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = common::target_dir().join("threadlings-fixtures").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
#[ignore = "needs xmllint (Debian's libxml2-utils); .ci/run installs it and runs this"]
fn the_junit_report_is_valid_against_junit_10_xsd() {
    let report = scratch("junit-schema-typed").join("class.xml");
    std::fs::write(&report, xml()).unwrap();
    assert_valid(&report);
}

/// A class graded by `check`: one student solved everything, one handed in the kit
/// untouched, one's file does not compile.
#[test]
#[ignore = "needs xmllint (Debian's libxml2-utils); .ci/run installs it and runs this"]
fn the_junit_report_of_a_graded_class_is_valid_against_junit_10_xsd() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit("xtask/tests/class/kit", "threadlings-junit-schema");
    let dir = scratch("junit-schema-class");
    let class = dir.join("class");
    for student in ["solved", "untouched", "broken"] {
        for file in xtask::model::kit::files_under(&kit).unwrap() {
            let to = class.join(student).join(file.strip_prefix(&kit).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&file, &to).unwrap();
        }
    }
    for name in ["double", "flag_lock", "counter_handle", "triple"] {
        let solution = kit.join(format!("solutions/01_class/{name}.rs"));
        std::fs::copy(
            solution,
            class.join(format!("solved/exercises/01_class/{name}.rs")),
        )
        .unwrap();
    }
    let broken = class.join("broken/exercises/01_class/double.rs");
    std::fs::write(&broken, "pub fn double(n: u32) -> u32 { n + }\n").unwrap();
    let report = dir.join("class.xml");
    let output = common::xtask(
        &kit,
        &[
            "check",
            "--submission",
            class.to_str().unwrap(),
            "--junit",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", common::text(&output));
    assert_valid(&report);
    let xml = std::fs::read_to_string(&report).unwrap();
    assert!(xml.contains(r#"type="not attempted""#), "{xml}");
    assert!(xml.contains(r#"type="does not compile""#), "{xml}");
    assert!(xml.contains("at exercises/01_class/double.rs:1\n"), "{xml}");
}

/// The attributes of every `<TAG …>` start tag of `xml`, as written.
fn tags<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    xml.match_indices(&open)
        .map(|(at, _)| {
            let rest = &xml[at + open.len()..];
            &rest[..rest.find('>').expect("a closed tag")]
        })
        .collect()
}

#[test]
fn suites_carry_their_time_and_timestamp() {
    let xml = xml();
    let suites = tags(&xml, "testsuite");
    assert_eq!(
        suites.len(),
        3,
        "two students and the folders not graded: {xml}"
    );
    assert!(
        suites[0].contains(r#"time="83.456""#),
        "the elapsed time of grading: {}",
        suites[0]
    );
    assert!(
        suites[0].contains(r#"timestamp="2026-11-30T"#),
        "when grading started: {}",
        suites[0]
    );
    // Graded before times were kept (an older JSON report): the cases' sum.
    assert!(suites[1].contains(r#"time="0.000""#), "{}", suites[1]);
    // The folders not graded: nothing ran, stamped when the class's grading began.
    assert!(
        suites[2].starts_with(r#"name="not graded""#),
        "{}",
        suites[2]
    );
    assert!(suites[2].contains(r#"time="0.000""#), "{}", suites[2]);
    assert!(
        suites[2].contains(r#"timestamp="2026-11-30T"#),
        "{}",
        suites[2]
    );
}

#[test]
fn not_attempted_is_a_failure_and_nothing_is_skipped() {
    let xml = xml();
    assert!(!xml.contains("<skipped"), "{xml}");
    let root = tags(&xml, "testsuites")[0];
    assert!(!root.contains("skipped="), "testsuites@skipped: {root}");
    let untouched = &xml[xml.find(r#"<testsuite name="cy""#).unwrap()..];
    assert_eq!(
        untouched.matches("<failure ").count(),
        5,
        "every check of the untouched submission fails: {untouched}"
    );
    assert!(
        untouched.contains(r#"type="not attempted""#) && untouched.contains("is as shipped"),
        "{untouched}"
    );
}

#[test]
fn a_failure_names_the_students_file_and_line() {
    let xml = xml();
    let counts = &xml[xml.find(r#"<testcase name="counts""#).unwrap()..];
    let counts = &counts[..counts.find("</testcase>").unwrap()];
    assert!(
        counts.contains("at exercises/01_chapter/spin_lock.rs:14\n"),
        "{counts}"
    );
    let waits = &xml[xml.find(r#"<testcase name="waits""#).unwrap()..];
    let waits = &waits[..waits.find("</testcase>").unwrap()];
    assert!(!waits.contains(" at exercises/"), "no line known: {waits}");
}

#[test]
fn a_check_with_no_cases_is_one_failing_case() {
    let xml = xml();
    let empty = tags(&xml, "testcase")
        .into_iter()
        .filter(|attributes| attributes.contains("&quot;.spin_lock.compile-fail"))
        .count();
    assert_eq!(empty, 1, "{xml}");
}
