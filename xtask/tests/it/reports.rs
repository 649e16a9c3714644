//! Every report form, on a small class built here, typed: snapshots of what each
//! reporter writes (insta), the platforms' formats checked against their documented
//! fields, the JSON report read back to the same class, and `cargo xtask report`
//! merging files, refusing bad ones and timing a class of 1,000.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::Value;
use xtask::model::catalog::{CheckKind, Exercise};
use xtask::model::location::Location;
use xtask::model::outcome::{
    CaseResult, Cause, CheckResult, ExerciseResult, Graded, Likeness, Status, Timing,
};
use xtask::report::{classroom, csv, gradescope, html, json, junit};

use crate::common::{self, report_text};

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

fn case(name: &str, status: Status, millis: u64) -> CaseResult {
    let mut case = if status == Status::Pass {
        CaseResult::pass(name, Duration::ZERO)
    } else {
        CaseResult::failure(name, status, format!("{name} went wrong"))
    };
    case.duration = Duration::from_millis(millis);
    case
}

fn result(exercise: Exercise, checks: Vec<(CheckKind, Vec<CaseResult>)>) -> ExerciseResult {
    ExerciseResult {
        exercise,
        checks: checks
            .into_iter()
            .map(|(kind, cases)| CheckResult { kind, cases })
            .collect(),
    }
}

fn likeness(fingerprint: &str, same_as_solution: bool) -> Likeness {
    Likeness {
        fingerprint: fingerprint.into(),
        same_as_solution,
    }
}

/// Ada passes everything; Bo fails a loom model (with its location and output) and
/// does not compile one exercise, and tampered; Cy left one exercise as shipped and
/// handed in the same file as Ada for the other.
fn student(name: &str) -> Graded {
    use CheckKind::{CompileFail, Loom, Tests};
    let spin_lock = || exercise("spin_lock", &[Tests, Loom]);
    let handle = || exercise("handle", &[Tests, CompileFail]);
    let (exercises, warnings, prints) = match name {
        "ada" => (
            vec![
                result(
                    spin_lock(),
                    vec![
                        (Tests, vec![case("locks", Status::Pass, 12)]),
                        (Loom, vec![case("two_threads", Status::Pass, 40)]),
                    ],
                ),
                result(
                    handle(),
                    vec![
                        (
                            Tests,
                            vec![
                                case("counts", Status::Pass, 5),
                                case("shares", Status::Pass, 6),
                            ],
                        ),
                        (CompileFail, vec![case("not_sync", Status::Pass, 300)]),
                    ],
                ),
            ],
            vec![],
            vec![
                ("spin_lock", likeness("aaaa", true)),
                ("handle", likeness("bbbb", false)),
            ],
        ),
        "bo" => {
            let race = case("two_threads", Status::Fail, 55)
                .with_cause(Cause::DataRace)
                .with_location(Some(Location::new("exercises/01_chapter/spin_lock.rs", 14)))
                .with_output("both threads wrote the cell");
            let mut shipped_pass = case("counts", Status::Pass, 5);
            shipped_pass.passes_as_shipped = true;
            (
                vec![
                    result(
                        spin_lock(),
                        vec![
                            (Tests, vec![case("locks", Status::Pass, 11)]),
                            (Loom, vec![race]),
                        ],
                    ),
                    result(
                        handle(),
                        vec![
                            (
                                Tests,
                                vec![shipped_pass, case("shares", Status::CompileError, 0)],
                            ),
                            (CompileFail, vec![case("not_sync", Status::CompileError, 0)]),
                        ],
                    ),
                ],
                vec!["tampered: build.rs is not part of the kit (ignored)".to_string()],
                vec![
                    ("spin_lock", likeness("cccc", false)),
                    ("handle", likeness("dddd", false)),
                ],
            )
        }
        _ => (
            vec![
                ExerciseResult::not_attempted(&spin_lock(), "exercises/01_chapter/spin_lock.rs"),
                result(
                    handle(),
                    vec![
                        (
                            Tests,
                            vec![
                                case("counts", Status::Pass, 4),
                                case("shares", Status::Pass, 4),
                            ],
                        ),
                        (CompileFail, vec![case("not_sync", Status::Pass, 280)]),
                    ],
                ),
            ],
            vec![],
            vec![("handle", likeness("bbbb", false))],
        ),
    };
    Graded {
        name: name.into(),
        warnings,
        exercises,
        likeness: prints
            .into_iter()
            .map(|(exercise, found)| (exercise.to_string(), found))
            .collect(),
        timing: Some(Timing {
            started: std::time::UNIX_EPOCH + Duration::from_secs(1_796_000_000),
            elapsed: Duration::from_millis(2_500),
        }),
    }
}

fn class() -> Vec<Graded> {
    ["ada", "bo", "cy"].map(student).to_vec()
}

#[test]
fn json_report() {
    insta::assert_snapshot!(report_text(json::render, &class().into()).unwrap());
}

#[test]
fn junit_report() {
    insta::assert_snapshot!(report_text(junit::render, &class().into()).unwrap());
}

#[test]
fn csv_gradebook() {
    insta::assert_snapshot!(report_text(csv::render, &class().into()).unwrap());
}

#[test]
fn html_report() {
    insta::assert_snapshot!(report_text(html::render, &class().into()).unwrap());
}

#[test]
fn gradescope_results() {
    insta::assert_snapshot!(report_text(gradescope::render, &vec![student("bo")].into()).unwrap());
}

#[test]
fn classroom_result() {
    let outcome = classroom::render(&vec![student("bo")].into()).unwrap();
    insta::assert_snapshot!(format!(
        "{}\n{}",
        decoded(&outcome.output_line),
        outcome.points_line
    ));
}

fn decoded(output_line: &str) -> String {
    let encoded = output_line
        .strip_prefix("result=")
        .expect("the step output is `result=…`");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64");
    String::from_utf8(bytes).expect("UTF-8 JSON")
}

/// Gradescope's autograder specification: the top-level fields and each test's, and
/// the values `status` and `visibility` may take.
const GRADESCOPE_TOP: [&str; 8] = [
    "score",
    "execution_time",
    "output",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
];
const GRADESCOPE_TEST: [&str; 9] = [
    "score",
    "max_score",
    "status",
    "name",
    "number",
    "output",
    "tags",
    "visibility",
    "extra_data",
];
const VISIBILITIES: [&str; 4] = ["hidden", "after_due_date", "after_published", "visible"];

/// Checks `results` against Gradescope's documented fields; the reason when it fails.
fn gradescope_problems(results: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let object = results.as_object().expect("an object");
    for key in object.keys() {
        if !GRADESCOPE_TOP.contains(&key.as_str()) {
            problems.push(format!("undocumented top-level field `{key}`"));
        }
    }
    for key in ["score", "execution_time", "tests"] {
        if !object.contains_key(key) {
            problems.push(format!("no `{key}`"));
        }
    }
    let tests = results["tests"].as_array().cloned().unwrap_or_default();
    let mut sum = 0.0;
    for test in &tests {
        for key in test.as_object().expect("a test").keys() {
            if !GRADESCOPE_TEST.contains(&key.as_str()) {
                problems.push(format!("undocumented test field `{key}`"));
            }
        }
        for key in [
            "name",
            "score",
            "max_score",
            "output",
            "status",
            "visibility",
        ] {
            if test.get(key).is_none() {
                problems.push(format!("a test without `{key}`: {test}"));
            }
        }
        if !["passed", "failed"].contains(&test["status"].as_str().unwrap_or("")) {
            problems.push(format!("status is passed or failed: {test}"));
        }
        if !VISIBILITIES.contains(&test["visibility"].as_str().unwrap_or("")) {
            problems.push(format!("an unknown visibility: {test}"));
        }
        let score = test["score"].as_f64().unwrap_or(f64::NAN);
        let within = test["max_score"].as_f64().is_some_and(|max| score <= max);
        if !within {
            problems.push(format!("score above max_score: {test}"));
        }
        sum += score;
    }
    if (sum - results["score"].as_f64().unwrap_or(f64::NAN)).abs() > 0.011 {
        problems.push(format!("the tests add up to {sum}, not to `score`"));
    }
    problems
}

#[test]
fn gradescope_results_have_the_documented_fields() {
    for name in ["ada", "bo", "cy"] {
        let text = report_text(gradescope::render, &vec![student(name)].into()).unwrap();
        let results: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            gradescope_problems(&results),
            Vec::<String>::new(),
            "{text}"
        );
        // One test per exercise check.
        assert_eq!(results["tests"].as_array().unwrap().len(), 4);
    }
    // The check rejects what breaks the format.
    let mut broken: Value = serde_json::from_str(
        &report_text(gradescope::render, &vec![student("bo")].into()).unwrap(),
    )
    .unwrap();
    broken["tests"][0]["status"] = "ok".into();
    broken["tests"][1]
        .as_object_mut()
        .unwrap()
        .remove("max_score");
    broken["points"] = 3.into();
    let problems = gradescope_problems(&broken).join("\n");
    for expected in [
        "undocumented top-level field `points`",
        "status is passed or failed",
        "a test without `max_score`",
    ] {
        assert!(problems.contains(expected), "{expected}: {problems}");
    }
    assert!(
        report_text(gradescope::render, &class().into()).is_err(),
        "one submission at a time"
    );
}

/// What GitHub Classroom's grader steps encode and its reporter reads: `version`,
/// `status`, `max_score`, and each test's `name`, `status`, `score`, `message`.
fn classroom_problems(result: &Value, points_line: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if result["version"] != 1 {
        problems.push("version is 1".to_string());
    }
    if !["pass", "fail", "error"].contains(&result["status"].as_str().unwrap_or("")) {
        problems.push(format!(
            "status is pass, fail or error: {}",
            result["status"]
        ));
    }
    let max = result["max_score"].as_f64();
    let mut sum = 0.0;
    for test in result["tests"].as_array().cloned().unwrap_or_default() {
        if test["name"].as_str().is_none() || test["message"].as_str().is_none() {
            problems.push(format!("a test needs a name and a message: {test}"));
        }
        if !["pass", "fail", "error"].contains(&test["status"].as_str().unwrap_or("")) {
            problems.push(format!("a test's status is pass, fail or error: {test}"));
        }
        sum += test["score"].as_f64().unwrap_or(f64::NAN);
    }
    // The reporter adds up the tests' scores and shows them over `max_score`.
    let expected = format!(
        "Points {}/{}",
        (sum * 100.0).round() / 100.0,
        max.unwrap_or(f64::NAN)
    );
    if points_line != expected {
        problems.push(format!(
            "`{points_line}` but the reporter would show `{expected}`"
        ));
    }
    problems
}

#[test]
fn classroom_results_have_the_documented_fields() {
    for name in ["ada", "bo", "cy"] {
        let outcome = classroom::render(&vec![student(name)].into()).unwrap();
        let result: Value = serde_json::from_str(&decoded(&outcome.output_line)).unwrap();
        let problems = classroom_problems(&result, &outcome.points_line);
        assert_eq!(problems, Vec::<String>::new(), "{result:#}");
    }
    let outcome = classroom::render(&vec![student("bo")].into()).unwrap();
    let mut broken: Value = serde_json::from_str(&decoded(&outcome.output_line)).unwrap();
    broken["version"] = 2.into();
    broken["tests"][0]["status"] = "passed".into();
    assert_eq!(classroom_problems(&broken, "Points 99/20").len(), 3);
    assert!(
        classroom::render(&class().into()).is_err(),
        "one submission at a time"
    );
}

#[test]
fn the_json_report_reads_back_as_the_same_class() {
    let written = report_text(json::render, &class().into()).unwrap();
    let read: json::Report = serde_json::from_str(&written).unwrap();
    let again = read.clone().into_class();
    assert_eq!(report_text(json::render, &again).unwrap(), written);
    let points = |class: &[Graded]| -> Vec<f64> { class.iter().map(Graded::points).collect() };
    assert_eq!(points(&again.graded), points(&class()));
    assert_eq!(again.graded[2].likeness, class()[2].likeness);
}

#[test]
fn alike_files_are_listed_in_pairs() {
    let pairs: Vec<String> = xtask::report::alike::pairs(&class())
        .iter()
        .map(|pair| pair.describe())
        .collect();
    assert_eq!(
        pairs,
        [
            "spin_lock: ada and the reference solution",
            "handle: ada and cy"
        ]
    );
    // The class report: one line per pair of students, one per student for the
    // reference solution.
    let html = report_text(html::render, &class().into()).unwrap();
    assert!(
        html.contains("<li>ada and cy: 1 file alike (handle)</li>"),
        "{html}"
    );
    assert!(html.contains("<li>ada: 1 file equal to the reference solution (spin_lock)</li>"));
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("threadlings-reports-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn xtask_report(dir: &Path, args: &[&str]) -> Output {
    common::xtask_command(dir)
        .arg("report")
        .args(args)
        .output()
        .expect("the runner starts")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn report_merges_files_and_refuses_bad_ones_writing_nothing() {
    let dir = scratch("merge");
    let write = |name: &str, class: &[Graded]| {
        std::fs::write(
            dir.join(name),
            report_text(json::render, &class.to_vec().into()).unwrap(),
        )
        .unwrap()
    };
    write("one.json", &[student("bo"), student("ada")]);
    write("two.json", &[student("cy")]);
    write("again.json", &[student("ada")]);
    // Dee was graded against a catalog where the first exercise is worth less.
    let mut dee = student("ada");
    dee.name = "dee".into();
    dee.exercises[0].exercise.points = 5;
    write("other-kit.json", &[dee]);
    std::fs::write(
        dir.join("broken.json"),
        "{\"format_version\": 2, \"submissions\": [{\"name\": ",
    )
    .unwrap();
    std::fs::write(
        dir.join("future.json"),
        "{\"format_version\": 9, \"submissions\": []}",
    )
    .unwrap();

    let merged = xtask_report(
        &dir,
        &[
            "one.json",
            "two.json",
            "--json",
            "merged.json",
            "--csv",
            "class.csv",
        ],
    );
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    let read = json::read(&dir.join("merged.json")).unwrap().into_class();
    let names: Vec<&str> = read
        .graded
        .iter()
        .map(|graded| graded.name.as_str())
        .collect();
    assert_eq!(names, ["ada", "bo", "cy"]);
    assert_eq!(
        report_text(json::render, &read).unwrap(),
        report_text(json::render, &class().into()).unwrap(),
        "the same class as graded in one run"
    );

    for (files, words) in [
        (
            &["one.json", "again.json"][..],
            &["ada", "one.json", "again.json"][..],
        ),
        (
            &["one.json", "broken.json"],
            &["broken.json", "EOF while parsing"],
        ),
        (
            &["future.json", "one.json"],
            &["future.json", "format_version 9"],
        ),
        (&["missing.json"], &["missing.json"]),
        (
            &["one.json", "other-kit.json"],
            &["one.json", "other-kit.json", "different catalogs"],
        ),
    ] {
        let mut args = files.to_vec();
        args.extend(["--csv", "refused.csv"]);
        let refused = xtask_report(&dir, &args);
        assert_eq!(
            refused.status.code(),
            Some(2),
            "{files:?}: {}",
            stderr(&refused)
        );
        for word in words {
            assert!(
                stderr(&refused).contains(word),
                "{files:?}: `{word}` in {}",
                stderr(&refused)
            );
        }
        assert!(
            !stderr(&refused).contains("panicked"),
            "{}",
            stderr(&refused)
        );
        assert!(
            !dir.join("refused.csv").exists(),
            "{files:?}: nothing is written"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A class of 1,000 students by 55 exercises, merged from one file into every form;
/// the time is printed (`cargo test -- --nocapture`), not asserted.
#[test]
fn report_over_a_thousand_students() {
    let dir = scratch("thousand");
    let ada = student("ada");
    let big: Vec<Graded> = (0..1000)
        .map(|index| {
            let mut graded = ada.clone();
            graded.name = format!("student-{index:04}");
            graded.exercises = (0..55)
                .map(|n| {
                    let mut result = ada.exercises[n % 2].clone();
                    result.exercise.name = format!("exercise_{n:02}");
                    result
                })
                .collect();
            graded.likeness = BTreeMap::new();
            graded
        })
        .collect();
    std::fs::write(
        dir.join("big.json"),
        report_text(json::render, &big.into()).unwrap(),
    )
    .unwrap();
    let started = Instant::now();
    let output = xtask_report(
        &dir,
        &[
            "big.json", "--json", "out.json", "--csv", "out.csv", "--junit", "out.xml", "--html",
            "out.html",
        ],
    );
    let took = started.elapsed();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let csv = std::fs::read_to_string(dir.join("out.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1001);
    eprintln!(
        "report over 1,000 students by 55 exercises, every form: {:.2} s",
        took.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn gradescope_names_the_folders_not_graded_and_an_interrupted_run() {
    let mut class: xtask::model::outcome::Class = vec![student("bo")].into();
    class.not_graded.push(xtask::model::outcome::NotGraded {
        folder: "notes".into(),
        reason: "no copy of the kit in it".into(),
    });
    class.incomplete = true;
    let results: Value =
        serde_json::from_str(&report_text(gradescope::render, &class).unwrap()).unwrap();
    let output = results["output"].as_str().unwrap();
    assert!(
        output.contains("not graded: notes: no copy of the kit in it"),
        "{output}"
    );
    assert!(
        output.contains("incomplete: grading was interrupted"),
        "{output}"
    );
}

/// A check that cannot earn points (its every case passes, and passed as shipped) is
/// no test of Gradescope's or Classroom's: it would read "0/0".
#[test]
fn no_platform_test_is_out_of_nothing() {
    let mut graded = student("ada");
    for case in &mut graded.exercises[1].checks[1].cases {
        case.passes_as_shipped = true;
    }
    let results: Value = serde_json::from_str(
        &report_text(gradescope::render, &vec![graded.clone()].into()).unwrap(),
    )
    .unwrap();
    let tests = results["tests"].as_array().unwrap();
    assert!(
        tests
            .iter()
            .all(|test| test["max_score"].as_f64() != Some(0.0)),
        "{results:#}"
    );
    assert_eq!(tests.len(), 3, "{results:#}");
    assert_eq!(gradescope_problems(&results), Vec::<String>::new());
    let outcome = classroom::render(&vec![graded].into()).unwrap();
    let result: Value = serde_json::from_str(&decoded(&outcome.output_line)).unwrap();
    assert_eq!(result["tests"].as_array().unwrap().len(), 3, "{result:#}");
}

/// Gradescope's `execution_time` is the wall time of grading the submission, not the
/// sum of its cases' times.
#[test]
fn gradescope_execution_time_is_the_elapsed_time() {
    let results: Value = serde_json::from_str(
        &report_text(gradescope::render, &vec![student("bo")].into()).unwrap(),
    )
    .unwrap();
    assert_eq!(results["execution_time"].as_f64(), Some(2.5), "{results:#}");
}
