//! What a run produces and every reporter reads: a case, a check (its cases), an
//! exercise (its checks), a graded source (its exercises), with the points. The runner
//! streams cases and checks as they are judged (`engine::Event`), and returns them all.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::catalog::{CheckKind, Exercise};
use crate::model::location::Location;

/// Serialized as its label, which the JSON report has always used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Timeout,
    #[serde(rename = "compile error")]
    CompileError,
    /// Not built: the exercise file uses what the kit does not allow (`policy.rs`).
    Refused,
    /// Not run: in grading, the exercise file is exactly as shipped.
    #[serde(rename = "not attempted")]
    NotAttempted,
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
            Status::Refused => "refused",
            Status::NotAttempted => "not attempted",
            Status::Skipped => "skipped",
        }
    }
}

/// One test, one compile-fail case, or one loom model.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub name: String,
    pub status: Status,
    /// What went wrong, in words a student can act on; empty on a pass.
    pub message: String,
    /// What the process or compiler printed that matters, trimmed.
    pub output: String,
    /// The line the student should look at, when there is one.
    pub location: Option<Location>,
    pub duration: Duration,
    /// The case passes on the exercise as shipped, so it earns nothing
    /// (`exercises/as-shipped.toml`).
    pub passes_as_shipped: bool,
    /// A loom model's execution that failed (or, for `run --interleavings`, the first
    /// one loom explored), step by step; empty when there is none.
    pub interleaving: Vec<Step>,
}

/// One operation of a loom model's execution on the kit's shim types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 0 is the model's main thread; then 1, 2, … in the order they were spawned.
    pub thread: usize,
    /// What the thread did: `load`, `store true`, `lock`, `write`, `spawn thread 1`, …
    pub operation: String,
    /// What it did it to, numbered per kind in order of appearance: `Mutex 2`.
    pub object: Option<String>,
    /// The memory ordering, when the operation has one (`Acquire/Relaxed` for a
    /// compare-exchange's success and failure).
    pub ordering: Option<String>,
    /// The value a load, read-modify-write or compare-exchange saw.
    pub value: Option<String>,
    /// The line of the exercise (or its check) where it happened.
    pub location: Location,
    /// The thread was blocked in this operation when the model stopped.
    pub blocked: bool,
    /// One of the steps that matter: the two racing accesses, or a thread of the
    /// deadlock.
    pub marked: bool,
}

impl Step {
    /// `main`, `thread 1`, …
    pub fn thread_name(&self) -> String {
        thread_name(self.thread)
    }
}

/// A model's thread as the timeline names it: `main`, `thread 1`, …
pub fn thread_name(thread: usize) -> String {
    match thread {
        0 => "main".to_string(),
        n => format!("thread {n}"),
    }
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
            passes_as_shipped: false,
            interleaving: Vec::new(),
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
            passes_as_shipped: false,
            interleaving: Vec::new(),
        }
    }

    pub fn with_output(mut self, output: impl Into<String>) -> CaseResult {
        self.output = output.into();
        self
    }

    pub fn with_location(mut self, location: Option<Location>) -> CaseResult {
        self.location = location;
        self
    }
}

/// One kind of check of one exercise.
#[derive(Debug, Clone, PartialEq)]
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

    /// The cases that can earn points: those that do not pass as shipped.
    fn earning_cases(&self) -> impl Iterator<Item = &CaseResult> {
        self.cases.iter().filter(|case| !case.passes_as_shipped)
    }

    /// Whether the check can earn points: a check whose every case passes on the
    /// exercise as shipped cannot, and its share goes to the exercise's other checks.
    pub fn earns_points(&self) -> bool {
        self.cases.is_empty() || self.earning_cases().next().is_some()
    }

    /// The fraction of the cases that can earn points that passed, for partial credit.
    pub fn passed_fraction(&self) -> f64 {
        let earning = self.earning_cases().count();
        if earning == 0 {
            return 0.0;
        }
        let passed = self
            .earning_cases()
            .filter(|case| case.status == Status::Pass)
            .count();
        passed as f64 / earning as f64
    }

    pub fn duration(&self) -> Duration {
        self.cases.iter().map(|case| case.duration).sum()
    }
}

/// Every check of one exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseResult {
    pub exercise: Exercise,
    pub checks: Vec<CheckResult>,
}

impl ExerciseResult {
    /// A file handed in exactly as shipped: each check gets one case that says so, and
    /// nothing is run.
    pub fn not_attempted(exercise: &Exercise, file: &str) -> ExerciseResult {
        let case = CaseResult::failure(
            "unchanged",
            Status::NotAttempted,
            format!("{file} is as shipped: not attempted, so not run, and it earns no points"),
        );
        ExerciseResult {
            exercise: exercise.clone(),
            checks: exercise
                .checks
                .iter()
                .map(|&kind| CheckResult {
                    kind,
                    cases: vec![case.clone()],
                })
                .collect(),
        }
    }

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

    /// The points one check can earn. The exercise's points are shared equally by its
    /// checks that can earn points: the catalog's checks, but for those whose every
    /// case passes on the exercise as shipped.
    pub fn share(&self, check: &CheckResult) -> f64 {
        if !check.earns_points() {
            return 0.0;
        }
        let earning = self
            .exercise
            .checks
            .iter()
            .filter(|kind| self.check(**kind).is_none_or(CheckResult::earns_points))
            .count();
        f64::from(self.exercise.points) / earning.max(1) as f64
    }

    /// Each check earns its share in proportion to its cases that passed, counting only
    /// the cases that do not pass as shipped.
    pub fn points_earned(&self) -> f64 {
        self.checks
            .iter()
            .map(|check| self.share(check) * check.passed_fraction())
            .sum()
    }
}

/// What copy detection knows of one submitted exercise file (`model/likeness.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Likeness {
    /// Of the file's tokens with local names numbered: formatting, comments and
    /// renamed variables do not change it.
    pub fingerprint: String,
    /// The file is the reference solution, so normalized.
    pub same_as_solution: bool,
}

/// Everything graded for one source: a submission, the student's own checkout, or
/// the reference solutions.
#[derive(Debug, Clone, Default)]
pub struct Graded {
    /// The submission's folder name, or what was checked (`exercises`, `solutions`).
    pub name: String,
    /// Files that differ from the kit's (ignored by the grade), missing exercise
    /// files, and grading that could not run.
    pub warnings: Vec<String>,
    pub exercises: Vec<ExerciseResult>,
    /// By exercise name, the submitted files that were attempted (none for a
    /// student's own checkout): the report flags likenesses, and grades nothing by them.
    pub likeness: BTreeMap<String, Likeness>,
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
