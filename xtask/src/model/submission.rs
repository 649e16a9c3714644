//! Submissions: finding them, and telling what a student changed outside their
//! exercise files. Those changes are reported as tampering and never graded: the grade
//! always uses the kit's own checks, catalog and build files. A submission is hostile
//! data: it is read without following a link, file or folder (`listing.rs`), and a
//! link among the submissions is not graded as the folder it names.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::model::catalog::CATALOG_PATH;
use crate::model::handout::same_but_hints;
use crate::model::kit::{Kit, Submission, handed_in, slashed};
use crate::model::listing::{self, Kind, Limits, Unread};
use crate::model::outcome::NotGraded;

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

/// How far below a student's folder a copy of the kit is looked for: a zip puts it
/// one or two folders down (`NAME/threadlings-main/`), an archive in an archive more.
const KIT_DEPTH: usize = 4;

/// How many folders of one student's are looked into for the kit, at most.
const KIT_SEARCH_FOLDERS: usize = 256;

/// Folders never looked into for a kit: version control, build output, and macOS's
/// record of a zip's file attributes (`__MACOSX`, which mirrors the real folders).
const NOT_SEARCHED: [&str; 3] = [".git", "target", "__MACOSX"];

/// What the folders named on the command line hold: the submissions, sorted by name,
/// and every entry of a class folder that is not one, with the reason.
#[derive(Debug, Default)]
pub struct Found {
    pub submissions: Vec<Submission>,
    pub not_graded: Vec<NotGraded>,
}

/// The submissions named on the command line: each path is a submission (it has an
/// `exercises/` folder) or a class, a folder holding one student
/// per entry. A student's copy of the kit is the first folder, breadth-first and a
/// few levels down, that holds the kit's catalog, named after the student's folder.
/// A link among the students is found as a submission when it leads to a kit, so that
/// it shows in the reports, and [`warnings`] refuses to read it; below a student's
/// folder, no link is followed.
pub fn discover(paths: &[PathBuf]) -> anyhow::Result<Found> {
    let mut found = Found::default();
    for path in paths {
        if !path.is_dir() {
            bail!("{} is not a folder", path.display());
        }
        // The folder the instructor named, links and all; below it, nothing is followed.
        let root = std::fs::canonicalize(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        // Named by the instructor, a folder with `exercises/` is a submission even
        // without the catalog (which the grade never takes from a submission).
        if is_kit(&root) || root.join("exercises").is_dir() {
            let name = path.file_name().or(root.file_name()).map_or_else(
                || root.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            );
            found.submissions.push(Submission { name, root });
            continue;
        }
        let class = class_in(&root)?;
        if class.submissions.is_empty() {
            let reasons: Vec<String> = class
                .not_graded
                .iter()
                .map(|entry| format!("\n  {}: {}", entry.folder, entry.reason))
                .collect();
            bail!(
                "{} holds no submission: neither it nor any folder in it holds a copy of the \
                 kit (`{CATALOG_PATH}`){}",
                path.display(),
                reasons.concat()
            );
        }
        found.submissions.extend(class.submissions);
        found.not_graded.extend(class.not_graded);
    }
    Ok(found)
}

/// Whether `folder` is a copy of the kit: its `exercises` holds the catalog, or is a
/// link (a submission's tampering, graded as such). Nothing is followed.
fn is_kit(folder: &Path) -> bool {
    match std::fs::symlink_metadata(folder.join("exercises")) {
        Ok(meta) if meta.is_symlink() => true,
        Ok(meta) if meta.is_dir() => std::fs::symlink_metadata(folder.join(CATALOG_PATH)).is_ok(),
        _ => false,
    }
}

/// The students of a class folder, each entry a student: their copy of the kit however
/// deep it is, and every entry that holds none, with why.
fn class_in(class: &Path) -> anyhow::Result<Found> {
    let cannot = || format!("cannot list {}", class.display());
    let mut found = Found::default();
    for entry in std::fs::read_dir(class).with_context(cannot)? {
        let entry = entry.with_context(cannot)?;
        let folder = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let kind = Kind::of(entry.file_type().with_context(cannot)?);
        let kit = match kind {
            // A link is looked at, never read: `warnings` grades it 0 as such.
            Kind::Link if path.join("exercises").is_dir() => Ok(path),
            Kind::Link => Err(format!("{kind}, not followed: not a submission")),
            Kind::Folder if folder == "__MACOSX" => {
                Err("macOS's record of a zip's file attributes, not a submission".to_string())
            }
            Kind::Folder => kit_under(&path),
            other => Err(format!("{other}, not a folder: not a submission")),
        };
        match kit {
            Ok(root) => found.submissions.push(Submission { name: folder, root }),
            Err(reason) => found.not_graded.push(NotGraded { folder, reason }),
        }
    }
    found.submissions.sort_by(|a, b| a.name.cmp(&b.name));
    found.not_graded.sort_by(|a, b| a.folder.cmp(&b.folder));
    Ok(found)
}

/// The first folder at or below `student`, breadth-first, that is a copy of the kit;
/// links are not followed, and the search stops `KIT_DEPTH` folders down.
fn kit_under(student: &Path) -> Result<PathBuf, String> {
    let mut level = vec![student.to_path_buf()];
    let mut looked = 0;
    for _ in 0..=KIT_DEPTH {
        let mut next = Vec::new();
        for folder in level {
            if is_kit(&folder) {
                return Ok(folder);
            }
            looked += 1;
            if looked >= KIT_SEARCH_FOLDERS {
                return Err(format!(
                    "no copy of the kit in the first {KIT_SEARCH_FOLDERS} folders looked into \
                     (no `{CATALOG_PATH}`): not a submission"
                ));
            }
            next.extend(subfolders(&folder));
        }
        level = next;
    }
    Err(format!(
        "no copy of the kit in it (no `{CATALOG_PATH}` within {KIT_DEPTH} folders down): \
         not a submission"
    ))
}

/// The folders in `folder`, sorted, links and unsearched folders left out; none when
/// it cannot be listed.
fn subfolders(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .take(KIT_SEARCH_FOLDERS)
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .filter(|entry| !NOT_SEARCHED.contains(&&*entry.file_name().to_string_lossy()))
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found
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
pub fn warnings(kit: &Kit, submission: &Submission) -> anyhow::Result<Vec<String>> {
    let root_type = std::fs::symlink_metadata(&submission.root)
        .with_context(|| format!("cannot read {}", submission.root.display()))?;
    if root_type.is_symlink() {
        bail!(
            "{} is a symbolic link among the submissions, not a folder of its own: it is not followed",
            submission.name
        );
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
            kit_at(&class.join("alice"));
            fs::create_dir_all(class.join("bob")).unwrap();
            symlink("../alice/exercises", class.join("bob/exercises")).unwrap();
            symlink("alice", class.join("mallory")).unwrap();
            symlink("/", class.join("root")).unwrap();
            fs::create_dir_all(class.join("not-a-submission")).unwrap();
            fs::write(class.join("notes.txt"), "").unwrap();
            let found = discover(std::slice::from_ref(&class)).unwrap();
            let names: Vec<&str> = found.submissions.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["alice", "bob", "mallory"]);
            let mallory = fs::symlink_metadata(&found.submissions[2].root).unwrap();
            assert!(
                mallory.is_symlink(),
                "the link itself, for `warnings` to refuse"
            );
            let not_graded: Vec<&str> =
                found.not_graded.iter().map(|n| n.folder.as_str()).collect();
            assert_eq!(not_graded, ["not-a-submission", "notes.txt", "root"]);
            assert!(
                found.not_graded[2]
                    .reason
                    .contains("symbolic link, not followed")
            );
            let alone = discover(&[class.join("mallory")]).unwrap().submissions;
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
            // Breadth-first: the shallower copy, though its folder sorts last.
            kit_at(&class.join("dan/b/c/threadlings-main"));
            kit_at(&class.join("dan/z"));
            kit_at(&class.join("erin/1/2/3/4/5/threadlings-main"));
            kit_at(&class.join("__MACOSX/alice"));
            fs::create_dir_all(class.join("frank/exercises")).unwrap();
            fs::create_dir_all(class.join("gus/threadlings-main")).unwrap();
            symlink("../alice", class.join("gus/threadlings-main/linked")).unwrap();
            fs::write(class.join(".DS_Store"), "").unwrap();
            let found = discover(std::slice::from_ref(&class)).unwrap();
            let names: Vec<&str> = found.submissions.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["alice", "bob", "carol", "dan"]);
            assert_eq!(
                found.submissions[1].root,
                class.join("bob/threadlings-main")
            );
            assert_eq!(found.submissions[3].root, class.join("dan/z"));
            let not_graded: Vec<(&str, &str)> = found
                .not_graded
                .iter()
                .map(|n| (n.folder.as_str(), n.reason.as_str()))
                .collect();
            let no_kit = "no copy of the kit in it (no `exercises/info.toml` within 4 folders \
                          down): not a submission";
            assert_eq!(
                not_graded,
                [
                    (
                        ".DS_Store",
                        "a regular file, not a folder: not a submission"
                    ),
                    (
                        "__MACOSX",
                        "macOS's record of a zip's file attributes, not a submission"
                    ),
                    ("erin", no_kit),
                    ("frank", no_kit),
                    ("gus", no_kit),
                ]
            );
            let named = discover(&[class.join("frank")]).unwrap().submissions;
            assert_eq!(named[0].name, "frank", "named, `exercises/` is enough");
            let _ = fs::remove_dir_all(&class);
        }

        #[test]
        fn a_class_with_no_kit_at_all_says_what_each_folder_is() {
            let class = scratch("no-kit");
            fs::create_dir_all(class.join("notes")).unwrap();
            let err = format!("{:#}", discover(std::slice::from_ref(&class)).unwrap_err());
            assert!(err.contains("holds no submission"), "{err}");
            assert!(err.contains("notes: no copy of the kit"), "{err}");
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
