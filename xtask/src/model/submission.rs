//! Submissions: finding them, and telling what a student changed outside their
//! exercise files. Those changes are reported as tampering and never graded: the grade
//! always uses the kit's own checks, catalog and build files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::model::catalog::CATALOG_PATH;
use crate::model::handout::same_but_hints;
use crate::model::kit::{Kit, Submission, files_of_checkout, slashed};

/// Folders of a checkout that are not part of what was handed in.
const IGNORED: [&str; 2] = [".git", "target"];

/// The submissions named on the command line: each path is a submission (it has an
/// `exercises/` folder) or a folder holding one submission per sub-folder.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Submission>, String> {
    let mut roots = Vec::new();
    for path in paths {
        if !path.is_dir() {
            return Err(format!("{} is not a folder", path.display()));
        }
        if path.join("exercises").is_dir() {
            roots.push(path.clone());
            continue;
        }
        let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|err| format!("cannot list {}: {err}", path.display()))?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|dir| dir.join("exercises").is_dir())
            .collect();
        if inside.is_empty() {
            return Err(format!(
                "{} holds no submission: neither it nor any folder in it has an `exercises/` folder",
                path.display()
            ));
        }
        inside.sort();
        roots.extend(inside);
    }
    Ok(roots
        .into_iter()
        .map(|root| {
            let name = root.file_name().map_or_else(
                || root.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            Submission { name, root }
        })
        .collect())
}

/// Part `part` of `total` of a class, for `--shard 2/4`: 1 ≤ part ≤ total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    part: usize,
    total: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let parsed = text
            .split_once('/')
            .and_then(|(part, total)| Some((part.parse().ok()?, total.parse().ok()?)));
        match parsed {
            Some((part, total)) if part >= 1 && part <= total => Ok(Shard { part, total }),
            _ => Err("expected I/N with 1 ≤ I ≤ N, such as 1/4".to_string()),
        }
    }
}

impl Shard {
    /// This shard's submissions: every `total`-th, from the `part`-th, in the order
    /// found, so that the shards of a class are disjoint and cover it.
    pub fn of(self, submissions: Vec<Submission>) -> Vec<Submission> {
        submissions
            .into_iter()
            .enumerate()
            .filter(|(index, _)| index % self.total == self.part - 1)
            .map(|(_, submission)| submission)
            .collect()
    }
}

/// What a submission changed outside its exercise files, and what it lacks.
pub fn warnings(kit: &Kit, submission: &Submission) -> Result<Vec<String>, String> {
    let graded: BTreeSet<String> = kit
        .catalog
        .exercises
        .iter()
        .map(|exercise| exercise.file())
        .collect();
    let mut warnings = Vec::new();
    for relative in &graded {
        let path = submission.root.join(relative);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => warnings.push(format!(
                "{relative} is not a plain file (a link?): graded as the shipped exercise"
            )),
            Err(_) => warnings.push(format!(
                "{relative} is missing: graded as the shipped exercise"
            )),
        }
    }
    for relative in checkout_files(&submission.root)? {
        if graded.contains(&relative) {
            continue;
        }
        let inside_exercises = relative.starts_with("exercises/") && relative != CATALOG_PATH;
        if inside_exercises && !relative.ends_with(".rs") {
            continue; // a chapter README edited by the student changes nothing graded
        }
        let ours = std::fs::read(kit.root.join(&relative)).ok();
        let theirs = std::fs::read(submission.root.join(&relative)).ok();
        let warning = match ours {
            Some(ours) if Some(&ours) == theirs.as_ref() => continue,
            // A handout's catalog keeps fewer hints; nothing graded is in them.
            Some(ours)
                if relative == CATALOG_PATH
                    && theirs
                        .as_ref()
                        .is_some_and(|theirs| same_but_hints(&ours, theirs)) =>
            {
                continue;
            }
            Some(_) => format!(
                "tampered: {relative} differs from the kit's (ignored: the kit's own is used)"
            ),
            None if inside_exercises => {
                format!("{relative} is not an exercise of the catalog (not graded)")
            }
            None => format!("tampered: {relative} is not part of the kit (ignored)"),
        };
        warnings.push(warning);
    }
    Ok(warnings)
}

/// Every file of a checkout, relative to it, without version control or build output.
fn checkout_files(root: &Path) -> Result<Vec<String>, String> {
    let files = files_of_checkout(root, |name| IGNORED.contains(&name))?;
    Ok(files
        .into_iter()
        .filter_map(|file| file.strip_prefix(root).ok().map(slashed))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_a_class_without_overlap() {
        let class: Vec<Submission> = (0..5)
            .map(|i| Submission {
                name: format!("s{i}"),
                root: PathBuf::new(),
            })
            .collect();
        let shard = |text: &str| text.parse::<Shard>();
        let first = shard("1/2").unwrap().of(class.clone());
        let second = shard("2/2").unwrap().of(class);
        assert_eq!(first.len() + second.len(), 5);
        assert!(first.iter().all(|s| !second.contains(s)));
        assert!(shard("0/2").is_err() && shard("3/2").is_err() && shard("x").is_err());
        assert_eq!(shard("2/3"), Ok(Shard { part: 2, total: 3 }));
    }
}
