//! The test pool: every test (or loom model) in a process of its own, at most `jobs` at
//! once, started as soon as its target is built while cargo compiles the others. Each
//! case is told to the observer as it is judged, and each check once its last case is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, mpsc};

use anyhow::Context;

use super::cargo::{self, Built, Flavor};
use super::{Depth, Runner, flavor_noun, libtest, only_the_checks, student};
use crate::model::catalog::Exercise;
use crate::model::outcome::{CaseResult, Cause, CheckResult, stand_in};
use crate::os::sandbox::{Sandbox, Scratch};
use crate::syntax::test_order;

/// One test to run: its place in its target's list, and where it is.
struct Job<'e> {
    index: usize,
    exercise: &'e Exercise,
    executable: PathBuf,
    test: String,
}

/// What has come in of one exercise's cases, and how many it will have once its
/// target is built and listed.
#[derive(Default)]
struct Collected {
    expected: Option<usize>,
    cases: Vec<(usize, CaseResult)>,
}

impl Collected {
    fn is_complete(&self) -> bool {
        self.expected == Some(self.cases.len())
    }

    /// Adds a case where its target lists it, whichever finished first, so that the
    /// cases are always in their target's order.
    fn add(&mut self, index: usize, case: CaseResult) {
        let at = self.cases.partition_point(|(before, _)| *before < index);
        self.cases.insert(at, (index, case));
    }

    fn into_cases(self) -> Vec<CaseResult> {
        self.cases.into_iter().map(|(_, case)| case).collect()
    }
}

/// The state the pool's threads share.
struct Shared<'e> {
    flavor: Flavor,
    depth: Depth,
    /// The only folder a test may write to: its tree's own, for its harness log.
    scratch: PathBuf,
    queue: Mutex<mpsc::Receiver<Job<'e>>>,
    /// Exercises whose queued tests are skipped (`Depth::stops_after`).
    stopped: Mutex<BTreeSet<String>>,
    collected: Mutex<BTreeMap<String, Collected>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Runner<'_> {
    /// Builds the exercises' test targets in one cargo invocation and runs every test
    /// in the pool. Depending on `depth`, a case can end its exercise's run: the
    /// exercise's tests still queued are then skipped.
    pub(super) fn run_tests(
        &self,
        exercises: &[&Exercise],
        flavor: Flavor,
        depth: Depth,
    ) -> anyhow::Result<BTreeMap<String, Vec<CaseResult>>> {
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        let scratch = self.kit.state_dir().join("run").join(&self.tree.package);
        std::fs::create_dir_all(&scratch)
            .with_context(|| format!("cannot create {}", scratch.display()))?;
        let (jobs, queue) = mpsc::channel();
        let shared = Shared {
            flavor,
            depth,
            scratch,
            queue: Mutex::new(queue),
            stopped: Mutex::default(),
            collected: Mutex::default(),
        };
        std::thread::scope(|scope| {
            for _ in 0..self.jobs {
                scope.spawn(|| self.work(&shared));
            }
            let built = cargo::build_tests(
                &self.build_sandbox(&self.tree.root)?,
                &self.tree,
                &self.kit.target_dir(),
                &names,
                flavor,
                &|event| self.tell(event),
                |name, built| {
                    if let Some(exercise) = exercises.iter().find(|e| e.name == name) {
                        self.on_built(exercise, built, &jobs, &shared);
                    }
                },
            );
            drop(jobs);
            built.map(|_| ())
        })?;
        let collected = shared.collected.into_inner();
        let collected = collected.unwrap_or_else(PoisonError::into_inner);
        Ok(collected
            .into_iter()
            .map(|(name, collected)| (name, collected.into_cases()))
            .collect())
    }

    /// The tests of `executable`, listed in a sandbox of their own.
    fn list(&self, executable: &Path, shared: &Shared<'_>) -> anyhow::Result<Vec<String>> {
        let own = Scratch::new(&shared.scratch)?;
        let sandbox = Sandbox {
            runner: self.runner_executable.clone(),
            scratch: own.path().to_path_buf(),
            cpu_seconds: 30,
        };
        libtest::list(executable, Some(&sandbox))
    }

    /// A target is built (or failed to): its tests are queued, or its verdict is in.
    fn on_built<'e>(
        &self,
        exercise: &'e Exercise,
        built: &Built,
        jobs: &mpsc::Sender<Job<'e>>,
        shared: &Shared<'e>,
    ) {
        let listed = match built {
            Built::Failed(diagnostics) => Err(self.compile_error(exercise, diagnostics)),
            Built::Executable(_)
                if let Some(refused) = self
                    .refusal_to_run(exercise, shared.flavor == Flavor::Loom)
                    .unwrap_or_else(|err| {
                        Some(CaseResult::failure(
                            stand_in::POLICY,
                            Cause::NotChecked,
                            format!("{err:#}"),
                        ))
                    }) =>
            {
                Err(refused)
            }
            Built::Executable(executable) => {
                match self.list(executable, shared).map(only_the_checks) {
                    Err(err) => Err(CaseResult::failure(
                        stand_in::LIST,
                        Cause::NotChecked,
                        format!("{err:#}"),
                    )),
                    Ok(tests) if tests.is_empty() => {
                        let message = format!(
                            "{} has no {} to run",
                            exercise.checks_dir(),
                            flavor_noun(shared.flavor)
                        );
                        Err(CaseResult::failure(
                            stand_in::LIST,
                            Cause::NotChecked,
                            message,
                        ))
                    }
                    Ok(mut tests) => {
                        self.teaching_order(exercise, &mut tests);
                        Ok((executable, tests))
                    }
                }
            }
        };
        match listed {
            Err(case) => {
                // The one verdict of a target that never ran.
                let collected = Collected {
                    expected: Some(1),
                    cases: Vec::new(),
                };
                lock(&shared.collected).insert(exercise.name.clone(), collected);
                self.collect(exercise, 0, case, shared);
            }
            Ok((executable, tests)) => {
                let collected = Collected {
                    expected: Some(tests.len()),
                    cases: Vec::new(),
                };
                lock(&shared.collected).insert(exercise.name.clone(), collected);
                for (index, test) in tests.into_iter().enumerate() {
                    let executable = executable.clone();
                    let job = Job {
                        index,
                        exercise,
                        executable,
                        test,
                    };
                    let _ = jobs.send(job);
                }
            }
        }
    }

    /// Puts libtest's alphabetical list in the order the check file gives its tests, so
    /// that the first failure is the first the author meant a student to meet.
    fn teaching_order(&self, exercise: &Exercise, tests: &mut [String]) {
        let checks = self.tree.root.join(exercise.checks_dir()).join("main.rs");
        if let Ok(source) = std::fs::read_to_string(checks) {
            test_order::sort(tests, &test_order::tests_in_order(&source));
        }
    }

    /// One of the pool's threads: runs queued tests until the queue is closed.
    fn work(&self, shared: &Shared<'_>) {
        loop {
            let job = lock(&shared.queue).recv();
            let Ok(job) = job else { break };
            let exercise = job.exercise;
            let is_stopped = lock(&shared.stopped).contains(&exercise.name);
            let case = if is_stopped {
                skipped(job.test, shared.depth)
            } else {
                self.run_in_pool(&job, shared)
            };
            if shared.depth.stops_after(&case) {
                lock(&shared.stopped).insert(exercise.name.clone());
            }
            self.collect(exercise, job.index, case, shared);
        }
    }

    fn run_in_pool(&self, job: &Job<'_>, shared: &Shared<'_>) -> CaseResult {
        let scratch: &Path = &shared.scratch;
        let case = self.run_case(
            job.exercise,
            &job.executable,
            &job.test,
            shared.flavor,
            scratch,
            shared.depth,
        );
        student::attribute(case, shared.flavor.kind(), &self.tree.root, job.exercise)
    }

    /// Records a judged case, and tells of its check once it is the last one in.
    fn collect(&self, exercise: &Exercise, index: usize, case: CaseResult, shared: &Shared<'_>) {
        let kind = shared.flavor.kind();
        self.judged(exercise, kind, &case);
        let complete = {
            let mut collected = lock(&shared.collected);
            let entry = collected.entry(exercise.name.clone()).or_default();
            entry.add(index, case);
            entry
                .is_complete()
                .then(|| entry.cases.iter().map(|(_, case)| case.clone()).collect())
        };
        if let Some(cases) = complete {
            self.checked(exercise, &CheckResult { kind, cases });
        }
    }
}

/// A queued test not run, because an earlier one of its exercise ended the run.
fn skipped(test: String, depth: Depth) -> CaseResult {
    let why = match depth {
        Depth::UntilFirstFailure => "timed out",
        _ => "failed",
    };
    CaseResult::failure(
        test,
        Cause::Skipped,
        format!("not run: an earlier test of this exercise {why}"),
    )
}
