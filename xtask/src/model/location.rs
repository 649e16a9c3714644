//! Where a verdict points: a file of the kit and a line, read once from what the
//! compiler, a panic, loom or trybuild printed, and written as `file:line`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A line of a file, the file relative to the kit's root and written with `/`, as the
/// catalog writes paths. Reports carry it as the text `file:line`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Location {
    pub file: String,
    pub line: usize,
}

impl Location {
    pub fn new(file: &str, line: usize) -> Location {
        Location {
            file: normalize(file),
            line,
        }
    }

    /// Reads `file:line` or `file:line:column`, the way compilers, panics and loom
    /// print a place; `None` when the text is not one.
    pub fn parse(text: &str) -> Option<Location> {
        let text = text.trim();
        let (rest, last) = text.rsplit_once(':')?;
        let last: usize = last.parse().ok()?;
        match rest.rsplit_once(':') {
            Some((file, line)) if !file.is_empty() => match line.parse() {
                Ok(line) => Some(Location::new(file, line)),
                Err(_) => Some(Location::new(rest, last)),
            },
            _ if rest.is_empty() => None,
            _ => Some(Location::new(rest, last)),
        }
    }

    /// Whether this points into `file` (a path as the catalog writes it).
    pub fn is_in(&self, file: &str) -> bool {
        self.file == file
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl From<Location> for String {
    fn from(location: Location) -> String {
        location.to_string()
    }
}

impl TryFrom<String> for Location {
    type Error = anyhow::Error;

    fn try_from(text: String) -> anyhow::Result<Location> {
        Location::parse(&text)
            .ok_or_else(|| anyhow::anyhow!("`{text}` is not a `file:line` location"))
    }
}

/// `tests/x/../../exercises/a.rs` → `exercises/a.rs`: how a path reads best, since
/// checks include the exercise with a relative `#[path]`. Windows' `\` (rustc names
/// `tests\x\main.rs`, and joins `#[path]`'s `../../` to it) becomes `/`, as the catalog
/// writes paths.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            "." => {}
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lose_their_detours() {
        assert_eq!(
            normalize("tests/x/../../exercises/01_a/b.rs"),
            "exercises/01_a/b.rs"
        );
        assert_eq!(normalize("../up/./a.rs"), "../up/a.rs");
    }

    #[test]
    fn windows_paths_read_as_the_catalog_writes_them() {
        assert_eq!(
            normalize(r"tests\spawn_join\../../exercises/01_a/b.rs"),
            "exercises/01_a/b.rs"
        );
        assert_eq!(
            normalize(r"tests\x\compile_fail\..\..\..\exercises\01_a\b.rs"),
            "exercises/01_a/b.rs"
        );
    }

    #[test]
    fn a_place_is_read_with_or_without_its_column() {
        let expected = Location::new("exercises/01_a/b.rs", 26);
        for text in [
            "tests/x/../../exercises/01_a/b.rs:26:5",
            "exercises/01_a/b.rs:26",
            r"tests\x\..\..\exercises\01_a\b.rs:26:13",
        ] {
            assert_eq!(Location::parse(text), Some(expected.clone()), "{text}");
        }
        assert_eq!(expected.to_string(), "exercises/01_a/b.rs:26");
    }

    #[test]
    fn what_is_not_a_place_is_not_read_as_one() {
        for text in ["", "no place", "a.rs", ":3", "a.rs:x", "a.rs:3:x"] {
            assert_eq!(Location::parse(text), None, "{text}");
        }
    }

    #[test]
    fn reports_carry_it_as_text_and_read_it_back() {
        let location = Location::new("exercises/a.rs", 7);
        let json = serde_json::to_string(&location).unwrap();
        assert_eq!(json, "\"exercises/a.rs:7\"");
        assert_eq!(serde_json::from_str::<Location>(&json).unwrap(), location);
        assert!(serde_json::from_str::<Location>("\"nowhere\"").is_err());
    }
}
