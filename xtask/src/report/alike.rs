//! Copying is shown, not judged: the submitted files that are the same as another
//! student's, or as the reference solution, once formatting, comments and local names
//! are set aside (`syntax/likeness.rs`). The reports list each pair for the instructor
//! to look at; no point depends on it.

use std::collections::BTreeMap;

use crate::model::outcome::Graded;

/// One likeness: `first` and `second` handed in the same `exercise` file; `second`
/// is `None` when it is the reference solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alike {
    pub exercise: String,
    pub first: String,
    pub second: Option<String>,
}

/// Every pair in the class, by exercise in course order, then by student.
pub fn pairs(class: &[Graded]) -> Vec<Alike> {
    let mut found = Vec::new();
    for name in super::exercise_names(class) {
        let mut by_print: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for graded in class {
            let Some(likeness) = graded.likeness.get(&name) else {
                continue;
            };
            // A file that is the reference solution is flagged as such, and not paired
            // again with every other file that is.
            if likeness.same_as_solution {
                found.push(Alike {
                    exercise: name.clone(),
                    first: graded.name.clone(),
                    second: None,
                });
                continue;
            }
            by_print
                .entry(likeness.fingerprint.as_str())
                .or_default()
                .push(graded.name.as_str());
        }
        for students in by_print.values() {
            for (index, first) in students.iter().enumerate() {
                for second in &students[index + 1..] {
                    found.push(Alike {
                        exercise: name.clone(),
                        first: (*first).to_string(),
                        second: Some((*second).to_string()),
                    });
                }
            }
        }
    }
    found
}

impl Alike {
    pub fn describe(&self) -> String {
        match &self.second {
            Some(second) => format!("{}: {} and {}", self.exercise, self.first, second),
            None => format!(
                "{}: {} and the reference solution",
                self.exercise, self.first
            ),
        }
    }
}
