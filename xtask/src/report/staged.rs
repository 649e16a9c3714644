//! A report file written whole or not at all. A form renders straight into a
//! temporary file beside its place (a class of a thousand is tens of megabytes, never
//! held in memory), and is renamed over the place only once every form asked for is
//! whole: a form that cannot be made, a full disk or an interrupt leaves the earlier
//! reports as they were, never half of one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};

use crate::model::outcome::Class;

/// A report form: the whole class in, the file's content written out, or why it
/// cannot be.
pub type Renderer = fn(&Class, &mut dyn Write) -> anyhow::Result<()>;

/// A form rendered into its temporary file, not yet in its place. Dropped before
/// [`Staged::publish`], its temporary file is removed.
pub struct Staged {
    path: PathBuf,
    temporary: PathBuf,
}

impl Staged {
    /// `render`s `class` into a temporary file beside `path`, on disk when it returns.
    pub fn render(path: &Path, render: Renderer, class: &Class) -> anyhow::Result<Staged> {
        let cannot = || format!("cannot write {}", path.display());
        let folder = folder_of(path);
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let name = path
            .file_name()
            .ok_or_else(|| anyhow!("cannot write {}: it names no file", path.display()))?;
        let staged = Staged {
            path: path.to_path_buf(),
            temporary: folder.join(format!(
                ".{}.{}.partial",
                name.to_string_lossy(),
                std::process::id()
            )),
        };
        let mut out = BufWriter::new(File::create(&staged.temporary).with_context(cannot)?);
        render(class, &mut out).with_context(cannot)?;
        let file = out
            .into_inner()
            .map_err(|err| err.into_error())
            .with_context(cannot)?;
        file.sync_all().with_context(cannot)?;
        Ok(staged)
    }

    /// Puts the report in its place, saying where.
    pub fn publish(self) -> anyhow::Result<()> {
        std::fs::rename(&self.temporary, &self.path)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        eprintln!("wrote {}", self.path.display());
        Ok(())
    }
}

/// The folder a report file is written in, and its temporary file beside it.
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Where a report file goes: its folder as the system resolves it, and its name. Two
/// paths with one place would stage in one temporary file. A folder that cannot be
/// resolved is kept as written; writing there fails later anyway.
pub fn place(path: &Path) -> PathBuf {
    let folder = folder_of(path);
    let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    match path.file_name() {
        Some(name) => folder.join(name),
        None => path.to_path_buf(),
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Once published, the temporary file is gone and this finds nothing.
        let _ = std::fs::remove_file(&self.temporary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("threadlings-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn braces(_: &Class, out: &mut dyn Write) -> anyhow::Result<()> {
        Ok(out.write_all(b"{}")?)
    }

    #[test]
    fn a_report_that_cannot_be_written_says_why_after_where() {
        let dir = folder("write");
        let not_a_folder = dir.join("a-file");
        std::fs::write(&not_a_folder, "").unwrap();
        let path = not_a_folder.join("report.json");
        let Err(err) = Staged::render(&path, braces, &Class::default()) else {
            panic!("a report under a file was written");
        };
        let cause = err.root_cause().to_string();
        assert!(!cause.is_empty() && err.chain().count() == 2, "{err:?}");
        assert_eq!(
            format!("{err:#}"),
            format!("cannot create {}: {cause}", not_a_folder.display())
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_form_is_in_its_place_only_once_published_and_a_failed_one_leaves_nothing() {
        let dir = folder("staged");
        let path = dir.join("class.json");
        std::fs::write(&path, "earlier").unwrap();
        let staged = Staged::render(&path, braces, &Class::default()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "earlier");
        staged.publish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");

        let refused = |_: &Class, out: &mut dyn Write| -> anyhow::Result<()> {
            out.write_all(b"half of a rep")?;
            Err(anyhow!("this form is for one submission"))
        };
        let err = Staged::render(&path, refused, &Class::default())
            .err()
            .unwrap();
        assert_eq!(
            format!("{err:#}"),
            format!(
                "cannot write {}: this form is for one submission",
                path.display()
            )
        );
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            left,
            ["class.json"],
            "the failed form's temporary file is gone"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");

        drop(Staged::render(&path, braces, &Class::default()).unwrap());
        let left = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(
            left, 1,
            "a form rendered and never published leaves no file"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
