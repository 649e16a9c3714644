//! The words and colours of each cause of a case that did not pass
//! (`outcome::Cause`). Every reporter takes them from here, never from a verdict's
//! text, so that the terminal, the JSON and the class report say the same of the same
//! failure.

use crate::model::outcome::{CaseResult, Cause};
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

#[cfg(test)]
mod tests {
    use super::*;

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
