//! `--json FILE`: every submission, exercise, check and case, for tools to read.

use serde::Serialize;

use crate::model::outcome::{self, CaseResult, CheckResult, ExerciseResult, Graded};

/// Lines of output kept per case: enough to see what happened.
const EXCERPT_LINES: usize = 40;

#[derive(Serialize)]
struct Report<'a> {
    format_version: u32,
    submissions: Vec<Submission<'a>>,
}

#[derive(Serialize)]
struct Submission<'a> {
    name: &'a str,
    points: f64,
    max_points: u32,
    passed: bool,
    warnings: &'a [String],
    exercises: Vec<Exercise<'a>>,
}

#[derive(Serialize)]
struct Exercise<'a> {
    name: &'a str,
    chapter: &'a str,
    file: String,
    points: f64,
    max_points: u32,
    passed: bool,
    checks: Vec<Check<'a>>,
}

#[derive(Serialize)]
struct Check<'a> {
    kind: &'static str,
    status: &'static str,
    points: f64,
    max_points: f64,
    duration_ms: u128,
    cases: Vec<Case<'a>>,
}

#[derive(Serialize)]
struct Case<'a> {
    name: &'a str,
    status: &'static str,
    message: &'a str,
    output_excerpt: String,
    location: Option<&'a str>,
    duration_ms: u128,
    /// Passes on the exercise as shipped, so it earns nothing.
    passes_as_shipped: bool,
    /// A failed loom model's execution, step by step (`outcome::Step`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    interleaving: Vec<Step<'a>>,
}

#[derive(Serialize)]
struct Step<'a> {
    thread: String,
    operation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ordering: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
    location: &'a str,
    blocked: bool,
    marked: bool,
}

pub fn render(class: &[Graded]) -> String {
    let report = Report {
        format_version: 1,
        submissions: class.iter().map(submission).collect(),
    };
    serde_json::to_string_pretty(&report).expect("a report serializes") + "\n"
}

fn submission(graded: &Graded) -> Submission<'_> {
    Submission {
        name: &graded.name,
        points: round(graded.points()),
        max_points: graded.max_points(),
        passed: graded.passed(),
        warnings: &graded.warnings,
        exercises: graded.exercises.iter().map(exercise).collect(),
    }
}

fn exercise(result: &ExerciseResult) -> Exercise<'_> {
    Exercise {
        name: &result.exercise.name,
        chapter: &result.exercise.chapter,
        file: result.exercise.file(),
        points: round(result.points_earned()),
        max_points: result.exercise.points,
        passed: result.passed(),
        checks: result
            .checks
            .iter()
            .map(|check| self::check(check, result.share(check)))
            .collect(),
    }
}

fn check(check: &CheckResult, share: f64) -> Check<'_> {
    Check {
        kind: check.kind.label(),
        status: check.status().label(),
        points: round(share * check.passed_fraction()),
        max_points: round(share),
        duration_ms: check.duration().as_millis(),
        cases: check.cases.iter().map(case).collect(),
    }
}

fn case(case: &CaseResult) -> Case<'_> {
    let lines: Vec<&str> = case.output.lines().collect();
    Case {
        name: &case.name,
        status: case.status.label(),
        message: &case.message,
        output_excerpt: lines[lines.len().saturating_sub(EXCERPT_LINES)..].join("\n"),
        location: case.location.as_deref(),
        duration_ms: case.duration.as_millis(),
        passes_as_shipped: case.passes_as_shipped,
        interleaving: case.interleaving.iter().map(step).collect(),
    }
}

fn step(step: &outcome::Step) -> Step<'_> {
    Step {
        thread: step.thread_name(),
        operation: &step.operation,
        object: step.object.as_deref(),
        ordering: step.ordering.as_deref(),
        value: step.value.as_deref(),
        location: &step.location,
        blocked: step.blocked,
        marked: step.marked,
    }
}

fn round(points: f64) -> f64 {
    (points * 100.0).round() / 100.0
}
