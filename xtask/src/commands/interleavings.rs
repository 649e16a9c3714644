//! `cargo xtask run NAME --interleavings`: for each of the exercise's loom models, the
//! first interleaving loom explores, drawn as the timeline of a failed model is, so that
//! a student can read what their orderings do even when nothing is wrong.

use anyhow::bail;

use crate::Exit;
use crate::engine::{Flavor, OneBuild, Runner, discover_kit};
use crate::model::catalog::CheckKind;
use crate::model::kit::Source;
use crate::report::{live, style, timeline};

pub fn interleavings(name: &str) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let exercise = kit.catalog.find(name)?;
    if exercise.loom.is_none() || !exercise.has_check(CheckKind::Loom) {
        bail!(
            "`{name}` has no loom models: `--interleavings` shows those of an exercise with a \
             loom check (`cargo xtask list` shows its checks)"
        );
    }
    let runner = Runner::new(&kit, Source::Exercises)?.with_observer(live::build_bar());
    let executable = match runner.build_one(exercise, Flavor::Loom)? {
        OneBuild::Executable(executable) => executable,
        OneBuild::Refused(refused) => {
            super::show_refusal(&kit, exercise, CheckKind::Loom, refused);
            return Ok(Exit::Failed);
        }
        OneBuild::Failed(diagnostics) => {
            super::show_compiler_errors(&diagnostics);
            return Ok(Exit::Failed);
        }
    };
    let mut all_passed = true;
    runner.first_interleavings(exercise, &executable, |first| {
        let verdict = if first.passed {
            style::green("passes")
        } else {
            all_passed = false;
            style::red("fails (`cargo xtask next` shows how)")
        };
        println!("{} {}: {verdict}", style::bold(&exercise.name), first.model);
        if first.steps.is_empty() {
            println!("  (no step on the kit's shim types was recorded)\n");
        } else {
            timeline::print("The first interleaving loom explored:", &first.steps);
        }
    })?;
    Ok(if all_passed {
        Exit::Success
    } else {
        Exit::Failed
    })
}
