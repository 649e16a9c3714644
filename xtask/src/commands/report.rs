//! `cargo xtask report FILE...`: the reduce step of sharded grading. Reads the JSON
//! reports of shards (or of earlier runs), typed, into one class, and writes any
//! report form of it, as one `check` over the whole class would have.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::Exit;
use crate::model::outcome::Class;
use crate::report::{self, ReportOptions, alike, json, left_out, terminal};

pub fn report(files: &[PathBuf], options: &ReportOptions) -> anyhow::Result<Exit> {
    let class = merge(files)?;
    terminal::class_summary(&class);
    let pairs = alike::pairs(&class.graded);
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

/// Every file read before anything is written; a student in two files, or two files
/// graded against different catalogs, is an error that names both. The class is in
/// the order of the students' names; a folder not graded in one file and graded in
/// another is graded, and the class is incomplete if any file is.
pub fn merge(files: &[PathBuf]) -> anyhow::Result<Class> {
    let mut seen: BTreeMap<String, &Path> = BTreeMap::new();
    let mut catalog: Option<(String, &Path)> = None;
    let mut class = Class::default();
    for file in files {
        let report = json::read(file)?;
        if let Some(theirs) = report.catalog() {
            match &catalog {
                Some((ours, first)) if *ours != theirs => {
                    bail!(
                        "{} and {} were graded against different catalogs (their exercises' \
                         names, checks or points differ): merge only reports of one kit",
                        first.display(),
                        file.display()
                    );
                }
                Some(_) => {}
                None => catalog = Some((theirs, file)),
            }
        }
        let part = report.into_class();
        class.incomplete |= part.incomplete;
        class.files.extend(part.files);
        for entry in part.not_graded {
            if !class.not_graded.contains(&entry) {
                class.not_graded.push(entry);
            }
        }
        for graded in part.graded {
            if let Some(earlier) = seen.insert(graded.name.clone(), file) {
                bail!(
                    "{} is graded in both {} and {}: merge each student once",
                    graded.name,
                    earlier.display(),
                    file.display()
                );
            }
            class.graded.push(graded);
        }
    }
    class
        .not_graded
        .retain(|entry| !seen.contains_key(&entry.folder));
    // Incomplete while a student the interrupted run did not reach is graded nowhere.
    class.incomplete &= class
        .not_graded
        .iter()
        .any(|entry| entry.reason == left_out::INTERRUPTED);
    class.not_graded.sort_by(|a, b| a.folder.cmp(&b.folder));
    class.graded.sort_by(|a, b| a.name.cmp(&b.name));
    class.catalog = catalog.map(|(catalog, _)| catalog).unwrap_or_default();
    Ok(class)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of one student, graded against exercises `(name, points)`.
    fn report_of(student: &str, exercises: &[(&str, u32)]) -> String {
        let exercises: Vec<String> = exercises
            .iter()
            .map(|(name, points)| {
                format!(
                    r#"{{"name":"{name}","chapter":"01","file":"exercises/01/{name}.rs","points":0.0,"max_points":{points},"passed":false,"checks":[{{"kind":"tests","status":"fail","points":0.0,"max_points":{points}.0,"duration_ms":1,"cases":[{{"name":"c","status":"fail","message":"m","output_excerpt":"","location":null,"duration_ms":1,"passes_as_shipped":false}}]}}]}}"#
                )
            })
            .collect();
        format!(
            r#"{{"format_version":3,"submissions":[{{"name":"{student}","points":0.0,"max_points":20,"passed":false,"warnings":[],"exercises":[{}]}}]}}"#,
            exercises.join(",")
        )
    }

    fn written(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("threadlings-merge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn reports_of_different_catalogs_are_not_merged() {
        let ours = [("double", 10), ("triple", 10)];
        let a = written("a.json", &report_of("alice", &ours));
        let same = written("same.json", &report_of("bob", &ours));
        assert_eq!(merge(&[a.clone(), same]).unwrap().graded.len(), 2);
        for (file, catalog) in [
            ("renamed.json", [("double", 10), ("treble", 10)].as_slice()),
            ("fewer.json", &[("double", 10)]),
            ("points.json", &[("double", 10), ("triple", 5)]),
            ("order.json", &[("triple", 10), ("double", 10)]),
        ] {
            let other = written(file, &report_of("bob", catalog));
            let err = format!("{:#}", merge(&[a.clone(), other.clone()]).expect_err(file));
            assert!(
                err.contains(&a.display().to_string())
                    && err.contains(&other.display().to_string()),
                "{err}"
            );
        }
    }
}
