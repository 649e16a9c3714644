//! Checking exercises: builds their crates, runs every case of every check kind in
//! a bounded pool, and turns it all into one stream of `ExerciseResult`s. Its parts are
//! private: commands reach it through `Runner` (check exercises, build one by hand, a
//! model's first interleavings), `grade`, and the few names re-exported here.

mod by_hand;
mod cargo;
mod cases;
mod compile_fail;
mod grade;
mod interleaving;
mod libtest;
mod loom;
mod panics;
mod pool;
mod restore;
mod sandbox;
mod student;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

// What the commands need of the engine's parts, by name:
// - opening the kit where cargo builds it (`discover_kit`, every command), and the
//   `cargo` that runs this runner, for the commands that run cargo themselves
//   (`ide-check`, `verify`'s clippy);
pub use self::cargo::{cargo, discover_kit};
// - what a build gives: an executable, or compiler errors (`Diagnostic`), per flavour;
pub use self::cargo::{Built, Diagnostic, Flavor};
// - the hidden subcommand that runs trybuild (`main.rs`, `bench`), and what a
//   compile-fail case expects (`verify`); `compile_fail_cases`, below, finds the cases;
pub use self::compile_fail::{
    HARNESS_COMMAND as COMPILE_FAIL_HARNESS, expectations as compile_fail_expectations,
    harness as compile_fail_harness,
};
// - building by hand (`run`) and a model's first interleavings (`--interleavings`);
pub use self::by_hand::{FirstInterleaving, OneBuild};
// - grading one source, with its options (`check`);
pub use self::grade::{GradeOptions, grade};
// - an exercise put back as shipped, from git, the student's version backed up first
//   (`reset`, watch's `x`).
pub use self::restore::restore_shipped;
use self::sandbox::own_executable;

use crate::model::catalog::{CheckKind, Exercise};
use crate::model::kit::{Kit, Source, Tree};
use crate::model::location::Location;
use crate::model::outcome::{CaseResult, Cause, CheckResult, ExerciseResult, Status, stand_in};
use crate::syntax::policy;

/// How much of an exercise to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Every check kind, for grading and verification.
    All,
    /// Check kinds in catalog order, stopping at the first that fails: the quickest
    /// verdict for a student.
    UntilFirstFailure,
    /// Every check kind for many exercises at once, but no more of an exercise once one
    /// of its cases has failed: enough to know that a mutant is killed.
    AnyFailure,
}

impl Depth {
    /// Whether, after `case`, the exercise's tests still queued are skipped. A student
    /// waits for one timeout, not one per test of a deadlocked exercise.
    fn stops_after(self, case: &CaseResult) -> bool {
        match self {
            Depth::All => false,
            Depth::UntilFirstFailure => case.status == Status::Timeout,
            Depth::AnyFailure => case.status != Status::Pass,
        }
    }
}

/// What the runner tells its observer, as it happens.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// One case of one check of an exercise has been judged.
    Case {
        exercise: &'a Exercise,
        kind: CheckKind,
        case: &'a CaseResult,
    },
    /// Every case of one check of an exercise has been judged: the check's verdict.
    Check {
        exercise: &'a Exercise,
        check: &'a CheckResult,
    },
    /// cargo has compiled one more unit of a build (a dependency, the library, a
    /// check): `compiled` so far, of about `expected` (the packages of the lock file;
    /// build scripts add a few). Units cargo reuses are not told.
    BuildProgress {
        compiled: usize,
        expected: usize,
        unit: &'a str,
    },
    /// The build is over: what was drawn of its progress can go.
    BuildFinished,
}

/// Hears of each case and each check as soon as it is judged, before the runner
/// returns: a live status line, or `check`'s verdicts as they come. Called from the
/// runner's threads, so it must be quick.
pub type Observer = Arc<dyn Fn(Event<'_>) + Send + Sync>;

pub struct Runner<'a> {
    kit: &'a Kit,
    source: Source,
    tree: Tree,
    jobs: usize,
    /// This runner's executable: it runs trybuild and confines test processes through
    /// hidden subcommands. The runner's own tests name it, since they are not it.
    runner_executable: PathBuf,
    observer: Option<Observer>,
}

impl<'a> Runner<'a> {
    pub fn new(kit: &'a Kit, source: Source) -> anyhow::Result<Runner<'a>> {
        let tree = kit.tree(&source)?;
        let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
        let runner_executable = own_executable()?;
        Ok(Runner {
            kit,
            source,
            tree,
            jobs,
            runner_executable,
            observer: None,
        })
    }

    /// Uses `runner_executable` for the hidden subcommands: the runner's own tests
    /// are not the runner.
    pub fn with_runner_executable(self, runner_executable: PathBuf) -> Runner<'a> {
        Runner {
            runner_executable,
            ..self
        }
    }

    /// Tells `observer` of each case as it is judged.
    pub fn with_observer(self, observer: Observer) -> Runner<'a> {
        Runner {
            observer: Some(observer),
            ..self
        }
    }

    /// Tells the observer, if any, of `event`.
    fn tell(&self, event: Event<'_>) {
        if let Some(observer) = &self.observer {
            observer(event);
        }
    }

    fn judged(&self, exercise: &Exercise, kind: CheckKind, case: &CaseResult) {
        self.tell(Event::Case {
            exercise,
            kind,
            case,
        });
    }

    fn checked(&self, exercise: &Exercise, check: &CheckResult) {
        self.tell(Event::Check { exercise, check });
    }

    /// Runs at most `jobs` test processes at once (the machine's cores by default).
    pub fn with_jobs(self, jobs: usize) -> Runner<'a> {
        Runner {
            jobs: jobs.max(1),
            ..self
        }
    }

    /// Checks `exercises`; an exercise whose file the policy refuses is not built, and
    /// each of its checks (the first only, for a student's verdict) gets the refusal.
    pub fn check(
        &self,
        exercises: &[&Exercise],
        depth: Depth,
    ) -> anyhow::Result<Vec<ExerciseResult>> {
        let mut refused = BTreeMap::new();
        for exercise in exercises {
            if let Some(case) = self.refusal(exercise, false)? {
                refused.insert(exercise.name.clone(), case);
            }
        }
        let admitted: Vec<&Exercise> = exercises
            .iter()
            .copied()
            .filter(|exercise| !refused.contains_key(&exercise.name))
            .collect();
        let mut checked = self.check_admitted(&admitted, depth)?.into_iter();
        Ok(exercises
            .iter()
            .map(|exercise| match refused.remove(&exercise.name) {
                Some(case) => {
                    let result = refused_result(exercise, case, depth);
                    for check in &result.checks {
                        self.checked(exercise, check);
                    }
                    result
                }
                None => checked.next().expect("one result per admitted exercise"),
            })
            .collect())
    }

    /// The policy's verdict on an exercise file: `None` when it may be built. `loom`
    /// adds the loom check's rules. A file the policy cannot read is built all the same,
    /// so that the compiler's own error, at its line, is the verdict.
    pub fn refusal(&self, exercise: &Exercise, loom: bool) -> anyhow::Result<Option<CaseResult>> {
        self.judge_file(exercise, loom, false)
    }

    /// The policy's verdict once the exercise's target has built, before anything of it
    /// runs: a file the policy cannot read, though the compiler could, is refused now.
    pub fn refusal_to_run(
        &self,
        exercise: &Exercise,
        loom: bool,
    ) -> anyhow::Result<Option<CaseResult>> {
        self.judge_file(exercise, loom, true)
    }

    fn judge_file(
        &self,
        exercise: &Exercise,
        loom: bool,
        built: bool,
    ) -> anyhow::Result<Option<CaseResult>> {
        let path = self.tree.root.join(exercise.file());
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        // A byte that is not UTF-8 leaves the file unreadable, or inside a comment or a
        // string judged all the same: the compiler's error about it is the verdict.
        let source = String::from_utf8_lossy(&bytes);
        let rules = policy::Rules {
            allowed: &exercise.allow,
            loom,
        };
        let refusals = policy::judge(&source, &rules);
        let Some(first) = refusals
            .first()
            .filter(|first| built || !first.is_unreadable())
        else {
            return Ok(None);
        };
        let others: Vec<String> = refusals[1..]
            .iter()
            .map(|refusal| format!("line {}: {}", refusal.line, refusal.sentence()))
            .collect();
        let location = Location::new(&exercise.file(), first.line);
        Ok(Some(
            CaseResult::failure(stand_in::POLICY, Cause::Refused, first.sentence())
                .with_location(Some(location))
                .with_output(others.join("\n")),
        ))
    }

    fn check_admitted(
        &self,
        exercises: &[&Exercise],
        depth: Depth,
    ) -> anyhow::Result<Vec<ExerciseResult>> {
        let mut results: Vec<ExerciseResult> = exercises
            .iter()
            .map(|exercise| ExerciseResult {
                exercise: (*exercise).clone(),
                checks: Vec::new(),
            })
            .collect();
        match depth {
            Depth::All | Depth::AnyFailure => {
                for kind in CheckKind::ALL {
                    let failed: Vec<&str> = results
                        .iter()
                        .filter(|result| {
                            depth == Depth::AnyFailure && result.first_failure().is_some()
                        })
                        .map(|result| result.exercise.name.as_str())
                        .collect();
                    let selected: Vec<&Exercise> = exercises
                        .iter()
                        .copied()
                        .filter(|e| e.has_check(kind) && !failed.contains(&e.name.as_str()))
                        .collect();
                    let mut by_name = self.run_kind(kind, &selected, depth)?;
                    for result in &mut results {
                        if let Some(check) = by_name.remove(&result.exercise.name) {
                            result.checks.push(check);
                        }
                    }
                }
                for result in &mut results {
                    let order = &result.exercise.checks;
                    result
                        .checks
                        .sort_by_key(|check| order.iter().position(|kind| *kind == check.kind));
                }
            }
            Depth::UntilFirstFailure => {
                for result in &mut results {
                    for &kind in &result.exercise.checks.clone() {
                        let mut by_name = self.run_kind(kind, &[&result.exercise], depth)?;
                        let check = by_name
                            .remove(&result.exercise.name)
                            .expect("one result per exercise");
                        let failed = check.status() != Status::Pass;
                        result.checks.push(check);
                        if failed {
                            break;
                        }
                    }
                }
            }
        }
        Ok(results)
    }

    fn run_kind(
        &self,
        kind: CheckKind,
        exercises: &[&Exercise],
        depth: Depth,
    ) -> anyhow::Result<BTreeMap<String, CheckResult>> {
        if exercises.is_empty() {
            return Ok(BTreeMap::new());
        }
        let cases = match kind {
            CheckKind::Tests => self.run_tests(exercises, Flavor::Std, depth)?,
            CheckKind::Loom => self.run_loom(exercises, depth)?,
            CheckKind::CompileFail => self.run_compile_fail(exercises)?,
        };
        Ok(cases
            .into_iter()
            .map(|(name, cases)| (name, CheckResult { kind, cases }))
            .collect())
    }

    /// The verdict on a test target that did not compile.
    fn compile_error(&self, exercise: &Exercise, diagnostics: &[cargo::Diagnostic]) -> CaseResult {
        let first = diagnostics.first();
        let rendered: Vec<&str> = diagnostics.iter().map(|d| d.rendered.trim_end()).collect();
        let file = self.display_file(exercise);
        let in_checks = first
            .and_then(|d| d.location.as_ref())
            .is_some_and(|location| location.file.starts_with("tests/"));
        // An error in the checks means the exercise compiles but does not yet provide
        // what they use (a type that is not `Sync`, a function that is still `async`,
        // ...): the error says what is missing.
        let headline = if in_checks {
            format!(
                "the checks do not compile against {file}: the first error says what it must provide"
            )
        } else {
            format!("the compiler's errors in {file} follow")
        };
        // The student's line: the first error in the exercise file, else the first
        // place in it that any error names (the item a check could not use), else the
        // first error's place in the checks, for `student` to follow.
        let exercise_file = exercise.file();
        let in_exercise = |location: &&Location| location.is_in(&exercise_file);
        let location = diagnostics
            .iter()
            .filter_map(|d| d.location.as_ref())
            .find(in_exercise)
            .or_else(|| diagnostics.iter().flat_map(|d| &d.places).find(in_exercise))
            .or(first.and_then(|d| d.location.as_ref()))
            .cloned();
        let case = CaseResult::failure(stand_in::BUILD, Cause::DoesNotCompile, headline)
            .with_output(rendered.join("\n\n"))
            .with_location(location);
        student::attribute(case, CheckKind::Tests, &self.tree.root, exercise)
    }

    fn run_loom(
        &self,
        exercises: &[&Exercise],
        depth: Depth,
    ) -> anyhow::Result<BTreeMap<String, Vec<CaseResult>>> {
        let mut refused = BTreeMap::new();
        let mut modelled = Vec::new();
        for exercise in exercises {
            match self.refusal(exercise, true)? {
                None => modelled.push(*exercise),
                Some(case) => {
                    self.judged(exercise, CheckKind::Loom, &case);
                    self.checked(
                        exercise,
                        &CheckResult {
                            kind: CheckKind::Loom,
                            cases: vec![case.clone()],
                        },
                    );
                    refused.insert(exercise.name.clone(), vec![case]);
                }
            }
        }
        let mut results = self.run_tests(&modelled, Flavor::Loom, depth)?;
        results.append(&mut refused);
        Ok(results)
    }

    fn run_compile_fail(
        &self,
        exercises: &[&Exercise],
    ) -> anyhow::Result<BTreeMap<String, Vec<CaseResult>>> {
        // trybuild writes next to the cases it compiles, so it gets a scratch copy.
        let files = exercises
            .iter()
            .map(|exercise| (exercise.file(), self.tree.root.join(exercise.file())))
            .collect();
        let scratch = self
            .kit
            .scratch_tree(&format!("compile-fail-{}", self.source.label()), files)?;
        let mut cases_of: Vec<(&Exercise, Vec<PathBuf>)> = Vec::new();
        for exercise in exercises {
            let cases = compile_fail_cases(&scratch.root, exercise)?;
            cases_of.push((exercise, cases));
        }
        let all: Vec<PathBuf> = cases_of
            .iter()
            .flat_map(|(_, cases)| cases.clone())
            .collect();
        let mut verdicts = compile_fail::run(
            &self.runner_executable,
            &self.build_sandbox(&scratch.root)?,
            &scratch.root,
            &self.kit.target_dir(),
            &all,
        )?
        .into_iter();
        let mut results = BTreeMap::new();
        for (exercise, cases) in cases_of {
            let mut judged: Vec<CaseResult> = verdicts.by_ref().take(cases.len()).collect();
            if judged.is_empty() {
                judged.push(CaseResult::failure(
                    stand_in::CASES,
                    Cause::NotChecked,
                    format!("{}/compile_fail has no cases", exercise.checks_dir()),
                ));
            }
            let judged: Vec<CaseResult> = judged
                .into_iter()
                .map(|case| {
                    student::attribute(case, CheckKind::CompileFail, &self.tree.root, exercise)
                })
                .collect();
            for case in &judged {
                self.judged(exercise, CheckKind::CompileFail, case);
            }
            let check = CheckResult {
                kind: CheckKind::CompileFail,
                cases: judged,
            };
            self.checked(exercise, &check);
            results.insert(exercise.name.clone(), check.cases);
        }
        Ok(results)
    }

    fn display_file(&self, exercise: &Exercise) -> String {
        self.source.display_file(exercise)
    }
}

/// The kit's own tests of a target. Tests in the exercise file itself (`exercise::…`)
/// are not checks, whatever got them there: the policy refuses `#[test]` in it.
fn only_the_checks(mut tests: Vec<String>) -> Vec<String> {
    tests.retain(|test| !test.starts_with("exercise::"));
    tests
}

/// An exercise the policy refused: the refusal stands for each of its checks, or for
/// the first only in a student's verdict, which stops at the first failure.
fn refused_result(exercise: &Exercise, case: CaseResult, depth: Depth) -> ExerciseResult {
    let kinds = match depth {
        Depth::All | Depth::AnyFailure => exercise.checks.as_slice(),
        Depth::UntilFirstFailure => &exercise.checks[..1],
    };
    ExerciseResult::not_judged(exercise, kinds, case)
}

/// The compile-fail cases of an exercise, in a stable order.
pub fn compile_fail_cases(tree: &Path, exercise: &Exercise) -> anyhow::Result<Vec<PathBuf>> {
    let dir = tree.join(exercise.checks_dir()).join("compile_fail");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let files = crate::model::kit::files_under(&dir)?;
    Ok(files
        .into_iter()
        .filter(|file| file.extension().is_some_and(|ext| ext == "rs"))
        .collect())
}

fn flavor_noun(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::Std => "tests",
        Flavor::Loom => "loom models (`#[cfg(feature = \"loom\")]` tests)",
    }
}
