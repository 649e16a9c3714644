//! Terminal reporters over the results: a student's verdict for one exercise,
//! and the table of every exercise by check kind.

use crate::model::catalog::CheckKind;
use crate::model::location::Location;
use crate::model::outcome::{
    CaseResult, Cause, CheckResult, Class, ExerciseResult, Graded, Status,
};
use crate::report::{causes, style};

/// Lines of compiler or program output shown under a verdict.
const OUTPUT_LINES: usize = 60;

/// The verdict on one failed exercise: where to look, what failed, and why;
/// `hint_how` is how to ask for a hint where the verdict is shown.
pub fn failure(
    result: &ExerciseResult,
    root: &std::path::Path,
    file: &str,
    todo_line: Option<usize>,
    hint_how: &str,
) {
    let Some((check, case)) = result.first_failure() else {
        return;
    };
    let exercise = &result.exercise;
    // The student's line; a file with no line known is named alone, never as line 1.
    let at = match &case.location {
        Some(location) if location.is_in(file) => Some(location.clone()),
        _ => todo_line.map(|line| Location::new(file, line)),
    };
    let place = match &at {
        Some(at) => style::link(&at.to_string(), &root.join(&at.file)),
        None => style::link(file, &root.join(file)),
    };
    println!(
        "{} {}  {place}",
        style::red("✗"),
        style::bold(&exercise.name)
    );
    println!("  {}", headline(check, case));
    if let Some(location) = case
        .location
        .as_ref()
        .filter(|location| Some(*location) != at.as_ref())
    {
        println!("  at {location}");
    }
    println!();
    super::timeline::print(
        "The execution that failed, as loom ran it:",
        &case.interleaving,
    );
    for line in case.message.lines() {
        println!("  {line}");
    }
    if !case.output.trim().is_empty() {
        println!();
        let lines: Vec<&str> = case.output.lines().collect();
        let shown = &lines[..lines.len().min(OUTPUT_LINES)];
        for line in shown {
            println!("  {}", style::dim(line));
        }
        if lines.len() > OUTPUT_LINES {
            println!(
                "  {}",
                style::dim(&format!("[... {} more lines]", lines.len() - OUTPUT_LINES))
            );
        }
    }
    println!();
    println!(
        "Stuck? {hint_how} shows a hint ({} levels).",
        exercise.hints.len()
    );
}

/// `tests check (0 of 5 passed), returns_the_sum: not started`: the check, how far it
/// got, the case, and the cause in its words and colour.
fn headline(check: &CheckResult, case: &CaseResult) -> String {
    let cause = case.cause.unwrap_or(Cause::Failed);
    let words = causes::paint(cause, causes::label(cause));
    match case.status {
        Status::Refused => format!("{words} before any check ran"),
        Status::CompileError if check.cases.len() == 1 => format!("{} check: {words}", check.kind),
        _ => {
            let count = |status| check.cases.iter().filter(|c| c.status == status).count();
            let skipped = match count(Status::Skipped) {
                0 => String::new(),
                n => format!(", {n} skipped after the timeout"),
            };
            format!(
                "{} check ({} of {} passed{skipped}), {}: {words}",
                check.kind,
                count(Status::Pass),
                check.cases.len(),
                style::bold(&case.name)
            )
        }
    }
}

/// Prints a table of exercise by check kind, with each exercise's points.
pub fn table(results: &[ExerciseResult]) {
    let width = results
        .iter()
        .map(|result| result.exercise.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    print!("{:width$}", "exercise");
    for kind in CheckKind::ALL {
        print!("  {:13}", kind.label());
    }
    println!("  points");
    let mut earned = 0.0;
    let mut possible = 0;
    for result in results {
        print!("{:width$}", result.exercise.name);
        for kind in CheckKind::ALL {
            let cell = match result.check(kind) {
                None if result.exercise.has_check(kind) => style::dim(&format!("{:13}", "not run")),
                None => style::dim(&format!("{:13}", "-")),
                Some(check) => {
                    let label = format!("{:13}", check.status().label());
                    match check.first_failure().and_then(|case| case.cause) {
                        None => style::green(&label),
                        Some(cause) => causes::paint(cause, &label),
                    }
                }
            };
            print!("  {cell}");
        }
        let points = result.points_earned();
        earned += points;
        possible += result.exercise.points;
        println!("  {points:.1}/{}", result.exercise.points);
    }
    let passed = results.iter().filter(|result| result.passed()).count();
    println!();
    println!(
        "{passed} of {} exercises pass; {earned:.1} of {possible} points.",
        results.len()
    );
}

/// One graded source: in a class, a heading with its warnings; then the table and,
/// for a single source, the first line of every failure.
pub fn graded(graded: &Graded, in_class: bool) {
    if in_class {
        println!();
        println!("{}", style::bold(&format!("── {} ──", graded.name)));
    }
    for warning in &graded.warnings {
        println!("{} {warning}", style::yellow("warning:"));
    }
    table(&graded.exercises);
    if !in_class {
        failures_in_brief(&graded.exercises);
    }
}

/// Each submission's total, after a class has been graded; then every folder of the
/// class not graded, and whether the run was interrupted.
pub fn class_summary(whole: &Class) {
    let class = &whole.graded;
    println!();
    println!("{}", style::bold("Class"));
    let width = class
        .iter()
        .map(|graded| graded.name.len())
        .max()
        .unwrap_or(8);
    for graded in class {
        let warnings = match graded.warnings.len() {
            0 => String::new(),
            n => style::yellow(&format!("  {n} warning(s)")),
        };
        println!(
            "  {:width$}  {:>7.1}/{}{warnings}",
            graded.name,
            graded.points(),
            graded.max_points()
        );
    }
    for line in super::left_out::lines(whole) {
        println!("  {}", style::yellow(&line));
    }
}

/// Details of every failed check, after the table: each case's cause and first line,
/// where, and a failed model's execution as `next` draws it.
fn failures_in_brief(results: &[ExerciseResult]) {
    for result in results {
        for check in &result.checks {
            for case in check
                .cases
                .iter()
                .filter(|case| case.status != Status::Pass)
            {
                let cause = case.cause.unwrap_or(Cause::Failed);
                println!(
                    "{} {} [{}] {}: {}",
                    causes::paint(cause, "✗"),
                    result.exercise.name,
                    check.kind,
                    case.name,
                    causes::summary(case)
                );
                if let Some(location) = &case.location {
                    println!("    at {location}");
                }
                if !case.interleaving.is_empty() {
                    println!();
                    super::timeline::print(
                        "The execution that failed, as loom ran it:",
                        &case.interleaving,
                    );
                }
            }
        }
    }
}

pub fn progress_line(done: usize, total: usize) -> String {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}] {done}/{total} exercises done",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled)
    )
}

/// The first line with a `TODO` in a file, to point the student at.
pub fn first_todo_line(path: &std::path::Path) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .position(|line| line.contains("TODO"))
        .map(|index| index + 1)
}

pub fn warn(text: &str) {
    eprintln!("{} {text}", style::yellow("warning:"));
}
