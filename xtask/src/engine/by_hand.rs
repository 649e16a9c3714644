//! An exercise built to be run by hand, outside the pool: `run` (its tests, printing
//! live) and `run --interleavings` (each loom model's first interleaving); and the
//! targets of many exercises built in one flavour without running them (`verify`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};

use super::cargo::{self, Built, Diagnostic, Flavor};
use super::{Runner, interleaving, libtest, loom, only_the_checks};
use crate::model::catalog::Exercise;
use crate::model::outcome::{CaseResult, Step};
use crate::os::process;

/// What became of building one exercise by hand.
pub enum OneBuild {
    /// The policy refused its file, before the build or once built.
    Refused(CaseResult),
    /// It did not compile: the compiler's errors.
    Failed(Vec<Diagnostic>),
    /// Its test executable.
    Executable(PathBuf),
}

/// One loom model run once, recording the first interleaving loom explores.
pub struct FirstInterleaving {
    pub model: String,
    pub passed: bool,
    /// Empty when no step on the kit's shim types was recorded.
    pub steps: Vec<Step>,
}

impl Runner<'_> {
    /// Builds the test targets `names` in `flavor`, in one cargo invocation, without
    /// judging or running them: what each became.
    pub fn build_targets(
        &self,
        names: &[&str],
        flavor: Flavor,
    ) -> anyhow::Result<BTreeMap<String, Built>> {
        cargo::build_tests(
            &self.build_sandbox(&self.tree.root)?,
            &self.tree,
            &self.kit.target_dir(),
            names,
            flavor,
            &|event| self.tell(event),
            |_, _| {},
        )
    }

    /// Builds `exercise`'s test target in `flavor` to be run by hand, with the policy's
    /// verdict before the build and once it is built, as the pool has it.
    pub fn build_one(&self, exercise: &Exercise, flavor: Flavor) -> anyhow::Result<OneBuild> {
        let loom = flavor == Flavor::Loom;
        if let Some(refused) = self.refusal(exercise, loom)? {
            return Ok(OneBuild::Refused(refused));
        }
        let built = self.build_targets(&[exercise.name.as_str()], flavor)?;
        match built.into_values().next() {
            Some(Built::Executable(executable)) => {
                Ok(match self.refusal_to_run(exercise, loom)? {
                    Some(refused) => OneBuild::Refused(refused),
                    None => OneBuild::Executable(executable),
                })
            }
            Some(Built::Failed(diagnostics)) => Ok(OneBuild::Failed(diagnostics)),
            None => bail!("cargo built nothing for `{}`", exercise.name),
        }
    }

    /// Runs each loom model of `executable` (`exercise`'s, built in the loom flavour)
    /// once, recording the first interleaving loom explores, whether or not it fails;
    /// `show` has each as soon as it has run.
    pub fn first_interleavings(
        &self,
        exercise: &Exercise,
        executable: &std::path::Path,
        mut show: impl FnMut(FirstInterleaving),
    ) -> anyhow::Result<()> {
        let bounds = exercise
            .loom
            .with_context(|| format!("`{}` has no loom bounds", exercise.name))?;
        let scratch = self.kit.state_dir().join("run").join(&self.tree.package);
        std::fs::create_dir_all(&scratch)
            .with_context(|| format!("cannot create {}", scratch.display()))?;
        let models = only_the_checks(libtest::list(executable, None)?);
        for model in models {
            let file = interleaving::trace_file(&scratch, &model);
            let mut env = loom::environment(bounds, false);
            env.extend(interleaving::environment(interleaving::Which::First, &file));
            let mut command = std::process::Command::new(executable);
            command
                .args(["--exact", &model, "--test-threads=1"])
                .env("RUST_BACKTRACE", "0");
            for key in loom::SILENT_PASS_SETTINGS {
                command.env_remove(key);
            }
            command.envs(env);
            let timeout = Duration::from_secs(exercise.timeout_secs() * 4);
            let finished = process::run(command, timeout)?;
            show(FirstInterleaving {
                passed: finished.success(),
                steps: interleaving::read(&file, ""),
                model,
            });
        }
        Ok(())
    }
}
