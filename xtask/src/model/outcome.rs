//! What a run produces and every reporter reads: a case, a check (its cases), an
//! exercise (its checks), a graded source (its exercises), with the points. The runner
//! streams cases and checks as they are judged (`engine::Event`), and returns them all.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

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

/// Why a case did not pass, as the engine found it. Every reporter takes its words and
/// colours from this (`report/causes.rs`), never from the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// The case reached a `todo!()` or `unimplemented!()` in the student's file.
    NotStarted,
    /// The exercise, or the checks against it, did not compile.
    DoesNotCompile,
    /// The policy refused the exercise file before anything was built.
    Refused,
    /// The test (or model) did not finish within its time limit.
    TimedOut,
    /// loom: in some interleaving every thread was blocked.
    Deadlocked,
    /// The student's own code panicked (the panic is in the exercise file).
    Panicked,
    /// A check's assertion failed: the code ran, and did something else.
    AssertionFailed,
    /// loom: two threads accessed the same memory without a happens-before relation.
    DataRace,
    /// loom: an `Arc` or an allocation was never freed.
    Leaked,
    /// loom: a thread waited for ever (loom's branch limit).
    NeverStoppedWaiting,
    /// The test process died before its harness reported: an abort, a stack overflow,
    /// memory run out, a signal; or loom's own bookkeeping broke.
    Crashed,
    /// The test process exited with code 0 before its harness reported.
    ExitedEarly,
    /// The test printed more than the runner keeps.
    Flooded,
    /// A compile-fail case compiled, though it must be rejected.
    Compiled,
    /// A compile-fail case was rejected, but not with the error it expects.
    RejectedOtherwise,
    /// Not run: a submitted file exactly as shipped.
    NotAttempted,
    /// Not run: an earlier case timed out (a student's check).
    Skipped,
    /// The kit could not check the case: its tests could not be listed, or grading
    /// could not run.
    NotChecked,
    /// A failure whose cause was not told apart.
    Failed,
}

impl Cause {
    /// The status that the cause makes of a case.
    pub fn status(self) -> Status {
        match self {
            Cause::DoesNotCompile => Status::CompileError,
            Cause::Refused => Status::Refused,
            Cause::TimedOut => Status::Timeout,
            Cause::NotAttempted => Status::NotAttempted,
            Cause::Skipped => Status::Skipped,
            _ => Status::Fail,
        }
    }
}

/// The cause a status alone tells: for reports written before causes were recorded.
impl From<Status> for Cause {
    fn from(status: Status) -> Cause {
        match status {
            Status::CompileError => Cause::DoesNotCompile,
            Status::Refused => Cause::Refused,
            Status::Timeout => Cause::TimedOut,
            Status::NotAttempted => Cause::NotAttempted,
            Status::Skipped => Cause::Skipped,
            Status::Pass | Status::Fail => Cause::Failed,
        }
    }
}

/// The names of the cases that stand for a verdict on a whole check rather than for one
/// of its tests: every report shows a case's name, these as they are.
pub mod stand_in {
    /// The policy refused the exercise file (or could not judge it).
    pub const POLICY: &str = "policy";
    /// The check's target did not compile.
    pub const BUILD: &str = "build";
    /// The target's tests could not be listed, or it has none of the kind.
    pub const LIST: &str = "list";
    /// A compile-fail check with no cases (or, in JUnit, a check with no case run).
    pub const CASES: &str = "cases";
    /// The exercise file is as shipped: not attempted, so not run.
    pub const UNCHANGED: &str = "unchanged";
    /// Grading itself could not run.
    pub const GRADING: &str = "grading";
}

/// One test, one compile-fail case, or one loom model.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub name: String,
    pub status: Status,
    /// Why it did not pass; `None` on a pass.
    pub cause: Option<Cause>,
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
            cause: None,
            message: String::new(),
            output: String::new(),
            location: None,
            duration,
            passes_as_shipped: false,
            interleaving: Vec::new(),
        }
    }

    /// A case that did not pass, for `cause` (a `Status` gives the cause it tells).
    pub fn failure(
        name: impl Into<String>,
        cause: impl Into<Cause>,
        message: impl Into<String>,
    ) -> CaseResult {
        let cause = cause.into();
        CaseResult {
            name: name.into(),
            status: cause.status(),
            cause: Some(cause),
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

    /// The same failure, for a cause told apart since (and its status).
    pub fn with_cause(mut self, cause: Cause) -> CaseResult {
        self.cause = Some(cause);
        self.status = cause.status();
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

    /// The cases that count for points: every case that fails, and every case that
    /// passes but for those that pass on the exercise as shipped, which earn nothing.
    /// A case that passed as shipped and fails now costs points like any other.
    fn counted_cases(&self) -> impl Iterator<Item = &CaseResult> {
        self.cases
            .iter()
            .filter(|case| !case.passes_as_shipped || case.status != Status::Pass)
    }

    /// Whether the check can earn points: a check whose every case passes, and passed
    /// on the exercise as shipped, cannot, and its share goes to the exercise's other
    /// checks.
    pub fn earns_points(&self) -> bool {
        self.cases.is_empty() || self.counted_cases().next().is_some()
    }

    /// The fraction of the counted cases that passed, for partial credit: 1 only when
    /// every case of the check passes.
    pub fn passed_fraction(&self) -> f64 {
        let counted = self.counted_cases().count();
        if counted == 0 {
            return 0.0;
        }
        let passed = self
            .counted_cases()
            .filter(|case| case.status == Status::Pass)
            .count();
        passed as f64 / counted as f64
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
            stand_in::UNCHANGED,
            Status::NotAttempted,
            format!("{file} is as shipped: not attempted, so not run, and it earns no points"),
        );
        ExerciseResult::not_judged(exercise, &exercise.checks, case)
    }

    /// Every check of `exercise` failed with why grading could not run (or why the
    /// submission's files cannot be read).
    pub fn not_graded(exercise: &Exercise, why: &str) -> ExerciseResult {
        let why = CaseResult::failure(stand_in::GRADING, Cause::NotChecked, why);
        ExerciseResult::not_judged(exercise, &exercise.checks, why)
    }

    /// An exercise whose checks `kinds` were not judged: each holds the one case `why`,
    /// which says why (a refusal, a file as shipped, grading that could not run).
    pub fn not_judged(exercise: &Exercise, kinds: &[CheckKind], why: CaseResult) -> ExerciseResult {
        ExerciseResult {
            exercise: exercise.clone(),
            checks: kinds
                .iter()
                .map(|&kind| CheckResult {
                    kind,
                    cases: vec![why.clone()],
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
    /// case passes, and passed on the exercise as shipped.
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

    /// Each check earns its share in proportion to its counted cases that passed: a case
    /// that passes as shipped earns nothing, and a case that fails costs points whether
    /// or not it passed as shipped. Full points only when every case passes.
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
    /// When its grading started and how long it took; `None` when not known (a JSON
    /// report written before times were kept).
    pub timing: Option<Timing>,
}

/// The wall-clock time of grading one source, as the platforms report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub started: SystemTime,
    pub elapsed: Duration,
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

/// A folder of a class that was not graded, and why: not a copy of the kit, or not
/// reached before the run was interrupted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotGraded {
    /// The folder's (or file's) name in the class folder.
    pub folder: String,
    pub reason: String,
}

/// What every report form takes: a class as graded, and every folder of it that was not.
#[derive(Debug, Clone, Default)]
pub struct Class {
    pub graded: Vec<Graded>,
    pub not_graded: Vec<NotGraded>,
    /// The run was interrupted: students not reached are among `not_graded`.
    pub incomplete: bool,
    /// The catalog graded against (`catalog_fingerprint`): reports of different
    /// catalogs are never merged.
    pub catalog: String,
    /// By student, a hash of their exercise files as handed in, so that a resumed run
    /// grades again only those whose files changed.
    pub files: BTreeMap<String, String>,
}

/// A class with nothing left out, graded against the exercises its first student has.
impl From<Vec<Graded>> for Class {
    fn from(graded: Vec<Graded>) -> Class {
        let catalog = catalog_fingerprint(
            graded
                .first()
                .into_iter()
                .flat_map(|first| first.exercises.iter().map(|result| &result.exercise)),
        );
        Class {
            graded,
            catalog,
            ..Class::default()
        }
    }
}

/// The fingerprint of a catalog as graded: each exercise's name, checks and points, in
/// order, which are what a report's columns and totals are made of.
pub fn catalog_fingerprint<'a>(exercises: impl IntoIterator<Item = &'a Exercise>) -> String {
    let described: String = exercises
        .into_iter()
        .map(|exercise| {
            let checks: Vec<String> = exercise.checks.iter().map(ToString::to_string).collect();
            format!(
                "{} [{}] {}\n",
                exercise.name,
                checks.join(" "),
                exercise.points
            )
        })
        .collect();
    crate::model::shipped::fnv1a_hex(&described)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `join_handles` as its record has it: six tests, four of which pass as shipped.
    fn join_handles(failing: &[&str]) -> ExerciseResult {
        let shipped_passing = ["in_order", "no_jobs", "threads_ended", "panic_passed_on"];
        let cases = ["in_order", "no_jobs", "own_threads", "same_time"]
            .into_iter()
            .chain(["threads_ended", "panic_passed_on"])
            .map(|name| {
                let mut case = if failing.contains(&name) {
                    CaseResult::failure(name, Cause::AssertionFailed, "wrong")
                } else {
                    CaseResult::pass(name, Duration::ZERO)
                };
                case.passes_as_shipped = shipped_passing.contains(&name);
                case
            })
            .collect();
        ExerciseResult {
            exercise: Exercise {
                name: "join_handles".into(),
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
    fn a_case_that_fails_costs_points_whether_or_not_it_passed_as_shipped() {
        // Joined with `unwrap()`: the job's panic is replaced, and that case passed as
        // shipped (the jobs ran on the caller's thread).
        let unwrapped = join_handles(&["panic_passed_on"]);
        assert!(!unwrapped.passed());
        assert!(
            unwrapped.points_earned() < 10.0,
            "{}",
            unwrapped.points_earned()
        );
        assert!(unwrapped.points_earned() > 0.0);
        assert_eq!(join_handles(&[]).points_earned(), 10.0);
    }

    #[test]
    fn what_passes_as_shipped_earns_nothing_and_an_untouched_exercise_nothing_at_all() {
        assert_eq!(
            join_handles(&["own_threads", "same_time"]).points_earned(),
            0.0
        );
        assert_eq!(join_handles(&["own_threads"]).points_earned(), 5.0);
    }
}
