//! `cargo xtask next`: checks the exercises in course order and stops at the first that
//! is not done, with its verdict, and opens it in the editor asked for.

use crate::Exit;
use crate::engine::discover_kit;
use crate::engine::{Depth, Runner};
use crate::model::kit::Source;
use crate::model::progress::Progress;
use crate::os::editor::EditorChoice;
use crate::report::style;
use crate::report::{live, terminal};

pub fn next(choice: &EditorChoice) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let editor = choice.editor()?;
    let mut progress = Progress::load(&kit);
    let runner = Runner::new(&kit, Source::Exercises)?.with_observer(live::build_bar());
    let total = kit.catalog.exercises.len();
    for exercise in &kit.catalog.exercises {
        if progress.is_done(&kit, exercise) {
            continue;
        }
        eprintln!(
            "{}",
            style::dim(&format!(
                "Checking {} ({})…",
                exercise.name,
                exercise.file()
            ))
        );
        let result = runner
            .check(&[exercise], Depth::UntilFirstFailure)?
            .remove(0);
        let passed = result.passed();
        progress.record(&kit, exercise, passed);
        progress.save();
        if !passed {
            println!();
            terminal::failure(
                &result,
                &kit.root,
                &exercise.file(),
                terminal::first_todo_line(&kit.exercise_path(exercise)),
                "`cargo xtask hint`",
            );
            println!(
                "{}",
                terminal::progress_line(progress.done_count(&kit), total)
            );
            if let Some(editor) = editor {
                // A terminal editor takes the terminal: the verdict is above it.
                editor.open_and_wait(&kit.exercise_path(exercise))?;
            }
            return Ok(Exit::Failed);
        }
        println!("{} {} passes", style::green("✓"), exercise.name);
    }
    println!();
    println!("{}", style::green("Every exercise passes. Well done!"));
    println!(
        "{}",
        terminal::progress_line(progress.done_count(&kit), total)
    );
    Ok(Exit::Success)
}
