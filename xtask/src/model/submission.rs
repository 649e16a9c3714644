//! Submissions: finding them, and telling what a student changed outside their
//! exercise files. Those changes are reported as tampering and never graded: the grade
//! always uses the kit's own checks, catalog and build files. A submission is hostile
//! data: it is read without following a link, file or folder (`listing.rs`), and a
//! link among the submissions is not graded as the folder it names.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::model::catalog::CATALOG_PATH;
use crate::model::handout::same_but_hints;
use crate::model::kit::{Kit, Submission, handed_in, slashed};
use crate::model::listing::{self, Limits, Unread};

/// Folders of a checkout that are not part of what was handed in.
const IGNORED: [&str; 2] = [".git", "target"];

/// How much of a submission is listed for tamper warnings: the kit has a few hundred
/// files, a few levels deep.
const LISTED: Limits = Limits {
    entries: 10_000,
    depth: 32,
};

/// The most of a file outside the exercises that is read to compare it with the kit's
/// (or the kit's own size, if larger).
const COMPARED_CAP: u64 = 1 << 20;

/// Warnings of files outside the exercises, one per file, kept in a report; the rest
/// are counted.
const MOST_FILE_WARNINGS: usize = 50;

/// The submissions named on the command line: each path is a submission (it has an
/// `exercises/` folder) or a folder holding one submission per sub-folder. A link among
/// those sub-folders is found as a submission too, so that it shows in the reports,
/// and [`warnings`] refuses to read it.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Submission>, String> {
    let mut found = Vec::new();
    for path in paths {
        if !path.is_dir() {
            return Err(format!("{} is not a folder", path.display()));
        }
        // The folder the instructor named, links and all; below it, nothing is followed.
        let root = std::fs::canonicalize(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        if has_exercises(&root) {
            let name = path.file_name().or(root.file_name()).map_or_else(
                || root.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            );
            found.push(Submission { name, root });
            continue;
        }
        let inside = submissions_in(&root)?;
        if inside.is_empty() {
            return Err(format!(
                "{} holds no submission: neither it nor any folder in it has an `exercises/` folder",
                path.display()
            ));
        }
        found.extend(inside);
    }
    Ok(found)
}

/// Whether `folder` has an `exercises` entry, of whatever kind (a link there is a
/// submission's tampering, graded as such).
fn has_exercises(folder: &Path) -> bool {
    std::fs::symlink_metadata(folder.join("exercises")).is_ok()
}

/// The submissions in a class folder, sorted by name: its sub-folders that have
/// `exercises`, and its links to such folders (looked at, never read).
fn submissions_in(class: &Path) -> Result<Vec<Submission>, String> {
    let cannot = |err: std::io::Error| format!("cannot list {}: {err}", class.display());
    let mut inside = Vec::new();
    for entry in std::fs::read_dir(class).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let root = entry.path();
        let file_type = entry.file_type().map_err(cannot)?;
        let is_submission = if file_type.is_symlink() {
            root.join("exercises").is_dir()
        } else {
            file_type.is_dir() && has_exercises(&root)
        };
        if is_submission {
            let name = entry.file_name().to_string_lossy().into_owned();
            inside.push(Submission { name, root });
        }
    }
    inside.sort_by(|a, b| a.root.cmp(&b.root));
    Ok(inside)
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

/// What a submission changed outside its exercise files, and what it lacks. An error
/// is a submission that cannot be read at all: it is graded 0, with the error as reason.
pub fn warnings(kit: &Kit, submission: &Submission) -> Result<Vec<String>, String> {
    let root_type = std::fs::symlink_metadata(&submission.root)
        .map_err(|err| format!("cannot read {}: {err}", submission.root.display()))?;
    if root_type.is_symlink() {
        return Err(format!(
            "{} is a symbolic link among the submissions, not a folder of its own: it is not followed",
            submission.name
        ));
    }
    let listing = listing::list(&submission.root, |name| IGNORED.contains(&name), LISTED)?;
    let graded: BTreeSet<String> = kit
        .catalog
        .exercises
        .iter()
        .map(|exercise| exercise.file())
        .collect();
    let (mut warnings, warned) = exercise_warnings(submission, &graded);
    for cut in &listing.cut {
        warnings.push(format!(
            "{cut}; what is left out is not compared with the kit"
        ));
    }
    let relative = |path: &PathBuf| {
        slashed(
            path.strip_prefix(&submission.root)
                .expect("listed under the root"),
        )
    };
    let mut others = Vec::new();
    for (path, kind) in &listing.others {
        let relative = relative(path);
        if !graded.contains(&relative) && !warned.contains(&relative) {
            let left = kind.left();
            others.push(format!("tampered: {relative} is {kind}, {left} (ignored)"));
        }
    }
    for path in &listing.files {
        let relative = relative(path);
        if !graded.contains(&relative) {
            others.extend(file_warning(kit, submission, &relative));
        }
    }
    warnings.extend(at_most(others, MOST_FILE_WARNINGS));
    Ok(warnings)
}

/// A warning for each exercise file that is not graded as handed in, and the links
/// (or other files) on the way to them that were warned of, once each.
fn exercise_warnings(
    submission: &Submission,
    graded: &BTreeSet<String>,
) -> (Vec<String>, BTreeSet<String>) {
    let mut warnings = Vec::new();
    let mut warned = BTreeSet::new();
    for relative in graded {
        let shipped = "graded as the shipped exercise";
        let warning = match handed_in(submission, relative) {
            Ok(_) => continue,
            Err(Unread::Missing) => format!("{relative} is missing: {shipped}"),
            Err(Unread::NotPlain { at, kind }) => {
                let graded_as = if at == *relative {
                    shipped.to_string()
                } else {
                    format!("each exercise in it is {shipped}")
                };
                let left = kind.left();
                let warning = format!("tampered: {at} is {kind}, {left}: {graded_as}");
                if !warned.insert(at) {
                    continue;
                }
                warning
            }
            Err(unread) => format!("{relative} is {unread}: {shipped}"),
        };
        warnings.push(warning);
    }
    (warnings, warned)
}

/// The warning for a file outside the exercise files, if it is not as in the kit.
/// Only a file the kit also has is read, and no more of it than the kit's.
fn file_warning(kit: &Kit, submission: &Submission, relative: &str) -> Option<String> {
    let inside_exercises = relative.starts_with("exercises/") && relative != CATALOG_PATH;
    if inside_exercises && !relative.ends_with(".rs") {
        return None; // a chapter README edited by the student changes nothing graded
    }
    let Ok(ours) = std::fs::read(kit.root.join(relative)) else {
        return Some(if inside_exercises {
            format!("{relative} is not an exercise of the catalog (not graded)")
        } else {
            format!("tampered: {relative} is not part of the kit (ignored)")
        });
    };
    let cap = COMPARED_CAP.max(ours.len() as u64);
    match listing::read_inside(&submission.root, relative, cap) {
        Ok(theirs) if theirs == ours => None,
        // A handout's catalog keeps fewer hints; nothing graded is in them.
        Ok(theirs) if relative == CATALOG_PATH && same_but_hints(&ours, &theirs) => None,
        Ok(_) | Err(Unread::TooLarge(_)) => Some(format!(
            "tampered: {relative} differs from the kit's (ignored: the kit's own is used)"
        )),
        Err(unread) => Some(format!(
            "tampered: {relative} is not as in the kit: {unread} (ignored: the kit's own is used)"
        )),
    }
}

/// The first `most` warnings, and a count of the rest.
fn at_most(mut warnings: Vec<String>, most: usize) -> Vec<String> {
    if warnings.len() > most {
        let more = warnings.len() - most;
        warnings.truncate(most);
        warnings.push(format!(
            "… and {more} more files not as in the kit (ignored)"
        ));
    }
    warnings
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

    #[test]
    fn file_warnings_beyond_the_most_are_counted() {
        let many: Vec<String> = (0..MOST_FILE_WARNINGS + 7).map(|i| i.to_string()).collect();
        let kept = at_most(many, MOST_FILE_WARNINGS);
        assert_eq!(kept.len(), MOST_FILE_WARNINGS + 1);
        assert_eq!(
            kept[MOST_FILE_WARNINGS],
            "… and 7 more files not as in the kit (ignored)"
        );
        assert_eq!(at_most(vec!["one".into()], MOST_FILE_WARNINGS), ["one"]);
    }

    #[cfg(unix)]
    mod unix {
        use std::fs;
        use std::os::unix::fs::symlink;

        use super::*;
        use crate::model::kit::EXERCISE_CAP;

        /// A fresh folder for one test.
        fn scratch(name: &str) -> PathBuf {
            let dir = std::env::temp_dir().join(format!(
                "threadlings-submission-{}-{name}",
                std::process::id()
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            dir
        }

        #[test]
        fn a_link_among_the_submissions_is_found_and_left_a_link() {
            let class = scratch("class");
            fs::create_dir_all(class.join("alice/exercises")).unwrap();
            fs::create_dir_all(class.join("bob")).unwrap();
            symlink("../alice/exercises", class.join("bob/exercises")).unwrap();
            symlink("alice", class.join("mallory")).unwrap();
            fs::create_dir_all(class.join("not-a-submission")).unwrap();
            fs::write(class.join("notes.txt"), "").unwrap();
            let found = discover(std::slice::from_ref(&class)).unwrap();
            let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["alice", "bob", "mallory"]);
            let mallory = fs::symlink_metadata(&found[2].root).unwrap();
            assert!(
                mallory.is_symlink(),
                "the link itself, for `warnings` to refuse"
            );
            let alone = discover(&[class.join("mallory")]).unwrap();
            assert_eq!(
                alone[0].name, "mallory",
                "a folder named by the instructor is followed"
            );
            assert_eq!(
                alone[0].root,
                fs::canonicalize(class.join("alice")).unwrap()
            );
            let _ = fs::remove_dir_all(&class);
        }

        /// A kit at `folder`: its catalog, as the kit's copies have it.
        fn kit_at(folder: &Path) {
            fs::create_dir_all(folder.join("exercises")).unwrap();
            fs::write(folder.join(CATALOG_PATH), "").unwrap();
        }

        #[test]
        fn a_kit_a_zip_put_deeper_is_found_under_the_students_name() {
            let class = scratch("zips");
            kit_at(&class.join("alice"));
            kit_at(&class.join("bob/threadlings-main"));
            kit_at(&class.join("carol/Downloads/threadlings-main"));
            let found = discover(std::slice::from_ref(&class)).unwrap();
            let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["alice", "bob", "carol"]);
            assert_eq!(found[1].root, class.join("bob/threadlings-main"));
            let _ = fs::remove_dir_all(&class);
        }

        #[test]
        fn exercise_files_that_cannot_be_taken_are_warned_of_once_per_link() {
            let root = scratch("exercises");
            let chapter = root.join("exercises/01");
            fs::create_dir_all(&chapter).unwrap();
            fs::write(chapter.join("a.rs"), "pub fn a() {}\n").unwrap();
            fs::write(
                chapter.join("big.rs"),
                vec![b' '; (EXERCISE_CAP + 1) as usize],
            )
            .unwrap();
            let pipe = std::process::Command::new("mkfifo")
                .arg(chapter.join("pipe.rs"))
                .status()
                .unwrap();
            assert!(pipe.success());
            symlink("01", root.join("exercises/02")).unwrap();
            let graded: BTreeSet<String> = ["01/a", "01/big", "01/gone", "01/pipe", "02/b", "02/c"]
                .iter()
                .map(|name| format!("exercises/{name}.rs"))
                .collect();
            let submission = Submission {
                name: "s".into(),
                root,
            };
            let (warnings, warned) = exercise_warnings(&submission, &graded);
            let shipped = "graded as the shipped exercise";
            assert_eq!(
                warnings,
                [
                    format!("exercises/01/big.rs is larger than 1 MiB: {shipped}"),
                    format!("exercises/01/gone.rs is missing: {shipped}"),
                    format!("tampered: exercises/01/pipe.rs is a named pipe, not read: {shipped}"),
                    format!(
                        "tampered: exercises/02 is a symbolic link, not followed: each exercise in it is {shipped}"
                    ),
                ]
            );
            let warned: Vec<&str> = warned.iter().map(String::as_str).collect();
            assert_eq!(warned, ["exercises/01/pipe.rs", "exercises/02"]);
            let _ = fs::remove_dir_all(&submission.root);
        }
    }
}
