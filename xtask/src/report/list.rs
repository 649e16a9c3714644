//! `list`'s table: every exercise by chapter, the passed ones and the current one
//! marked, and the progress line under it (also watch's `l`).

use crate::model::kit::Kit;
use crate::model::progress::Progress;
use crate::report::{style, terminal};

/// Prints the table of `kit`'s exercises as `progress` has them.
pub fn print(kit: &Kit, progress: &Progress) {
    let current = progress.current(kit).map(|exercise| exercise.name.clone());
    for chapter in &kit.catalog.chapters {
        let exercises: Vec<_> = kit
            .catalog
            .exercises
            .iter()
            .filter(|e| e.chapter == chapter.dir)
            .collect();
        let done = exercises
            .iter()
            .filter(|e| progress.is_done(kit, e))
            .count();
        println!(
            "{} {}",
            style::bold(&chapter.title),
            style::dim(&format!("({done}/{})", exercises.len()))
        );
        for exercise in exercises {
            let (mark, state) = if progress.is_done(kit, exercise) {
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
        terminal::progress_line(progress.done_count(kit), kit.catalog.exercises.len())
    );
}
