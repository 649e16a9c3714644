//! `cargo xtask hint`: the next hint level of an exercise (the current one by default);
//! the levels shown are kept in the progress cache, so each call says one more.

use crate::Exit;
use crate::engine::discover_kit;
use crate::model::progress::Progress;
use crate::report::style;

pub fn hint(name: Option<&str>) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let mut progress = Progress::load(&kit);
    let exercise = match name {
        Some(name) => kit.catalog.find(name)?,
        None => match progress.current(&kit) {
            Some(exercise) => exercise,
            None => {
                println!(
                    "Every exercise is done: no hint needed. `cargo xtask hint NAME` shows an exercise's hints."
                );
                return Ok(Exit::Success);
            }
        },
    };
    let level = progress.next_hint_level(exercise);
    progress.save();
    println!("{} ({})", style::bold(&exercise.name), exercise.file());
    for (index, hint) in exercise.hints.iter().take(level).enumerate() {
        println!();
        println!(
            "{}",
            style::bold(&format!("Hint {} of {}:", index + 1, exercise.hints.len()))
        );
        println!("{}", hint.trim_end());
    }
    if level < exercise.hints.len() {
        println!();
        println!(
            "{}",
            style::dim("Run `cargo xtask hint` again for the next hint.")
        );
    }
    Ok(Exit::Success)
}
