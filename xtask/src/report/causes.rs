//! The words and colours of each cause of a case that did not pass
//! (`outcome::Cause`). Every reporter takes them from here, never from a verdict's
//! text, so that the terminal, the JSON and the class report say the same of the same
//! failure.

use crate::model::outcome::{CaseResult, Cause, ExerciseResult, Status};
use crate::report::style;

/// How a cause is shown: work still to do, a failure, or a case that did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Not started: the student has not got this far, nothing is wrong yet.
    ToDo,
    Failure,
    NotRun,
}

/// A few words for the cause, as a verdict's headline gives it.
pub fn label(cause: Cause) -> &'static str {
    match cause {
        Cause::NotStarted => "not started",
        Cause::DoesNotCompile => "does not compile",
        Cause::Refused => "refused",
        Cause::TimedOut => "timed out",
        Cause::Deadlocked => "deadlock",
        Cause::Panicked => "panicked",
        Cause::AssertionFailed => "assertion failed",
        Cause::DataRace => "data race",
        Cause::Leaked => "leak",
        Cause::NeverStoppedWaiting => "never stopped waiting",
        Cause::Crashed => "crashed",
        Cause::ExitedEarly => "exited early",
        Cause::Flooded => "too much output",
        Cause::Compiled => "compiled",
        Cause::RejectedOtherwise => "rejected for another reason",
        Cause::NotAttempted => "not attempted",
        Cause::Skipped => "skipped",
        Cause::NotChecked => "not checked",
        Cause::Failed => "failed",
    }
}

pub fn tone(cause: Cause) -> Tone {
    match cause {
        Cause::NotStarted => Tone::ToDo,
        Cause::NotAttempted | Cause::Skipped | Cause::NotChecked => Tone::NotRun,
        _ => Tone::Failure,
    }
}

/// The case's cause, in its words; "passed" for a pass.
pub fn label_of(case: &CaseResult) -> &'static str {
    case.cause.map_or("passed", label)
}

/// `text` in the cause's colour, for the terminal.
pub fn paint(cause: Cause, text: &str) -> String {
    match tone(cause) {
        Tone::ToDo => style::yellow(text),
        Tone::Failure => style::red(text),
        Tone::NotRun => style::dim(text),
    }
}

/// The class that gives the cause its colour in the HTML report.
pub fn css_class(cause: Cause) -> &'static str {
    match tone(cause) {
        Tone::ToDo => "to-do",
        Tone::Failure => "failure",
        Tone::NotRun => "not-run",
    }
}

/// The cause's words, then the first line of the message: one line for a list of
/// verdicts.
pub fn summary(case: &CaseResult) -> String {
    let first_line = case.message.lines().find(|line| !line.trim().is_empty());
    match first_line {
        Some(line) => format!("{}: {line}", label_of(case)),
        None => label_of(case).to_string(),
    }
}

/// What one student's exercise is, at a glance: a cell of the class report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellKind {
    /// Every check passes: all the points.
    Passed,
    /// Some points, short of all; nothing timed out or deadlocked.
    Partly,
    /// Built and ran, and earned nothing.
    Failed,
    /// A case timed out, or a loom model deadlocked: something waits for ever.
    DeadlockedOrTimedOut,
    /// The exercise, or its checks against it, did not compile.
    DoesNotCompile,
    /// The policy refused the file: nothing of it was built.
    Refused,
    /// The file is exactly as shipped.
    NotAttempted,
}

impl CellKind {
    pub const ALL: [CellKind; 7] = [
        CellKind::Passed,
        CellKind::Partly,
        CellKind::Failed,
        CellKind::DeadlockedOrTimedOut,
        CellKind::DoesNotCompile,
        CellKind::Refused,
        CellKind::NotAttempted,
    ];

    /// The kind of one student's exercise. What stopped the exercise from being
    /// judged comes first (as shipped, refused, not compiled), then a pass, then a
    /// wait for ever (which an instructor wants to see even where other cases earned
    /// points), then points earned or not.
    pub fn of(result: &ExerciseResult) -> CellKind {
        let causes = || {
            result
                .checks
                .iter()
                .flat_map(|check| &check.cases)
                .filter(|case| case.status != Status::Pass)
                .filter_map(|case| case.cause)
        };
        let any = |wanted: &[Cause]| causes().any(|cause| wanted.contains(&cause));
        if causes().next().is_some() && causes().all(|cause| cause == Cause::NotAttempted) {
            CellKind::NotAttempted
        } else if any(&[Cause::Refused]) {
            CellKind::Refused
        } else if any(&[Cause::DoesNotCompile]) {
            CellKind::DoesNotCompile
        } else if result.passed() {
            CellKind::Passed
        } else if any(&[Cause::TimedOut, Cause::Deadlocked]) {
            CellKind::DeadlockedOrTimedOut
        } else if result.points_earned() > 0.0 {
            CellKind::Partly
        } else {
            CellKind::Failed
        }
    }

    /// Its words, in the legend and a cell's title.
    pub fn label(self) -> &'static str {
        match self {
            CellKind::Passed => "passed",
            CellKind::Partly => "partly",
            CellKind::Failed => "failed",
            CellKind::DeadlockedOrTimedOut => "deadlocked or timed out",
            CellKind::DoesNotCompile => "does not compile",
            CellKind::Refused => "refused",
            CellKind::NotAttempted => "not attempted",
        }
    }

    /// The symbol in its cell, so that a kind reads without its colour (printed in
    /// grey, or by a reader who does not tell the colours apart).
    pub fn symbol(self) -> &'static str {
        match self {
            CellKind::Passed => "✓",
            CellKind::Partly => "◐",
            CellKind::Failed => "✗",
            CellKind::DeadlockedOrTimedOut => "∞",
            CellKind::DoesNotCompile => "⊠",
            CellKind::Refused => "⊘",
            CellKind::NotAttempted => "–",
        }
    }

    /// The class that gives its cell its colour in the HTML report.
    pub fn css_class(self) -> &'static str {
        match self {
            CellKind::Passed => "k-passed",
            CellKind::Partly => "k-partly",
            CellKind::Failed => "k-failed",
            CellKind::DeadlockedOrTimedOut => "k-waits",
            CellKind::DoesNotCompile => "k-compile",
            CellKind::Refused => "k-refused",
            CellKind::NotAttempted => "k-untouched",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::{CheckKind, Exercise};
    use crate::model::outcome::CheckResult;
    use std::time::Duration;

    fn exercise_with(cases: Vec<CaseResult>) -> ExerciseResult {
        ExerciseResult {
            exercise: Exercise {
                name: "e".into(),
                checks: vec![CheckKind::Tests],
                points: 10,
                ..Default::default()
            },
            checks: vec![CheckResult {
                kind: CheckKind::Tests,
                cases,
            }],
        }
    }

    #[test]
    fn each_kind_of_cell_is_told_from_the_cases() {
        let pass = || CaseResult::pass("p", Duration::ZERO);
        let failure = |cause| CaseResult::failure("f", cause, "m");
        let kind = |cases| CellKind::of(&exercise_with(cases));
        assert_eq!(kind(vec![pass(), pass()]), CellKind::Passed);
        assert_eq!(
            kind(vec![pass(), failure(Cause::DataRace)]),
            CellKind::Partly
        );
        assert_eq!(kind(vec![failure(Cause::NotStarted)]), CellKind::Failed);
        assert_eq!(
            kind(vec![pass(), failure(Cause::Deadlocked)]),
            CellKind::DeadlockedOrTimedOut
        );
        assert_eq!(
            kind(vec![failure(Cause::TimedOut)]),
            CellKind::DeadlockedOrTimedOut
        );
        assert_eq!(
            kind(vec![failure(Cause::DoesNotCompile)]),
            CellKind::DoesNotCompile
        );
        assert_eq!(kind(vec![failure(Cause::Refused)]), CellKind::Refused);
        let shipped = ExerciseResult::not_attempted(&exercise_with(vec![]).exercise, "e.rs");
        assert_eq!(CellKind::of(&shipped), CellKind::NotAttempted);
        // No checks at all is not a pass, nor "not attempted".
        assert_eq!(kind(vec![]), CellKind::Failed);
        let symbols: std::collections::BTreeSet<_> =
            CellKind::ALL.iter().map(|kind| kind.symbol()).collect();
        assert_eq!(symbols.len(), CellKind::ALL.len());
    }

    #[test]
    fn every_cause_has_words_and_a_summary_starts_with_them() {
        let case = CaseResult::failure("sums", Cause::DataRace, "\nin some interleaving…");
        assert_eq!(summary(&case), "data race: in some interleaving…");
        let bare = CaseResult::failure("sums", Cause::TimedOut, "");
        assert_eq!(summary(&bare), "timed out");
        assert_eq!(tone(Cause::NotStarted), Tone::ToDo);
        assert_eq!(css_class(Cause::Skipped), "not-run");
    }
}
