//! `cargo xtask reset NAME`: the shipped exercise back, the student's version kept.

use crate::Exit;
use crate::engine::{discover_kit, restore_shipped};
use crate::report::style;

pub fn reset(name: &str) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let exercise = kit.catalog.find(name)?;
    match restore_shipped(&kit, exercise)? {
        Some(backup) => {
            println!(
                "{} {} is back as shipped.",
                style::green("✓"),
                exercise.file()
            );
            println!("Your version is saved as {}.", backup.display());
        }
        None => println!(
            "{} is already as shipped: nothing to reset.",
            exercise.file()
        ),
    }
    Ok(Exit::Success)
}
