//! One case run: a test, or a loom model, each in its own sandboxed process with a
//! scratch folder of its own; in grading a test runs again while it passes, and a
//! failed model again to record its interleaving.

use std::path::Path;
use std::time::Duration;

use super::cargo::Flavor;
use super::{Depth, Runner, interleaving, libtest, loom};
use crate::model::catalog::Exercise;
use crate::model::outcome::{CaseResult, Status};
use crate::os::sandbox::{Sandbox, Scratch};

impl Runner<'_> {
    /// Runs one test (or loom model) in its own sandboxed process.
    pub(super) fn run_case(
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
}

/// One test of an exercise's executable, and the folder its runs' scratch folders go in.
struct Run<'a> {
    exercise: &'a Exercise,
    executable: &'a Path,
    test: &'a str,
    scratch: &'a Path,
}
