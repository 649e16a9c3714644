//! The record of the exercises as shipped, `exercises/as-shipped.toml`: a fingerprint
//! of each shipped file, and the cases that already pass on it. `verify --bless` writes
//! it and `verify` checks it; grading reads it, so that a student earns points only for
//! what they changed:
//!
//! - a case that passes on the shipped exercise earns nothing;
//! - a file with the shipped fingerprint is not attempted, and is not run at all.
//!
//! The fingerprint is of the file's tokens, so whitespace, comments and line endings
//! (a Windows checkout's `\r\n`) do not change it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::model::catalog::CheckKind;
use crate::model::kit::nested_too_deep;
use crate::model::outcome::ExerciseResult;

/// Where the record lives, relative to the kit's root.
pub const RECORD_PATH: &str = "exercises/as-shipped.toml";

const HEADER: &str = "\
# Written by `cargo xtask verify --bless`, checked by `cargo xtask verify`. For each
# exercise as shipped: a fingerprint of its file (of its tokens: whitespace and comments
# do not count) and the cases that already pass on it. Those cases earn no points, and a
# submitted file with the shipped fingerprint is graded as not attempted.
";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    #[serde(default)]
    pub exercises: BTreeMap<String, Shipped>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shipped {
    pub fingerprint: String,
    /// Cases as `KIND/NAME`: `tests/returns_the_sum`, `loom/two_threads`.
    #[serde(default)]
    pub passing: BTreeSet<String>,
}

impl Record {
    /// The kit's record; an empty one when the kit has none (the runner's test kits).
    pub fn load(root: &Path) -> anyhow::Result<Record> {
        let path = root.join(RECORD_PATH);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Record::default());
            }
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read {}", path.display()));
            }
        };
        toml::from_str(&text)
            .map_err(|err| anyhow::anyhow!("{RECORD_PATH}: {}", err.to_string().trim_end()))
    }

    pub fn save(&self, root: &Path) -> anyhow::Result<()> {
        let path = root.join(RECORD_PATH);
        let text = toml::to_string(self).expect("a record serializes");
        std::fs::write(&path, format!("{HEADER}\n{text}"))
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// Whether `source` is the exercise `name` exactly as shipped.
    pub fn is_shipped(&self, name: &str, source: &str) -> bool {
        self.exercises
            .get(name)
            .is_some_and(|shipped| shipped.fingerprint == fingerprint(source))
    }

    /// Whether the case passes on the exercise as shipped.
    pub fn passes_as_shipped(&self, name: &str, kind: CheckKind, case: &str) -> bool {
        self.exercises
            .get(name)
            .is_some_and(|shipped| shipped.passing.contains(&case_id(kind, case)))
    }
}

impl Record {
    /// Marks the cases that pass on the exercise as shipped, which earn nothing.
    pub fn mark(&self, results: &mut [ExerciseResult]) {
        for result in results {
            let name = &result.exercise.name;
            for check in &mut result.checks {
                for case in &mut check.cases {
                    case.passes_as_shipped = self.passes_as_shipped(name, check.kind, &case.name);
                }
            }
        }
    }
}

/// How a case is named in the record.
pub fn case_id(kind: CheckKind, case: &str) -> String {
    format!("{kind}/{case}")
}

/// A fingerprint of a Rust file's tokens (FNV-1a, 64 bits, in hex): stable across
/// runs, machines and toolchains, unlike std's hasher.
pub fn fingerprint(source: &str) -> String {
    let tokens = match nested_too_deep(source) {
        None => source.parse::<proc_macro2::TokenStream>().ok(),
        Some(_) => None,
    };
    let normalized = match tokens {
        Some(tokens) => tokens.to_string(),
        // Not Rust (or nested past what the readers take): the text itself, whatever
        // its line endings.
        None => source.replace("\r\n", "\n"),
    };
    fnv1a_hex(&normalized)
}

/// FNV-1a, 64 bits, in hex: a hash that stays the same across runs, machines and
/// toolchains, for fingerprints written into records and reports.
pub fn fnv1a_hex(text: &str) -> String {
    fnv1a_hex_bytes(text.as_bytes())
}

/// [`fnv1a_hex`] of bytes that need not be text.
pub fn fnv1a_hex_bytes(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_comments_and_line_endings_keep_the_fingerprint() {
        let shipped = "//! An exercise.\nfn f() -> u32 {\n    todo!()\n}\n";
        let same = "//! An exercise.\r\n// a note of my own\r\nfn f()->u32{todo!()}\r\n";
        assert_eq!(fingerprint(shipped), fingerprint(same));
        assert_ne!(fingerprint(shipped), fingerprint("fn f() -> u32 { 1 }"));
        assert_ne!(
            fingerprint(shipped),
            fingerprint("//! An exercise.\nfn f() -> u32 {\n    todo!()\n}\nconst _: () = ();\n")
        );
    }

    #[test]
    fn the_record_reads_back_what_it_wrote() {
        let dir = std::env::temp_dir().join(format!("threadlings-record-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("exercises")).unwrap();
        let mut record = Record::default();
        record.exercises.insert(
            "par_sum".into(),
            Shipped {
                fingerprint: fingerprint("fn f() {}"),
                passing: [case_id(CheckKind::Tests, "sums")].into(),
            },
        );
        record.save(&dir).unwrap();
        let read = Record::load(&dir).unwrap();
        assert_eq!(read, record);
        assert!(read.is_shipped("par_sum", "fn  f ( ) { }"));
        assert!(read.passes_as_shipped("par_sum", CheckKind::Tests, "sums"));
        assert!(!read.passes_as_shipped("par_sum", CheckKind::Loom, "sums"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
