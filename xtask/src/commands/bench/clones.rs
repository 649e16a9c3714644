//! The clones measured in, and what is done to them: a fresh clone of the kit's
//! committed state, the solutions copied over the exercises, a save (an edit at a
//! file's end), and a class of submissions made from the solved clone.

use anyhow::Context;

use std::path::{Path, PathBuf};

use crate::model::kit::{Kit, files_under};

use super::measure::run_quietly;

/// A clean clone of the kit's committed state, with its own (empty) target directory.
pub(super) fn fresh_clone(root: &Path, to: &Path) -> anyhow::Result<PathBuf> {
    let _ = std::fs::remove_dir_all(to);
    run_quietly(
        root,
        "git",
        &[
            "clone",
            "--quiet",
            &root.display().to_string(),
            &to.display().to_string(),
        ],
    )?;
    Ok(to.to_path_buf())
}

pub(super) fn copy_solutions_over_exercises(kit: &Kit, tree: &Path) -> anyhow::Result<()> {
    for exercise in &kit.catalog.exercises {
        std::fs::copy(
            tree.join(exercise.solution_file()),
            tree.join(exercise.file()),
        )
        .with_context(|| format!("cannot copy the solution of {}", exercise.name))?;
    }
    Ok(())
}

/// Changes a file's content (a new comment at its end), as a save in an editor does.
pub(super) fn edit(file: &Path) -> anyhow::Result<()> {
    static EDITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let mut text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    if let Some(start) = text.find("\n// bench edit ") {
        text.truncate(start + 1);
    }
    let count = EDITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    text.push_str(&format!("\n// bench edit {count}\n"));
    std::fs::write(file, text).with_context(|| format!("cannot write {}", file.display()))
}

/// Edits every solution (for the runner's scratch tree) or every exercise file.
pub(super) fn edit_all(kit: &Kit, tree: &Path, solutions: bool) -> anyhow::Result<()> {
    for exercise in &kit.catalog.exercises {
        let file = if solutions {
            exercise.solution_file()
        } else {
            exercise.file()
        };
        edit(&tree.join(file))?;
    }
    Ok(())
}

/// A class: copies of the solved kit, each with a different exercise put back as shipped,
/// and every exercise file marked as the student's own, so that no file is the same
/// as another student's and every exercise is built again for each submission.
pub(super) fn make_class(
    kit: &Kit,
    solved: &Path,
    to: &Path,
    size: usize,
) -> anyhow::Result<PathBuf> {
    let _ = std::fs::remove_dir_all(to);
    let files: Vec<PathBuf> = ["exercises", "tests", "src"]
        .iter()
        .flat_map(|dir| files_under(&solved.join(dir)).unwrap_or_default())
        .collect();
    for student in 0..size {
        let home = to.join(format!("student-{student:02}"));
        for file in &files {
            let relative = file.strip_prefix(solved)?;
            let destination = home.join(relative);
            std::fs::create_dir_all(destination.parent().expect("a file has a folder"))?;
            std::fs::copy(file, &destination)?;
        }
        let broken = &kit.catalog.exercises[student % kit.catalog.exercises.len()];
        std::fs::copy(kit.root.join(broken.file()), home.join(broken.file()))?;
        for exercise in &kit.catalog.exercises {
            let file = home.join(exercise.file());
            let mut text = std::fs::read_to_string(&file)?;
            text.push_str(&format!("// handed in by student {student:02}\n"));
            std::fs::write(&file, text)?;
        }
    }
    Ok(to.to_path_buf())
}

/// The bytes of every file below `dir`.
pub(super) fn bytes_under(dir: &Path) -> u64 {
    files_under(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|file| std::fs::symlink_metadata(file).ok())
        .map(|meta| meta.len())
        .sum()
}
