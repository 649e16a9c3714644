//! The results stream: what running the checks produces and every reporter reads.

use std::time::Duration;

use crate::catalog::{CheckKind, Exercise};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Timeout,
    CompileError,
    /// Not run: in a student's check, an earlier case of the exercise timed out, and
    /// the rest would most likely hang as long again.
    Skipped,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Timeout => "timeout",
            Status::CompileError => "compile error",
            Status::Skipped => "skipped",
        }
    }
}

/// One test, one compile-fail case, or one loom model.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub name: String,
    pub status: Status,
    /// What went wrong, in words a student can act on; empty on a pass.
    pub message: String,
    /// What the process or compiler printed that matters, trimmed.
    pub output: String,
    /// `path:line` the student should look at, when there is one.
    pub location: Option<String>,
    pub duration: Duration,
}

impl CaseResult {
    pub fn pass(name: impl Into<String>, duration: Duration) -> CaseResult {
        CaseResult {
            name: name.into(),
            status: Status::Pass,
            message: String::new(),
            output: String::new(),
            location: None,
            duration,
        }
    }

    pub fn failure(
        name: impl Into<String>,
        status: Status,
        message: impl Into<String>,
    ) -> CaseResult {
        CaseResult {
            name: name.into(),
            status,
            message: message.into(),
            output: String::new(),
            location: None,
            duration: Duration::ZERO,
        }
    }

    pub fn with_output(mut self, output: impl Into<String>) -> CaseResult {
        self.output = output.into();
        self
    }

    pub fn with_location(mut self, location: Option<String>) -> CaseResult {
        self.location = location;
        self
    }
}

/// One kind of check of one exercise.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub kind: CheckKind,
    pub cases: Vec<CaseResult>,
}

impl CheckResult {
    /// A check passes when it ran at least one case and every case passed.
    pub fn status(&self) -> Status {
        match self.cases.iter().find(|case| case.status != Status::Pass) {
            Some(case) => case.status,
            None if self.cases.is_empty() => Status::Fail,
            None => Status::Pass,
        }
    }

    pub fn first_failure(&self) -> Option<&CaseResult> {
        self.cases.iter().find(|case| case.status != Status::Pass)
    }

    /// The fraction of cases that passed, for partial credit.
    pub fn passed_fraction(&self) -> f64 {
        if self.cases.is_empty() {
            return 0.0;
        }
        let passed = self
            .cases
            .iter()
            .filter(|case| case.status == Status::Pass)
            .count();
        passed as f64 / self.cases.len() as f64
    }

    pub fn duration(&self) -> Duration {
        self.cases.iter().map(|case| case.duration).sum()
    }
}

/// Every check of one exercise.
#[derive(Debug, Clone)]
pub struct ExerciseResult {
    pub exercise: Exercise,
    pub checks: Vec<CheckResult>,
}

impl ExerciseResult {
    pub fn passed(&self) -> bool {
        !self.checks.is_empty()
            && self
                .checks
                .iter()
                .all(|check| check.status() == Status::Pass)
    }

    pub fn check(&self, kind: CheckKind) -> Option<&CheckResult> {
        self.checks.iter().find(|check| check.kind == kind)
    }

    pub fn first_failure(&self) -> Option<(&CheckResult, &CaseResult)> {
        self.checks
            .iter()
            .find_map(|check| check.first_failure().map(|case| (check, case)))
    }

    /// The exercise's points are shared equally by its checks; each check earns its
    /// share in proportion to the cases that passed.
    pub fn points_earned(&self) -> f64 {
        let share = f64::from(self.exercise.points) / self.exercise.checks.len() as f64;
        self.checks
            .iter()
            .map(|check| share * check.passed_fraction())
            .sum()
    }
}

/// Everything graded for one source: a submission, the student's own checkout, or
/// the reference solutions.
#[derive(Debug, Clone)]
pub struct Graded {
    /// The submission's folder name, or what was checked (`exercises`, `solutions`).
    pub name: String,
    /// Files that differ from the kit's (ignored by the grade), missing exercise
    /// files, and grading that could not run.
    pub warnings: Vec<String>,
    pub exercises: Vec<ExerciseResult>,
}

impl Graded {
    pub fn points(&self) -> f64 {
        self.exercises
            .iter()
            .map(ExerciseResult::points_earned)
            .sum()
    }

    pub fn max_points(&self) -> u32 {
        self.exercises
            .iter()
            .map(|result| result.exercise.points)
            .sum()
    }

    pub fn passed(&self) -> bool {
        self.exercises.iter().all(ExerciseResult::passed)
    }
}
