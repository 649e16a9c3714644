//! `cargo xtask run NAME --interleavings`: for each of the exercise's loom models, the
//! first interleaving loom explores, drawn as the timeline of a failed model is, so that
//! a student can read what their orderings do even when nothing is wrong.

use std::time::Duration;

use anyhow::{Context, bail};

use crate::Exit;
use crate::engine::cargo::Flavor;
use crate::engine::cargo::discover_kit;
use crate::engine::{Runner, interleaving, libtest, loom};
use crate::model::catalog::{CheckKind, Exercise};
use crate::model::kit::{Kit, Source};
use crate::model::outcome::{CheckResult, ExerciseResult, Status};
use crate::os::process;
use crate::report::{style, terminal, timeline};

pub fn interleavings(name: &str) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let exercise = kit.catalog.find(name)?;
    let Some(bounds) = exercise
        .loom
        .filter(|_| exercise.has_check(CheckKind::Loom))
    else {
        bail!(
            "`{name}` has no loom models: `--interleavings` shows those of an exercise with a \
             loom check (`cargo xtask list` shows its checks)"
        );
    };
    let runner = Runner::new(&kit, Source::Exercises)?;
    if let Some(refused) = runner.refusal(exercise, true)? {
        show_refusal(&kit, exercise, refused);
        return Ok(Exit::Failed);
    }
    let tree = kit.tree(&Source::Exercises)?;
    let Some(executable) = super::run::build(&kit, &tree, name, Flavor::Loom)? else {
        return Ok(Exit::Failed);
    };
    if let Some(refused) = runner.refusal_to_run(exercise, true)? {
        show_refusal(&kit, exercise, refused);
        return Ok(Exit::Failed);
    }
    let scratch = kit.state_dir().join("run").join(&tree.package);
    std::fs::create_dir_all(&scratch)
        .with_context(|| format!("cannot create {}", scratch.display()))?;
    let models: Vec<String> = libtest::list(&executable, None)?
        .into_iter()
        .filter(|model| !model.starts_with("exercise::"))
        .collect();
    let mut all_passed = true;
    for model in &models {
        let file = interleaving::trace_file(&scratch, model);
        let mut env = loom::environment(bounds, false);
        env.extend(interleaving::environment(interleaving::Which::First, &file));
        let mut command = std::process::Command::new(&executable);
        command
            .args(["--exact", model, "--test-threads=1"])
            .env("RUST_BACKTRACE", "0");
        for key in loom::SILENT_PASS_SETTINGS {
            command.env_remove(key);
        }
        command.envs(env);
        let finished = process::run(command, Duration::from_secs(exercise.timeout_secs() * 4))?;
        let steps = interleaving::read(&file, "");
        let verdict = if finished.success() {
            style::green("passes")
        } else {
            all_passed = false;
            style::red("fails (`cargo xtask next` shows how)")
        };
        println!("{} {model}: {verdict}", style::bold(&exercise.name));
        if steps.is_empty() {
            println!("  (no step on the kit's shim types was recorded)\n");
        } else {
            timeline::print("The first interleaving loom explored:", &steps);
        }
    }
    Ok(if all_passed {
        Exit::Success
    } else {
        Exit::Failed
    })
}

fn show_refusal(kit: &Kit, exercise: &Exercise, refused: crate::model::outcome::CaseResult) {
    debug_assert_ne!(refused.status, Status::Pass);
    let result = ExerciseResult {
        exercise: exercise.clone(),
        checks: vec![CheckResult {
            kind: CheckKind::Loom,
            cases: vec![refused],
        }],
    };
    terminal::failure(
        &result,
        &kit.root,
        &exercise.file(),
        None,
        "`cargo xtask hint`",
    );
}
