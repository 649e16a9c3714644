//! The kit on disk: finding its root, where each file of an exercise lives, and the
//! scratch trees in which the runner checks files that are not the student's own
//! (reference solutions, compile-fail cases, submissions).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::model::catalog::{CATALOG_PATH, Catalog, Exercise};
use crate::model::listing::{self, Limits, Unread};

/// The most of a submission's exercise file that is read: an answer is a few
/// kilobytes, and a larger file is graded as the shipped exercise.
pub const EXERCISE_CAP: u64 = 1 << 20;

/// How deeply brackets may nest in a file the runner reads: far deeper than any
/// exercise, and shallow enough for every reader of Rust here (proc-macro2, syn, the
/// policy), which goes down one level of its stack per level of brackets. Here, beside
/// the cap above, because the model reads exercise files too (their fingerprints).
pub const MAX_NESTING: usize = 256;

/// The line at which `source`'s brackets first nest deeper than `MAX_NESTING`, counted
/// on the raw text (brackets in strings and comments too, which only errs on the safe
/// side); `None` for any ordinary file.
pub fn nested_too_deep(source: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line = 1;
    for character in source.chars() {
        match character {
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(line);
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '\n' => line += 1,
            _ => {}
        }
    }
    None
}

pub struct Kit {
    pub root: PathBuf,
    pub catalog: Catalog,
    /// The exercise package's name, from the kit's `Cargo.toml`.
    pub package: String,
    target_dir: PathBuf,
}

/// The library every exercise imports, whatever its package is called.
pub const LIBRARY: &str = "threadlings";

/// A tree of the kit's files that cargo can build.
#[derive(Debug, Clone)]
pub struct Tree {
    pub root: PathBuf,
    /// The exercise package's name there. Each tree has its own: cargo derives artifact
    /// names from the package name and the path relative to the workspace root, so two
    /// trees with one name would overwrite each other's builds in the shared target dir.
    pub package: String,
}

/// Where the exercise files of a tree come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The student's own `exercises/`.
    Exercises,
    /// The reference `solutions/`.
    Solutions,
    /// A student's copy of the kit, graded against the kit's own checks: only its
    /// exercise files are taken from it.
    Submission(Submission),
}

/// A student's copy of the kit, handed in for grading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// The folder's name, as reports show it.
    pub name: String,
    pub root: PathBuf,
}

impl Source {
    /// Names the source's scratch trees and packages. Submissions are graded one after
    /// another in one tree: its build products are replaced rather than kept for each
    /// student, and an exercise file that is the same as the last student's is not
    /// built again.
    pub fn label(&self) -> String {
        match self {
            Source::Exercises => "exercises".into(),
            Source::Solutions => "solutions".into(),
            Source::Submission(_) => "submission".into(),
        }
    }

    /// The file a person should open for this exercise.
    pub fn display_file(&self, exercise: &Exercise) -> String {
        match self {
            Source::Exercises => exercise.file(),
            Source::Solutions => exercise.solution_file(),
            Source::Submission(submission) => format!("{}/{}", submission.name, exercise.file()),
        }
    }
}

impl Kit {
    /// The root of the kit that holds the current directory.
    pub fn find_root() -> anyhow::Result<PathBuf> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let root = cwd
            .ancestors()
            .find(|dir| dir.join(CATALOG_PATH).is_file() && dir.join("Cargo.toml").is_file())
            .with_context(|| {
                format!(
                    "{} is not inside a threadlings kit (no {CATALOG_PATH} above it); run the command from the kit's folder",
                    cwd.display()
                )
            })?;
        Ok(root.to_path_buf())
    }

    /// Opens the kit at `root`, building into the folder `target_dir` gives (cargo's,
    /// for a command: `engine::cargo::target_dir` asks it). It is asked once the kit's
    /// own files are read, so that a malformed catalog or manifest is the error shown,
    /// even where cargo cannot run.
    pub fn open(
        root: &Path,
        target_dir: impl FnOnce() -> anyhow::Result<PathBuf>,
    ) -> anyhow::Result<Kit> {
        let catalog = Catalog::load(root)?;
        let package = Manifest::read(root)?.package_name()?.to_string();
        Ok(Kit {
            root: root.to_path_buf(),
            catalog,
            package,
            target_dir: target_dir()?,
        })
    }

    /// Shared by every build the runner makes, so dependencies are built once.
    pub fn target_dir(&self) -> PathBuf {
        self.target_dir.clone()
    }

    /// The runner's own files for this kit: progress cache and scratch trees. Kits that
    /// share a target directory have packages of different names, hence the name here.
    pub fn state_dir(&self) -> PathBuf {
        self.target_dir().join("threadlings").join(&self.package)
    }

    pub fn exercise_path(&self, exercise: &Exercise) -> PathBuf {
        self.root.join(exercise.file())
    }

    /// The exercise's file from `source`. A submission's file that cannot be taken
    /// ([`handed_in`]) is replaced by the kit's shipped exercise, which earns nothing.
    pub fn source_file(&self, exercise: &Exercise, source: &Source) -> anyhow::Result<Vec<u8>> {
        match source {
            Source::Exercises => read(&self.root.join(exercise.file())),
            Source::Solutions => read(&self.root.join(exercise.solution_file())),
            Source::Submission(submission) => handed_in(submission, &exercise.file())
                .or_else(|_| read(&self.root.join(exercise.file()))),
        }
    }

    /// A tree to build in: the kit itself for the student's exercises, or a scratch
    /// copy of the kit whose exercise files come from `source`.
    pub fn tree(&self, source: &Source) -> anyhow::Result<Tree> {
        if *source == Source::Exercises {
            return Ok(Tree {
                root: self.root.clone(),
                package: self.package.clone(),
            });
        }
        let files = self
            .catalog
            .exercises
            .iter()
            .map(|exercise| Ok((exercise.file(), self.source_file(exercise, source)?)))
            .collect::<anyhow::Result<_>>()?;
        self.scratch_tree_of(&source.label(), files)
    }

    /// Makes (or brings up to date) `TARGET/threadlings/PACKAGE/scratch/<name>`: a copy of the
    /// kit's own build files, library and checks, with the given exercise files.
    ///
    /// Files are rewritten only when their content changed, so that cargo's
    /// fingerprints stay fresh and an unchanged exercise is not rebuilt.
    pub fn scratch_tree(
        &self,
        name: &str,
        exercise_files: Vec<(String, PathBuf)>,
    ) -> anyhow::Result<Tree> {
        let files = exercise_files
            .into_iter()
            .map(|(relative, from)| Ok((relative, read(&from)?)))
            .collect::<anyhow::Result<_>>()?;
        self.scratch_tree_of(name, files)
    }

    /// [`Kit::scratch_tree`], with the exercise files' contents.
    fn scratch_tree_of(
        &self,
        name: &str,
        exercise_files: Vec<(String, Vec<u8>)>,
    ) -> anyhow::Result<Tree> {
        let dir = self.state_dir().join("scratch").join(name);
        let package = format!("{}-{name}", self.package);
        let mut wanted: Vec<(String, Vec<u8>)> = Vec::new();
        wanted.push((
            "Cargo.toml".into(),
            Manifest::read(&self.root)?
                .standalone(&package)
                .into_bytes(),
        ));
        for relative in ["Cargo.lock", CATALOG_PATH] {
            wanted.push((relative.into(), read(&self.root.join(relative))?));
        }
        for top in ["src", "tests"] {
            for file in files_under(&self.root.join(top))? {
                let relative = slashed(file.strip_prefix(&self.root).expect("under root"));
                wanted.push((relative, read(&file)?));
            }
        }
        wanted.extend(exercise_files);
        sync_tree(&dir, &wanted)?;
        Ok(Tree { root: dir, package })
    }
}

/// The kit's `Cargo.toml`.
pub struct Manifest {
    path: PathBuf,
    table: toml::Table,
}

impl Manifest {
    pub fn read(root: &Path) -> anyhow::Result<Manifest> {
        let path = root.join("Cargo.toml");
        let text = String::from_utf8_lossy(&read(&path)?).into_owned();
        let table = toml::from_str(&text).with_context(|| path.display().to_string())?;
        Ok(Manifest { path, table })
    }

    /// The kit's package name, which names its scratch packages and its state folder.
    pub fn package_name(&self) -> anyhow::Result<&str> {
        self.table
            .get("package")
            .and_then(|package| package.get("name"))
            .and_then(|name| name.as_str())
            .with_context(|| format!("{}: no [package] name", self.path.display()))
    }

    /// The manifest as the root of a workspace of its own (the scratch tree has no
    /// `xtask/`), under the package name `package`, its library still `threadlings`.
    pub fn standalone(&self, package: &str) -> String {
        let mut manifest = self.table.clone();
        if let Some(toml::Value::Table(workspace)) = manifest.get_mut("workspace") {
            workspace.remove("members");
            workspace.remove("default-members");
        }
        if let Some(toml::Value::Table(table)) = manifest.get_mut("package") {
            table.insert("name".into(), package.into());
        }
        let mut lib = toml::Table::new();
        lib.insert("name".into(), LIBRARY.into());
        lib.insert("path".into(), "src/lib.rs".into());
        manifest.insert("lib".into(), lib.into());
        toml::to_string(&manifest).expect("a parsed table serializes")
    }
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// A submission's file `relative` (`/`-separated): a regular file of at most
/// [`EXERCISE_CAP`] bytes, with no link on the way to it from the submission's root.
pub fn handed_in(submission: &Submission, relative: &str) -> Result<Vec<u8>, Unread> {
    listing::read_inside(&submission.root, relative, EXERCISE_CAP)
}

/// Every regular file below `dir`, in a stable order. Links are not followed (nor
/// listed), so that a loop of them cannot make the listing endless.
pub fn files_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    files_of_checkout(dir, |_| false)
}

/// Every regular file under `root`, sorted, without descending into the top-level
/// entries that `left_out` names (version control, build output: `target/` is large).
/// Links are not followed (nor listed).
pub fn files_of_checkout(
    root: &Path,
    left_out: impl Fn(&str) -> bool,
) -> anyhow::Result<Vec<PathBuf>> {
    let listing = listing::list(root, left_out, Limits::NONE)?;
    match listing.cut.first() {
        Some(unlisted) => Err(anyhow::anyhow!("{unlisted}")),
        None => Ok(listing.files),
    }
}

/// Makes `dir` hold exactly `files`, touching only what differs.
fn sync_tree(dir: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    let cannot_write = |path: &Path| format!("cannot write {}", path.display());
    let wanted: BTreeSet<PathBuf> = files
        .iter()
        .map(|(relative, _)| dir.join(relative))
        .collect();
    if dir.exists() {
        for existing in files_under(dir)? {
            if !wanted.contains(&existing) {
                fs::remove_file(&existing).with_context(|| cannot_write(&existing))?;
            }
        }
    }
    for (relative, content) in files {
        let path = dir.join(relative);
        if fs::read(&path).is_ok_and(|current| &current == content) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| cannot_write(parent))?;
        }
        fs::write(&path, content).with_context(|| cannot_write(&path))?;
    }
    Ok(())
}

/// A relative path as the catalog writes one, with `/` between its parts on every
/// system.
pub fn slashed(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// `text` with every `root/` taken out, so that the paths in it read relative to `root`;
/// on Windows, tools write `root` with `\` or with `/`.
pub fn relative_to(text: &str, root: &Path) -> String {
    let native = format!("{}/", root.display());
    let forward = native.replace('\\', "/");
    text.replace(&native, "").replace(&forward, "")
}

/// Cargo's target directory for the kit at `root` when nothing could move it: no
/// `CARGO_TARGET_DIR` or `CARGO_BUILD_TARGET_DIR`, and no cargo config file that names a
/// `target-dir`. `None` when one of those could apply, and only cargo can tell
/// (`engine::cargo::target_dir` then asks it).
pub fn plain_target_dir(root: &Path) -> Option<PathBuf> {
    let set_by_environment = ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"]
        .iter()
        .any(|variable| std::env::var_os(variable).is_some());
    (!set_by_environment && !cargo_config_names_target_dir(root)).then(|| root.join("target"))
}

/// Whether a cargo config file that applies to `root` (in it or a folder above it, or
/// in cargo's home) mentions `target-dir`.
fn cargo_config_names_target_dir(root: &Path) -> bool {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::home_dir().map(|home| home.join(".cargo")));
    let folders = root
        .ancestors()
        .map(|dir| dir.join(".cargo"))
        .chain(cargo_home);
    folders
        .flat_map(|folder| [folder.join("config.toml"), folder.join("config")])
        .filter_map(|file| std::fs::read_to_string(file).ok())
        .any(|text| text.contains("target-dir"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_paths_are_slashed() {
        let relative: std::path::PathBuf = ["tests", "x", "main.rs"].iter().collect();
        assert_eq!(super::slashed(&relative), "tests/x/main.rs");
    }

    /// Two links to the folders above them: followed, they make a listing without end.
    #[cfg(unix)]
    #[test]
    fn listing_a_tree_never_follows_a_link() {
        let root = std::env::temp_dir().join(format!("threadlings-kit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("tests/x")).unwrap();
        std::fs::write(root.join("tests/x/main.rs"), "").unwrap();
        std::os::unix::fs::symlink(".", root.join("again")).unwrap();
        std::os::unix::fs::symlink("..", root.join("tests/up")).unwrap();
        std::os::unix::fs::symlink("x/main.rs", root.join("tests/same.rs")).unwrap();
        let files = super::files_under(&root).unwrap();
        assert_eq!(files, [root.join("tests/x/main.rs")]);
        let left_out = super::files_of_checkout(&root, |name| name == "tests").unwrap();
        assert!(left_out.is_empty(), "{left_out:?}");
        let _ = std::fs::remove_dir_all(&root);
    }
}
