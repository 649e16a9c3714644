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

/// The files two students handed in alike (`second` is `None` for the reference
/// solution): one line of the class report for each pair, however many files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub first: String,
    pub second: Option<String>,
    /// The exercises, in course order.
    pub exercises: Vec<String>,
}

/// The pairs of students with files alike, the most files first; then each student
/// with files equal to the reference solution, the most first.
pub fn by_pair(class: &[Graded]) -> Vec<Pair> {
    let mut found: Vec<Pair> = Vec::new();
    for alike in pairs(class) {
        let existing = found
            .iter_mut()
            .find(|pair| pair.first == alike.first && pair.second == alike.second);
        match existing {
            Some(pair) => pair.exercises.push(alike.exercise),
            None => found.push(Pair {
                first: alike.first,
                second: alike.second,
                exercises: vec![alike.exercise],
            }),
        }
    }
    // Stable: as many files keep the class's order.
    found.sort_by_key(|pair| {
        (
            pair.second.is_none(),
            std::cmp::Reverse(pair.exercises.len()),
        )
    });
    found
}

impl Pair {
    pub fn describe(&self) -> String {
        let files = match self.exercises.len() {
            1 => "1 file".to_string(),
            n => format!("{n} files"),
        };
        match &self.second {
            Some(second) => format!(
                "{} and {second}: {files} alike ({})",
                self.first,
                self.exercises.join(", ")
            ),
            None => format!(
                "{}: {files} equal to the reference solution ({})",
                self.first,
                self.exercises.join(", ")
            ),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::Exercise;
    use crate::model::outcome::{ExerciseResult, Likeness};

    fn student(name: &str, prints: &[(&str, &str)]) -> Graded {
        let exercises = ["a", "b", "c"]
            .map(|name| {
                ExerciseResult::not_attempted(
                    &Exercise {
                        name: name.into(),
                        ..Default::default()
                    },
                    "x.rs",
                )
            })
            .to_vec();
        Graded {
            name: name.into(),
            exercises,
            likeness: prints
                .iter()
                .map(|(exercise, print)| {
                    let found = Likeness {
                        fingerprint: print.to_string(),
                        same_as_solution: *print == "solution",
                    };
                    (exercise.to_string(), found)
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn one_line_per_pair_of_students_and_per_student_for_the_solution() {
        let class = [
            student("ann", &[("a", "1"), ("b", "2"), ("c", "solution")]),
            student("bo", &[("a", "1"), ("b", "2"), ("c", "3")]),
            student("cy", &[("a", "solution"), ("b", "solution"), ("c", "3")]),
        ];
        let lines: Vec<String> = by_pair(&class).iter().map(Pair::describe).collect();
        assert_eq!(
            lines,
            [
                "ann and bo: 2 files alike (a, b)",
                "bo and cy: 1 file alike (c)",
                "cy: 2 files equal to the reference solution (a, b)",
                "ann: 1 file equal to the reference solution (c)",
            ]
        );
    }
}
