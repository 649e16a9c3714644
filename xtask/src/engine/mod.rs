//! Checking exercises: builds their crates, runs every case of every check kind in
//! a bounded pool, and turns it all into one stream of `ExerciseResult`s.

pub mod cargo;
pub mod compile_fail;
pub mod interleaving;
pub mod libtest;
pub mod loom;
mod panics;
mod pool;
mod student;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use self::cargo::Flavor;
use crate::model::catalog::{CheckKind, Exercise};
use crate::model::kit::{Kit, Source, Tree};
use crate::model::location::Location;
use crate::model::outcome::{CaseResult, Cause, CheckResult, ExerciseResult, Status};
use crate::os::sandbox::{BuildSandbox, Sandbox, Scratch};
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

    fn judged(&self, exercise: &Exercise, kind: CheckKind, case: &CaseResult) {
        if let Some(observer) = &self.observer {
            observer(Event::Case {
                exercise,
                kind,
                case,
            });
        }
    }

    fn checked(&self, exercise: &Exercise, check: &CheckResult) {
        if let Some(observer) = &self.observer {
            observer(Event::Check { exercise, check });
        }
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
            CaseResult::failure("policy", Cause::Refused, first.sentence())
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

    /// Runs one test (or loom model) in its own sandboxed process.
    fn run_case(
        &self,
        exercise: &Exercise,
        executable: &Path,
        test: &str,
        flavor: Flavor,
        scratch: &Path,
        depth: Depth,
    ) -> CaseResult {
        let run = Run {
            exercise,
            executable,
            test,
            scratch,
        };
        match flavor {
            Flavor::Std => self.run_test(&run, depth),
            Flavor::Loom => self.run_model(&run),
        }
    }

    /// In grading, a test of an exercise with `runs` in the catalog runs again while it
    /// passes, and passes only if every run does: a racy answer is not given the better
    /// of several tries.
    fn run_test(&self, run: &Run<'_>, depth: Depth) -> CaseResult {
        let runs = match depth {
            Depth::All => run.exercise.runs(),
            Depth::UntilFirstFailure | Depth::AnyFailure => 1,
        };
        // A panic's backtrace names the student's line when the panic itself is
        // elsewhere (in a check's closure that the student's code called).
        let backtrace = [("RUST_BACKTRACE", "1".to_string())];
        let once = || self.run_sandboxed(run, &backtrace, &[], |_, _| ()).0;
        let mut case = once();
        let mut runs_done = 1;
        while case.status == Status::Pass && runs_done < runs {
            runs_done += 1;
            let again = once();
            let duration = case.duration + again.duration;
            case = again;
            case.duration = duration;
            if case.status != Status::Pass {
                case.message = format!(
                    "passed {} time(s), then failed on run {runs_done} of {runs}: a correct \
                     answer passes every run, and one that passes only some of them is racy.\n{}",
                    runs_done - 1,
                    case.message
                );
            }
        }
        case
    }

    /// A failed model runs again, naming its places and recording the execution that
    /// fails.
    fn run_model(&self, run: &Run<'_>) -> CaseResult {
        let bounds = run
            .exercise
            .loom
            .expect("validated: loom checks have bounds");
        let (mut case, _) = self.run_sandboxed(
            run,
            &loom::environment(bounds, false),
            &loom::SILENT_PASS_SETTINGS,
            |_, _| (),
        );
        if case.status == Status::Fail {
            // Exploration is deterministic: the same failure, now with its places. Should
            // the slower rerun end otherwise (its timeout), the first verdict stands.
            let file = interleaving::trace_file(Path::new("."), run.test);
            let mut env = loom::environment(bounds, true);
            env.extend(interleaving::environment(
                interleaving::Which::Failed,
                &file,
            ));
            let (mut rerun, steps) =
                self.run_sandboxed(run, &env, &loom::SILENT_PASS_SETTINGS, |own, rerun| {
                    let report = format!("{}\n{}", rerun.message, rerun.output);
                    interleaving::read(&own.join(&file), &report)
                });
            if rerun.status == Status::Fail {
                rerun.duration += case.duration;
                rerun.interleaving = steps;
                case = rerun;
            }
        }
        loom::explain(case, bounds)
    }

    /// One run of a test in the sandbox, with a scratch folder of its own (its working
    /// folder, for its harness log and a model's recording) that no other test can see;
    /// `read_back` takes what the test left there before the folder is removed.
    fn run_sandboxed<T: Default>(
        &self,
        run: &Run<'_>,
        env: &[(&str, String)],
        env_remove: &[&str],
        read_back: impl FnOnce(&Path, &CaseResult) -> T,
    ) -> (CaseResult, T) {
        let own = match Scratch::new(run.scratch) {
            Ok(own) => own,
            Err(err) => {
                return (
                    CaseResult::failure(run.test, Status::Fail, format!("{err:#}")),
                    T::default(),
                );
            }
        };
        let sandbox = Sandbox {
            runner: self.runner_executable.clone(),
            scratch: own.path().to_path_buf(),
            // A backstop for a spin that ignores the wall-clock timeout; two cores'
            // worth of it, plus start-up.
            cpu_seconds: 2 * run.exercise.timeout_secs() + 5,
        };
        let timeout = Duration::from_secs(run.exercise.timeout_secs());
        let case = libtest::run(run.executable, run.test, timeout, env, env_remove, &sandbox);
        let kept = read_back(own.path(), &case);
        (case, kept)
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
        let case = CaseResult::failure("build", Cause::DoesNotCompile, headline)
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
                    "cases",
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

/// One test of an exercise's executable, and the folder its runs' scratch folders go in.
struct Run<'a> {
    exercise: &'a Exercise,
    executable: &'a Path,
    test: &'a str,
    scratch: &'a Path,
}

/// What a build may read besides the tree it builds: the kit's build files, library,
/// checks and runner (cargo reads the whole workspace's manifests), never its
/// `solutions/`, its `.git` or a class folder inside it.
const KIT_BUILD_FILES: [&str; 9] = [
    "Cargo.toml",
    "Cargo.lock",
    "src",
    "tests",
    "exercises",
    "xtask",
    ".cargo",
    "rust-toolchain",
    "rust-toolchain.toml",
];

impl Runner<'_> {
    fn build_sandbox(&self, tree: &Path) -> anyhow::Result<BuildSandbox> {
        build_sandbox(self.kit, &self.runner_executable, tree)
    }
}

/// The sandbox of a build of `tree` (this runner's executable confines it): it reads
/// the kit's build files, the tree, the toolchain and cargo's home; it writes the
/// target directory (reading back only what cargo and trybuild build there, not the
/// other trees) and cargo's home.
pub fn build_sandbox(kit: &Kit, runner: &Path, tree: &Path) -> anyhow::Result<BuildSandbox> {
    let target = kit.target_dir();
    let scratch = kit.state_dir().join("build-tmp");
    std::fs::create_dir_all(&scratch)
        .with_context(|| format!("cannot create {}", scratch.display()))?;
    let home = |variable: &str, default: &str| {
        std::env::var_os(variable)
            .map(PathBuf::from)
            .or_else(|| std::env::home_dir().map(|home| home.join(default)))
    };
    let cargo_home = home("CARGO_HOME", ".cargo");
    let mut read: Vec<PathBuf> = KIT_BUILD_FILES
        .iter()
        .map(|file| kit.root.join(file))
        .collect();
    read.extend(home("RUSTUP_HOME", ".rustup"));
    // cargo reads the configuration of every folder above the one it builds in.
    read.extend(
        tree.ancestors()
            .chain(kit.root.ancestors())
            .map(|folder| folder.join(".cargo")),
    );
    // Made now: a folder the build makes inside the target directory would be one of
    // its files to write but not to read back.
    for folder in ["debug", "tests"] {
        let folder = target.join(folder);
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
    }
    let mut write: Vec<PathBuf> = ["debug", "tests", ".rustc_info.json"]
        .iter()
        .map(|inside| target.join(inside))
        .collect();
    write.extend(cargo_home);
    if tree.starts_with(&target) {
        write.push(tree.to_path_buf());
    } else {
        read.push(tree.to_path_buf());
    }
    Ok(BuildSandbox {
        runner: runner.to_path_buf(),
        read,
        write,
        write_only: vec![target],
        scratch,
    })
}

/// This runner's executable. Rebuilt while it runs (by `cargo xtask` in another
/// terminal, say), it is the new one at the same path: Linux names the old one
/// "PATH (deleted)".
pub fn own_executable() -> anyhow::Result<PathBuf> {
    let path = std::env::current_exe().context("cannot find the runner's own executable")?;
    let text = path.to_string_lossy();
    Ok(match text.strip_suffix(" (deleted)") {
        Some(original) => PathBuf::from(original),
        None => path,
    })
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
    ExerciseResult {
        exercise: exercise.clone(),
        checks: kinds
            .iter()
            .map(|&kind| CheckResult {
                kind,
                cases: vec![case.clone()],
            })
            .collect(),
    }
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
