//! `cargo xtask reset NAME`: the shipped exercise back, the student's version kept.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};

use crate::Exit;
use crate::engine::discover_kit;
use crate::model::catalog::Exercise;
use crate::model::kit::Kit;
use crate::report::style;

pub fn reset(name: &str) -> anyhow::Result<Exit> {
    // TODO(errors): bridged until engine/cargo.rs and commands/check.rs are converted.
    let kit = discover_kit().map_err(anyhow::Error::msg)?;
    let exercise = kit.catalog.find(name).map_err(anyhow::Error::msg)?;
    match restore(&kit, exercise)? {
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

/// Restores the shipped exercise, first saving the student's version under
/// `.threadlings/backups/`; returns that backup, or `None` when nothing changed.
pub fn restore(kit: &Kit, exercise: &Exercise) -> anyhow::Result<Option<PathBuf>> {
    let shipped = shipped_version(&kit.root, &exercise.file())?;
    let path = kit.exercise_path(exercise);
    let current = std::fs::read(&path).unwrap_or_default();
    if current == shipped {
        return Ok(None);
    }
    let backups = kit.root.join(".threadlings").join("backups");
    std::fs::create_dir_all(&backups)
        .with_context(|| format!("cannot create {}", backups.display()))?;
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let backup = backups.join(format!("{}-{stamp}.rs", exercise.name));
    // The backup is written, and checked, before the exercise is touched.
    std::fs::write(&backup, &current)
        .with_context(|| format!("cannot save your version to {}", backup.display()))?;
    if std::fs::read(&backup).ok().as_deref() != Some(current.as_slice()) {
        bail!(
            "could not verify the backup {}; nothing was reset",
            backup.display()
        );
    }
    std::fs::write(&path, shipped).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Some(
        backup
            .strip_prefix(&kit.root)
            .unwrap_or(&backup)
            .to_path_buf(),
    ))
}

/// The exercise as the kit shipped it: the version of the commit that added the file,
/// so a student's own commits of their work do not count as shipped.
fn shipped_version(root: &Path, file: &str) -> anyhow::Result<Vec<u8>> {
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(root)
            .args(args)
            .output()
            .context("cannot run git")
    };
    let added = git(&["log", "--diff-filter=A", "--format=%H", "--", file])?;
    let commit = String::from_utf8_lossy(&added.stdout)
        .lines()
        .last()
        .map(str::to_string);
    let Some(commit) = commit.filter(|_| added.status.success()) else {
        bail!(
            "cannot find the shipped version of {file}: the kit's git history is needed (was it downloaded without `.git`?)"
        );
    };
    let shown = git(&["show", &format!("{commit}:{file}")])?;
    if !shown.status.success() {
        bail!("git cannot show {file} as of {commit}");
    }
    Ok(shown.stdout)
}
