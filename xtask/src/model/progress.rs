//! The student's progress, kept only as a cache under the target directory: which
//! exercises passed (and the content they passed with) and how many hints were shown.
//! Deleting or corrupting it loses nothing; exercises are simply checked again.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::catalog::Exercise;
use crate::model::kit::{Kit, files_under};

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Progress {
    /// Exercise name → fingerprint of everything its verdict depends on.
    #[serde(default)]
    passed: BTreeMap<String, String>,
    /// Exercise name → how many hint levels were shown.
    #[serde(default)]
    hints_shown: BTreeMap<String, usize>,
    #[serde(skip)]
    path: PathBuf,
    /// The hash of the library every exercise's checks use, taken once per load
    /// rather than once per exercise.
    #[serde(skip)]
    library: u64,
}

impl Progress {
    pub fn load(kit: &Kit) -> Progress {
        let path = kit.state_dir().join("progress.json");
        let mut progress: Progress = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        progress.path = path;
        progress.library = hash_files(&files_under(&kit.root.join("src")).unwrap_or_default());
        progress
    }

    /// Best effort: a cache that cannot be written only costs a re-check later.
    pub fn save(&self) {
        if let Some(parent) = self.path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let text = serde_json::to_string_pretty(self).expect("progress serializes");
        let temporary = self.path.with_extension("json.tmp");
        if std::fs::write(&temporary, text).is_ok() {
            let _ = std::fs::rename(&temporary, &self.path);
        }
    }

    /// Whether the exercise passed with exactly its current content and checks.
    pub fn is_done(&self, kit: &Kit, exercise: &Exercise) -> bool {
        self.passed
            .get(&exercise.name)
            .is_some_and(|recorded| *recorded == self.fingerprint(kit, exercise))
    }

    pub fn record(&mut self, kit: &Kit, exercise: &Exercise, passed: bool) {
        if passed {
            let fingerprint = self.fingerprint(kit, exercise);
            self.passed.insert(exercise.name.clone(), fingerprint);
        } else {
            self.passed.remove(&exercise.name);
        }
    }

    /// The first exercise in course order that is not done.
    pub fn current<'k>(&self, kit: &'k Kit) -> Option<&'k Exercise> {
        kit.catalog
            .exercises
            .iter()
            .find(|exercise| !self.is_done(kit, exercise))
    }

    pub fn done_count(&self, kit: &Kit) -> usize {
        kit.catalog
            .exercises
            .iter()
            .filter(|exercise| self.is_done(kit, exercise))
            .count()
    }

    /// Shows one more hint level; returns the levels now shown (at least 1).
    pub fn next_hint_level(&mut self, exercise: &Exercise) -> usize {
        let shown = self.hints_shown.entry(exercise.name.clone()).or_default();
        *shown = (*shown + 1).min(exercise.hints.len());
        *shown
    }

    /// A hash of the exercise file, its checks, its catalog entry and the shared
    /// library. Not stable across toolchains, which only means a re-check after an
    /// upgrade.
    fn fingerprint(&self, kit: &Kit, exercise: &Exercise) -> String {
        let mut hasher = DefaultHasher::new();
        format!("{exercise:?}").hash(&mut hasher);
        self.library.hash(&mut hasher);
        let mut files = vec![kit.exercise_path(exercise)];
        files.extend(files_under(&kit.root.join(exercise.checks_dir())).unwrap_or_default());
        hash_files(&files).hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    }
}

/// A hash of the files' paths and contents; a file that cannot be read hashes as empty.
fn hash_files(files: &[PathBuf]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.hash(&mut hasher);
        std::fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    hasher.finish()
}
