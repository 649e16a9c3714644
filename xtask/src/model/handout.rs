//! The students' copy of the kit (`cargo xtask handout`): what it leaves out, and the
//! instructor's choices it records in `exercises/handout.toml`. A submission made from
//! a handout is graded against the instructor's full copy as any other: the marker
//! and the catalog's trimmed hints are not tampering.

use std::path::Path;

use anyhow::{Context, anyhow};
use serde::{Deserialize, Serialize};

/// Where a handout records the instructor's choices, relative to its root. Inside
/// `exercises/` and not Rust, so a submission that carries it is not tampered with.
pub const HANDOUT_PATH: &str = "exercises/handout.toml";

/// What a handout leaves out, relative to the kit's root: the solutions, and the
/// instructor's own tooling, which checks the solutions (the runner's tests, CI, the
/// grading guides).
pub const LEFT_OUT: [&str; 7] = [
    ".git",
    "target",
    ".threadlings",
    "solutions",
    "xtask/tests",
    ".ci",
    "docs",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum SolutionCommand {
    /// `solution` refuses in this copy, whatever its flags.
    Disabled,
    /// `solution` shows a solution once its exercise passes, if the instructor later
    /// hands out `solutions/`.
    AfterPass,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handout {
    pub solution: SolutionCommand,
    /// How many of each exercise's hints the copy's catalog keeps; all when absent.
    pub hint_levels: Option<usize>,
}

impl Handout {
    /// The kit's handout settings, or `None` for the instructor's full copy.
    pub fn load(root: &Path) -> anyhow::Result<Option<Handout>> {
        let path = root.join(HANDOUT_PATH);
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text)
                .map(Some)
                .map_err(|err| anyhow!("{HANDOUT_PATH}: {}", err.to_string().trim_end())),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
        }
    }
}

/// A command that needs the reference solutions, in a copy without them.
pub fn require_solutions(root: &Path, command: &str) -> anyhow::Result<()> {
    if root.join("solutions").is_dir() {
        return Ok(());
    }
    Err(anyhow!(
        "`{command}` needs the reference solutions, and this copy has no `solutions/` \
         (it is a students' handout): run it in the instructor's full copy"
    ))
}

/// The catalog with each exercise's hints cut to `levels`.
pub fn trim_hints(catalog: &[u8], levels: usize) -> anyhow::Result<Vec<u8>> {
    let mut table: toml::Table = toml::from_str(std::str::from_utf8(catalog)?)?;
    for exercise in exercises(&mut table) {
        if let Some(toml::Value::Array(hints)) = exercise.get_mut("hints") {
            hints.truncate(levels);
        }
    }
    Ok(toml::to_string(&table)?.into_bytes())
}

/// Whether two catalogs differ at most in their hints, as a handout's does.
pub fn same_but_hints(ours: &[u8], theirs: &[u8]) -> bool {
    let parse = |bytes: &[u8]| {
        let mut table: toml::Table = toml::from_str(std::str::from_utf8(bytes).ok()?).ok()?;
        for exercise in exercises(&mut table) {
            exercise.remove("hints");
        }
        Some(table)
    };
    matches!((parse(ours), parse(theirs)), (Some(a), Some(b)) if a == b)
}

fn exercises(table: &mut toml::Table) -> impl Iterator<Item = &mut toml::Table> {
    table
        .get_mut("exercises")
        .and_then(toml::Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_table_mut)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str =
        "[[exercises]]\nname = \"a\"\npoints = 10\nhints = [\"one\", \"two\", \"three\"]\n";

    #[test]
    fn an_unreadable_handout_file_is_named_with_the_systems_reason() {
        let root = std::env::temp_dir().join(format!("threadlings-handout-{}", std::process::id()));
        // A folder where the file should be: it exists, but cannot be read.
        let path = root.join(HANDOUT_PATH);
        std::fs::create_dir_all(&path).unwrap();
        let err = Handout::load(&root).unwrap_err();
        let _ = std::fs::remove_dir_all(&root);
        // The alternate form, as `main` prints it: the step, then the system's reason.
        let shown = format!("{err:#}");
        let what = format!("cannot read {}: ", path.display());
        assert!(
            shown.starts_with(&what) && shown.len() > what.len(),
            "{shown}"
        );
    }

    #[test]
    fn hints_are_trimmed_and_nothing_else_may_differ() {
        let trimmed = String::from_utf8(trim_hints(CATALOG.as_bytes(), 1).unwrap()).unwrap();
        assert!(
            trimmed.contains("\"one\"") && !trimmed.contains("two"),
            "{trimmed}"
        );
        assert!(same_but_hints(CATALOG.as_bytes(), trimmed.as_bytes()));
        let more_points = trimmed.replace("points = 10", "points = 1000");
        assert!(!same_but_hints(CATALOG.as_bytes(), more_points.as_bytes()));
    }
}
