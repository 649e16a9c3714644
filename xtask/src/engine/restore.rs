//! An exercise restored as the kit shipped it (`reset`, watch's `x`): the version of the
//! commit that added the file, from git, with the student's version backed up first.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};

use crate::model::catalog::Exercise;
use crate::model::kit::Kit;

/// Restores the shipped exercise, first saving the student's version under
/// `.threadlings/backups/`; returns that backup, or `None` when nothing changed.
pub fn restore_shipped(kit: &Kit, exercise: &Exercise) -> anyhow::Result<Option<PathBuf>> {
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
