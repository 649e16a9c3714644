//! `cargo xtask solution NAME`: the reference solution, once the exercise passes.

use anyhow::Context;

use crate::Exit;
use crate::engine::discover_kit;
use crate::model::handout::{Handout, SolutionCommand};
use crate::model::progress::Progress;
use crate::report::style;

pub fn solution(name: &str, force: bool) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let exercise = kit.catalog.find(name)?;
    let handout = Handout::load(&kit.root)?;
    if handout.is_some_and(|handout| handout.solution == SolutionCommand::Disabled) {
        println!(
            "This copy of the kit is a handout, and your instructor has turned `solution` off \
             in it. `cargo xtask hint {name}` shows the hints."
        );
        return Ok(Exit::Failed);
    }
    if !force && !Progress::load(&kit).is_done(&kit, exercise) {
        println!(
            "`{name}` is not done yet: its solution is shown once it passes (`cargo xtask next`). \
             `cargo xtask hint {name}` helps; `--force` shows the solution anyway."
        );
        return Ok(Exit::Failed);
    }
    let path = kit.root.join(exercise.solution_file());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) if !kit.root.join("solutions").is_dir() => {
            println!("This copy of the kit has no solutions: your instructor hands them out.");
            return Ok(Exit::Failed);
        }
        Err(err) => {
            return Err(err).with_context(|| format!("cannot read {}", path.display()));
        }
    };
    println!("{}", style::bold(&exercise.solution_file()));
    println!();
    print!("{text}");
    Ok(Exit::Success)
}
