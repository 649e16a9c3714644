//! `--json FILE`: every submission, exercise, check and case, for tools to read, and
//! what `cargo xtask report` reads back, typed, to write any other form of it.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use anyhow::{Context, anyhow, bail};
use serde::{Deserialize, Serialize};

use crate::model::catalog::{self, CheckKind};
use crate::model::location::Location;
use crate::model::outcome::{
    self, CaseResult, Cause, CheckResult, Class, ExerciseResult, Graded, Likeness, NotGraded,
    Status, Timing,
};

/// Lines of output kept per case: enough to see what happened.
const EXCERPT_LINES: usize = 40;

/// The version this runner writes. Version 1 lacked `likeness`, and versions 1 and 2
/// lacked each case's `cause`, which is read back from its status alone. Versions 1
/// to 3 lacked the catalog's fingerprint, which is worked out again from the exercises
/// each submission records (their names, checks and points), the folders not graded
/// (read back as none), whether the run was interrupted (read back as not), and each
/// submission's `files` (so `check --resume` grades such a student again).
pub const FORMAT_VERSION: u32 = 4;
const READABLE_VERSIONS: [u32; 4] = [1, 2, 3, 4];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format_version: u32,
    /// The catalog graded against (`outcome::catalog_fingerprint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<String>,
    /// The run was interrupted: the students it did not reach are in `not_graded`.
    #[serde(default)]
    pub incomplete: bool,
    /// Every folder of the class that was not graded, with the reason.
    #[serde(default)]
    pub not_graded: Vec<NotGraded>,
    pub submissions: Vec<Submission>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub name: String,
    pub points: f64,
    pub max_points: u32,
    pub passed: bool,
    pub warnings: Vec<String>,
    /// A hash of the exercise files as handed in, for `check --resume`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<String>,
    /// When grading it started, in milliseconds since the Unix epoch, and how long it
    /// took: absent from reports written before they were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_unix_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exercise {
    pub name: String,
    pub chapter: String,
    pub file: String,
    pub points: f64,
    pub max_points: u32,
    pub passed: bool,
    /// For copy detection across the whole class, once the shards are merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likeness: Option<Likeness>,
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub kind: CheckKind,
    pub status: Status,
    pub points: f64,
    pub max_points: f64,
    pub duration_ms: u64,
    pub cases: Vec<Case>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub name: String,
    pub status: Status,
    /// Why the case did not pass (`not-started`, `data-race`, …); none on a pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    pub message: String,
    pub output_excerpt: String,
    pub location: Option<Location>,
    pub duration_ms: u64,
    /// Passes on the exercise as shipped, so it earns nothing.
    pub passes_as_shipped: bool,
    /// A failed loom model's execution, step by step (`outcome::Step`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interleaving: Vec<Step>,
}

/// One step of a failed loom model's execution: which thread did what, to what, with
/// which ordering, seeing which value, where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// `main`, `thread 1`, …
    pub thread: String,
    pub operation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordering: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub location: Location,
    pub blocked: bool,
    pub marked: bool,
}

/// One submission a line: a class of a thousand is tens of megabytes, and reading it
/// back (`cargo xtask report`) costs a third more when it is indented.
pub fn render(class: &Class, out: &mut dyn Write) -> anyhow::Result<()> {
    write!(out, "{{\"format_version\":{FORMAT_VERSION},\"catalog\":")?;
    serde_json::to_writer(&mut *out, &class.catalog)?;
    write!(out, ",\"incomplete\":{},\"not_graded\":", class.incomplete)?;
    serde_json::to_writer(&mut *out, &class.not_graded)?;
    writeln!(out, ",\"submissions\":[")?;
    for (index, graded) in class.graded.iter().enumerate() {
        if index > 0 {
            writeln!(out, ",")?;
        }
        serde_json::to_writer(
            &mut *out,
            &submission(graded, class.files.get(&graded.name)),
        )?;
    }
    write!(out, "\n]}}\n")?;
    Ok(())
}

/// Reads a report written by `--json`, refusing one this runner cannot read.
pub fn read(path: &Path) -> anyhow::Result<Report> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(&text).with_context(|| path.display().to_string())
}

fn parse(text: &str) -> anyhow::Result<Report> {
    #[derive(Deserialize)]
    struct Versioned {
        format_version: u32,
    }
    // One pass over a good report; a second, only to say why one is not.
    let full = serde_json::from_str::<Report>(text);
    let version = match &full {
        Ok(report) => Ok(report.format_version),
        Err(_) => serde_json::from_str::<Versioned>(text).map(|v| v.format_version),
    };
    let version = version.map_err(|err| anyhow!("not a threadlings JSON report ({err})"))?;
    if !READABLE_VERSIONS.contains(&version) {
        bail!(
            "format_version {version} is not one this runner reads ({}); write it again \
             with the runner that matches it",
            READABLE_VERSIONS.map(|v| v.to_string()).join(", ")
        );
    }
    let report = full.context("malformed report")?;
    one_catalog(&report)?;
    Ok(report)
}

/// Every submission of a report graded against the report's catalog (of a version
/// that records it), or else one catalog for all.
fn one_catalog(report: &Report) -> anyhow::Result<()> {
    let mut expected = report.catalog.clone();
    for submission in &report.submissions {
        let theirs = catalog_of(submission);
        match &expected {
            Some(catalog) if *catalog != theirs => {
                bail!(
                    "malformed report: {} was graded against another catalog than the rest \
                     of the report",
                    submission.name
                );
            }
            Some(_) => {}
            None => expected = Some(theirs),
        }
    }
    Ok(())
}

/// The fingerprint of the catalog a submission records: its exercises' names, checks
/// and points.
fn catalog_of(submission: &Submission) -> String {
    let entries: Vec<catalog::Exercise> = submission.exercises.iter().map(entry).collect();
    outcome::catalog_fingerprint(&entries)
}

impl Report {
    pub fn of(class: &Class) -> Report {
        Report {
            format_version: FORMAT_VERSION,
            catalog: Some(class.catalog.clone()),
            incomplete: class.incomplete,
            not_graded: class.not_graded.clone(),
            submissions: class
                .graded
                .iter()
                .map(|graded| submission(graded, class.files.get(&graded.name)))
                .collect(),
        }
    }

    /// The catalog the report was graded against: recorded, or (before version 4)
    /// worked out from its submissions; `None` for an old report of no submission.
    pub fn catalog(&self) -> Option<String> {
        self.catalog
            .clone()
            .or_else(|| self.submissions.first().map(catalog_of))
    }

    /// The class again, as grading left it (output cut to its excerpt): every points
    /// figure is worked out from the cases, as for a class just graded.
    pub fn into_class(self) -> Class {
        let catalog = self.catalog().unwrap_or_default();
        let files = self
            .submissions
            .iter()
            .filter_map(|submission| Some((submission.name.clone(), submission.files.clone()?)))
            .collect();
        Class {
            graded: self.submissions.into_iter().map(graded).collect(),
            not_graded: self.not_graded,
            incomplete: self.incomplete,
            catalog,
            files,
        }
    }
}

fn submission(graded: &Graded, files: Option<&String>) -> Submission {
    Submission {
        name: graded.name.clone(),
        points: round(graded.points()),
        max_points: graded.max_points(),
        passed: graded.passed(),
        warnings: graded.warnings.clone(),
        files: files.cloned(),
        started_unix_ms: graded.timing.map(|timing| {
            let since = timing
                .started
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        }),
        elapsed_ms: graded.timing.map(|timing| millis(timing.elapsed)),
        exercises: graded
            .exercises
            .iter()
            .map(|result| exercise(result, graded.likeness.get(&result.exercise.name)))
            .collect(),
    }
}

fn exercise(result: &ExerciseResult, likeness: Option<&Likeness>) -> Exercise {
    Exercise {
        name: result.exercise.name.clone(),
        chapter: result.exercise.chapter.clone(),
        file: result.exercise.file(),
        points: round(result.points_earned()),
        max_points: result.exercise.points,
        passed: result.passed(),
        likeness: likeness.cloned(),
        checks: result
            .checks
            .iter()
            .map(|check| self::check(check, result.share(check)))
            .collect(),
    }
}

fn check(check: &CheckResult, share: f64) -> Check {
    Check {
        kind: check.kind,
        status: check.status(),
        points: round(share * check.passed_fraction()),
        max_points: round(share),
        duration_ms: millis(check.duration()),
        cases: check.cases.iter().map(case).collect(),
    }
}

fn case(case: &CaseResult) -> Case {
    let lines: Vec<&str> = case.output.lines().collect();
    Case {
        name: case.name.clone(),
        status: case.status,
        cause: case.cause,
        message: case.message.clone(),
        output_excerpt: lines[lines.len().saturating_sub(EXCERPT_LINES)..].join("\n"),
        location: case.location.clone(),
        duration_ms: millis(case.duration),
        passes_as_shipped: case.passes_as_shipped,
        interleaving: case.interleaving.iter().map(step).collect(),
    }
}

fn step(step: &outcome::Step) -> Step {
    Step {
        thread: step.thread_name(),
        operation: step.operation.clone(),
        object: step.object.clone(),
        ordering: step.ordering.clone(),
        value: step.value.clone(),
        location: step.location.clone(),
        blocked: step.blocked,
        marked: step.marked,
    }
}

/// A step read back; a thread name that is not `main` or `thread N` is thread 0's.
fn step_back(step: Step) -> outcome::Step {
    let thread = step
        .thread
        .strip_prefix("thread ")
        .and_then(|number| number.parse().ok())
        .unwrap_or(0);
    outcome::Step {
        thread,
        operation: step.operation,
        object: step.object,
        ordering: step.ordering,
        value: step.value,
        location: step.location,
        blocked: step.blocked,
        marked: step.marked,
    }
}

fn graded(submission: Submission) -> Graded {
    let mut likeness = std::collections::BTreeMap::new();
    let exercises = submission
        .exercises
        .into_iter()
        .map(|exercise| {
            if let Some(found) = exercise.likeness.clone() {
                likeness.insert(exercise.name.clone(), found);
            }
            exercise_result(exercise)
        })
        .collect();
    Graded {
        name: submission.name,
        warnings: submission.warnings,
        exercises,
        likeness,
        timing: submission
            .started_unix_ms
            .zip(submission.elapsed_ms)
            .and_then(|(started, elapsed)| {
                // A time past what the system can hold is no time, not a panic.
                let started = UNIX_EPOCH.checked_add(Duration::from_millis(started))?;
                Some(Timing {
                    started,
                    elapsed: Duration::from_millis(elapsed),
                })
            }),
    }
}

/// What the report records of an exercise's catalog entry; the rest plays no part in
/// points.
fn entry(exercise: &Exercise) -> catalog::Exercise {
    catalog::Exercise {
        name: exercise.name.clone(),
        chapter: exercise.chapter.clone(),
        checks: exercise.checks.iter().map(|check| check.kind).collect(),
        points: exercise.max_points,
        ..Default::default()
    }
}

fn exercise_result(exercise: Exercise) -> ExerciseResult {
    let entry = entry(&exercise);
    let checks = exercise
        .checks
        .into_iter()
        .map(|check| CheckResult {
            kind: check.kind,
            cases: check.cases.into_iter().map(case_result).collect(),
        })
        .collect();
    ExerciseResult {
        exercise: entry,
        checks,
    }
}

fn case_result(case: Case) -> CaseResult {
    // A report of version 1 or 2 has no causes: its status tells what it can.
    let cause = match case.status {
        Status::Pass => None,
        status => Some(case.cause.unwrap_or_else(|| Cause::from(status))),
    };
    CaseResult {
        name: case.name,
        status: case.status,
        cause,
        message: case.message,
        output: case.output_excerpt,
        location: case.location,
        duration: Duration::from_millis(case.duration_ms),
        passes_as_shipped: case.passes_as_shipped,
        interleaving: case.interleaving.into_iter().map(step_back).collect(),
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn round(points: f64) -> f64 {
    (points * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_without_causes_reads_back_with_the_causes_its_statuses_tell() {
        let case = |status: &str| {
            format!(
                r#"{{"name":"c","status":"{status}","message":"m","output_excerpt":"","location":null,"duration_ms":1,"passes_as_shipped":false}}"#
            )
        };
        let text = format!(
            r#"{{"format_version":2,"submissions":[{{"name":"s","points":0.0,"max_points":10,"passed":false,"warnings":[],"exercises":[{{"name":"e","chapter":"01","file":"exercises/01/e.rs","points":0.0,"max_points":10,"passed":false,"checks":[{{"kind":"tests","status":"timeout","points":0.0,"max_points":10.0,"duration_ms":1,"cases":[{},{}]}}]}}]}}]}}"#,
            case("timeout"),
            case("pass")
        );
        let class = parse(&text).unwrap().into_class();
        let cases = &class.graded[0].exercises[0].checks[0].cases;
        assert_eq!(cases[0].cause, Some(Cause::TimedOut));
        assert_eq!(cases[1].cause, None);
    }

    #[test]
    fn the_catalog_is_recorded_or_worked_out_and_must_be_the_same_for_every_submission() {
        let exercise = |name: &str, points: u32| {
            format!(
                r#"{{"name":"{name}","chapter":"01","file":"exercises/01/{name}.rs","points":0.0,"max_points":{points},"passed":false,"checks":[]}}"#
            )
        };
        let submission = |name: &str, points: u32| {
            format!(
                r#"{{"name":"{name}","points":0.0,"max_points":{points},"passed":false,"warnings":[],"exercises":[{}]}}"#,
                exercise("e", points)
            )
        };
        let old = format!(
            r#"{{"format_version":3,"submissions":[{}]}}"#,
            submission("s", 10)
        );
        let worked_out = parse(&old).unwrap().into_class();
        let catalog = worked_out.catalog.clone();
        assert_eq!(catalog, Class::from(worked_out.graded).catalog);
        let recorded = |catalog: &str, second: u32| {
            format!(
                r#"{{"format_version":4,"catalog":"{catalog}","incomplete":false,"not_graded":[],"submissions":[{},{}]}}"#,
                submission("s", 10),
                submission("t", second)
            )
        };
        assert_eq!(
            parse(&recorded(&catalog, 10)).unwrap().catalog(),
            Some(catalog.clone())
        );
        let err = format!("{:#}", parse(&recorded(&catalog, 5)).unwrap_err());
        assert!(
            err.contains("t was graded against another catalog"),
            "{err}"
        );
        let err = format!(
            "{:#}",
            parse(&recorded("0123456789abcdef", 10)).unwrap_err()
        );
        assert!(
            err.contains("s was graded against another catalog"),
            "{err}"
        );
        let mixed = format!(
            r#"{{"format_version":3,"submissions":[{},{}]}}"#,
            submission("s", 10),
            submission("t", 5)
        );
        assert!(parse(&mixed).is_err());
    }

    #[test]
    fn the_time_of_grading_reads_back_and_one_out_of_range_is_no_panic() {
        let text = |started: u64| {
            format!(
                r#"{{"format_version":3,"submissions":[{{"name":"s","points":0.0,"max_points":0,"passed":false,"warnings":[],"started_unix_ms":{started},"elapsed_ms":2500,"exercises":[]}}]}}"#
            )
        };
        let class = parse(&text(1_796_000_000_000)).unwrap().into_class();
        let timing = class.graded[0].timing.expect("a time");
        assert_eq!(timing.elapsed, Duration::from_millis(2_500));
        assert_eq!(
            timing.started,
            UNIX_EPOCH + Duration::from_secs(1_796_000_000)
        );
        // Past what Windows' times hold, where `UNIX_EPOCH + …` panics: read, not a panic.
        let class = parse(&text(u64::MAX)).unwrap().into_class();
        assert_eq!(class.graded[0].name, "s");
    }

    #[test]
    fn another_format_version_is_refused_with_the_versions_read() {
        let err = format!(
            "{:#}",
            parse(r#"{"format_version": 7, "submissions": []}"#).unwrap_err()
        );
        assert!(
            err.contains("format_version 7") && err.contains("1, 2, 3, 4"),
            "{err}"
        );
        assert!(parse(r#"{"format_version": 1, "submissions": []}"#).is_ok());
        let err = format!(
            "{:#}",
            parse(r#"{"format_version": 2, "submissions": [{"name": 3}]}"#).unwrap_err()
        );
        assert!(err.starts_with("malformed report"), "{err}");
        assert!(format!("{:#}", parse("<html>").unwrap_err()).starts_with("not a threadlings"));
    }
}
