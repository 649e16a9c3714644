//! `cargo xtask report FILE...`: the reduce step of sharded grading. Reads the JSON
//! reports of shards (or of earlier runs), typed, into one class, and writes any
//! report form of it, as one `check` over the whole class would have.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::Exit;
use crate::model::outcome::Graded;
use crate::report::{self, ReportOptions, alike, json, terminal};

pub fn report(files: &[PathBuf], options: &ReportOptions) -> Result<Exit, String> {
    let class = merge(files)?;
    terminal::class_summary(&class);
    let pairs = alike::pairs(&class);
    if !pairs.is_empty() {
        println!();
        println!("Files alike (for you to look at; no points depend on them):");
        for pair in &pairs {
            println!("  {}", pair.describe());
        }
    }
    report::write_all(options, &class)?;
    Ok(Exit::Success)
}

/// Every file read before anything is written; a student in two files is an error
/// that names both. The class is in the order of the students' names.
pub fn merge(files: &[PathBuf]) -> Result<Vec<Graded>, String> {
    let mut seen: BTreeMap<String, &Path> = BTreeMap::new();
    let mut class = Vec::new();
    for file in files {
        for graded in json::read(file)?.into_class() {
            if let Some(earlier) = seen.insert(graded.name.clone(), file) {
                return Err(format!(
                    "{} is graded in both {} and {}: merge each student once",
                    graded.name,
                    earlier.display(),
                    file.display()
                ));
            }
            class.push(graded);
        }
    }
    class.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(class)
}
