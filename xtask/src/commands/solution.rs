//! `cargo xtask solution NAME`: the reference solution, once the exercise passes.

use crate::Exit;
use crate::model::kit::Kit;
use crate::model::progress::Progress;
use crate::report::style;

pub fn solution(name: &str, force: bool) -> Result<Exit, String> {
    let kit = Kit::discover()?;
    let exercise = kit.catalog.find(name)?;
    if !force && !Progress::load(&kit).is_done(&kit, exercise) {
        println!(
            "`{name}` is not done yet: its solution is shown once it passes (`cargo xtask next`). \
             `cargo xtask hint {name}` helps; `--force` shows the solution anyway."
        );
        return Ok(Exit::Failed);
    }
    let path = kit.root.join(exercise.solution_file());
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    println!("{}", style::bold(&exercise.solution_file()));
    println!();
    print!("{text}");
    Ok(Exit::Success)
}
