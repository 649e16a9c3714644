//! Verdicts as they come: while `check` runs, one line per check on stderr as soon as
//! its last case is judged, before the table sums them up; and, for every command that
//! builds, a one-line bar of the build's progress on stderr.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::engine::{Event, Observer};
use crate::model::catalog::Exercise;
use crate::model::outcome::{CheckResult, Status};
use crate::os::terminal::{Stream, rewrite_line};
use crate::report::{causes, style};

/// An observer that prints each check's verdict as it comes in, and draws the build's
/// progress.
pub fn observer() -> Observer {
    let bar = BuildBar::default();
    Arc::new(move |event| {
        if let Event::Check { exercise, check } = event {
            eprintln!("{}", line(exercise, check));
        }
        bar.draw(&event);
    })
}

/// An observer that draws the build's progress only: for the commands that show
/// verdicts once all are in.
pub fn build_bar() -> Observer {
    let bar = BuildBar::default();
    Arc::new(move |event| bar.draw(&event))
}

/// A one-line progress bar on stderr while cargo compiles: the first build of the
/// dependencies takes a minute or more on a small machine. Silent when stderr is not a
/// terminal, and until something is actually compiled.
#[derive(Default)]
pub struct BuildBar {
    shown: AtomicBool,
}

impl BuildBar {
    /// Draws `event` if it is the build's: the bar, or its end, which clears it.
    pub fn draw(&self, event: &Event<'_>) {
        match *event {
            Event::BuildProgress {
                compiled,
                expected,
                unit,
            } => {
                if Stream::Stderr.is_live() {
                    rewrite_line(Stream::Stderr, &bar(compiled, expected, unit));
                    self.shown.store(true, Ordering::Relaxed);
                }
            }
            Event::BuildFinished => {
                if self.shown.swap(false, Ordering::Relaxed) {
                    rewrite_line(Stream::Stderr, "");
                }
            }
            Event::Case { .. } | Event::Check { .. } => {}
        }
    }
}

/// `Building [######------------------] 61/~240 tokio`.
fn bar(compiled: usize, expected: usize, unit: &str) -> String {
    const WIDTH: usize = 24;
    let expected = expected.max(1);
    let done = compiled.min(expected);
    let filled = done * WIDTH / expected;
    format!(
        "Building [{}{}] {done}/~{expected} {unit}",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
    )
}

/// `✓ spawn_join  tests  3/3`, or `✗ park_signal  loom  0/1  waiter: data race …`.
pub fn line(exercise: &Exercise, check: &CheckResult) -> String {
    let passed = check
        .cases
        .iter()
        .filter(|case| case.status == Status::Pass)
        .count();
    let counted = format!(
        "{:<26} {:<13} {passed}/{}",
        exercise.name,
        check.kind.to_string(),
        check.cases.len()
    );
    match check.first_failure() {
        None => format!("{} {counted}", style::green("✓")),
        Some(case) => {
            let mark = case
                .cause
                .map_or_else(|| style::red("✗"), |cause| causes::paint(cause, "✗"));
            format!("{mark} {counted}  {}: {}", case.name, causes::summary(case))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::model::catalog::{CheckKind, Exercise};
    use crate::model::outcome::CaseResult;

    fn exercise() -> Exercise {
        Exercise {
            name: "park_signal".into(),
            checks: vec![CheckKind::Tests],
            ..Default::default()
        }
    }

    #[test]
    fn the_build_bar_fills_with_the_units_compiled_and_stops_full() {
        assert_eq!(
            bar(6, 24, "tokio"),
            "Building [######------------------] 6/~24 tokio"
        );
        assert_eq!(
            bar(30, 24, "x"),
            "Building [########################] 24/~24 x"
        );
    }

    #[test]
    fn a_passing_check_counts_its_cases() {
        let check = CheckResult {
            kind: CheckKind::Tests,
            cases: vec![CaseResult::pass("a", Duration::ZERO); 3],
        };
        let line = line(&exercise(), &check);
        assert!(line.starts_with('✓') && line.ends_with("3/3"), "{line}");
    }

    #[test]
    fn a_failing_check_names_its_first_failure_and_why() {
        let check = CheckResult {
            kind: CheckKind::Tests,
            cases: vec![
                CaseResult::pass("first", Duration::ZERO),
                CaseResult::failure("waiter", Status::Timeout, "after 10 s\nmore"),
            ],
        };
        let line = line(&exercise(), &check);
        assert!(line.starts_with('✗'), "{line}");
        assert!(
            line.contains("1/2  waiter: timed out: after 10 s"),
            "{line}"
        );
        assert!(!line.contains("more"), "{line}");
    }
}
