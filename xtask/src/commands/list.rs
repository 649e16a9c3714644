//! `cargo xtask list`: every exercise by chapter, marking the passed ones and the
//! current one, from the progress cache alone (nothing is built).

use crate::Exit;
use crate::engine::discover_kit;
use crate::model::progress::Progress;
use crate::report::style;
use crate::report::terminal;

pub fn list() -> anyhow::Result<Exit> {
    // TODO(errors): bridged until engine/cargo.rs is converted.
    let kit = discover_kit().map_err(anyhow::Error::msg)?;
    let progress = Progress::load(&kit);
    let current = progress.current(&kit).map(|exercise| exercise.name.clone());
    for chapter in &kit.catalog.chapters {
        let exercises: Vec<_> = kit
            .catalog
            .exercises
            .iter()
            .filter(|e| e.chapter == chapter.dir)
            .collect();
        let done = exercises
            .iter()
            .filter(|e| progress.is_done(&kit, e))
            .count();
        println!(
            "{} {}",
            style::bold(&chapter.title),
            style::dim(&format!("({done}/{})", exercises.len()))
        );
        for exercise in exercises {
            let (mark, state) = if progress.is_done(&kit, exercise) {
                (style::green("✓"), "done   ")
            } else if current.as_deref() == Some(exercise.name.as_str()) {
                (style::yellow("→"), "current")
            } else {
                (" ".to_string(), "pending")
            };
            println!(
                "  {mark} {state}  {:24} {}",
                exercise.name,
                style::dim(&exercise.file())
            );
        }
    }
    println!();
    println!(
        "{}",
        terminal::progress_line(progress.done_count(&kit), kit.catalog.exercises.len())
    );
    Ok(Exit::Success)
}
