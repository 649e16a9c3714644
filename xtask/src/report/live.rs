//! Verdicts as they come: while `check` runs, one line per check on stderr as soon as
//! its last case is judged, before the table sums them up.

use std::sync::Arc;

use crate::engine::{Event, Observer};
use crate::model::catalog::Exercise;
use crate::model::outcome::{CheckResult, Status};
use crate::report::{causes, style};

/// An observer that prints each check's verdict as it comes in.
pub fn observer() -> Observer {
    Arc::new(|event| {
        if let Event::Check { exercise, check } = event {
            eprintln!("{}", line(exercise, check));
        }
    })
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
