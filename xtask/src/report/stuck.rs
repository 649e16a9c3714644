//! Where the class is stuck: for each exercise, the cases that did not pass grouped by
//! the same mistake (the check, the case, its cause and the first line of its
//! explanation, the grader's paths made relative), with the students each group holds,
//! the most common first. The first group of an exercise is the misconception a lecture
//! should address.

use std::collections::BTreeMap;

use super::{causes, verdict_text};
use crate::model::catalog::CheckKind;
use crate::model::outcome::{Cause, Graded, Status};

/// One exercise where some students did not pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    pub name: String,
    pub chapter: String,
    /// How many students were graded on it, and how many of them did not pass it.
    pub graded: usize,
    pub not_passing: usize,
    /// The students who handed it in as shipped: no mistake to group, only work not
    /// done.
    pub not_attempted: Vec<String>,
    /// The mistakes, the most common first.
    pub groups: Vec<Mistake>,
}

/// The same failure of the same case, for `students`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    /// The check and its case; `None` for what fails the whole exercise at once (a
    /// compile error, a refusal), whose every case says the same.
    pub case: Option<(CheckKind, String)>,
    pub cause: Cause,
    /// The first line of the explanation, the grader's paths made relative.
    pub first_line: String,
    pub students: Vec<String>,
}

/// What makes two failures the same mistake: the case (`None` for the whole
/// exercise), the cause's words, the first line of the explanation.
type MistakeKey = (Option<(CheckKind, String)>, &'static str, String);

/// Every exercise of `class` that some student did not pass, in course order.
pub fn exercises(class: &[Graded]) -> Vec<Exercise> {
    super::exercise_names(class)
        .into_iter()
        .filter_map(|name| exercise(class, &name))
        .collect()
}

fn exercise(class: &[Graded], name: &str) -> Option<Exercise> {
    let mut stuck = Exercise {
        name: name.to_string(),
        chapter: String::new(),
        graded: 0,
        not_passing: 0,
        not_attempted: Vec::new(),
        groups: Vec::new(),
    };
    // Keyed by the mistake, in the order first met (course order of checks and cases).
    let mut groups: BTreeMap<MistakeKey, usize> = BTreeMap::new();
    for graded in class {
        let Some(result) = graded.exercises.iter().find(|r| r.exercise.name == name) else {
            continue;
        };
        stuck.chapter.clone_from(&result.exercise.chapter);
        stuck.graded += 1;
        if result.passed() {
            continue;
        }
        stuck.not_passing += 1;
        if causes::CellKind::of(result) == causes::CellKind::NotAttempted {
            stuck.not_attempted.push(graded.name.clone());
            continue;
        }
        for check in &result.checks {
            for case in check.cases.iter().filter(|c| c.status != Status::Pass) {
                let cause = case.cause.unwrap_or(Cause::Failed);
                if matches!(cause, Cause::NotAttempted | Cause::Skipped) {
                    continue;
                }
                let line = verdict_text::first_line(case);
                let which = (!matches!(cause, Cause::DoesNotCompile | Cause::Refused))
                    .then(|| (check.kind, case.name.clone()));
                let key = (which.clone(), causes::label(cause), line.clone());
                let index = *groups.entry(key).or_insert_with(|| {
                    stuck.groups.push(Mistake {
                        case: which,
                        cause,
                        first_line: line,
                        students: Vec::new(),
                    });
                    stuck.groups.len() - 1
                });
                let students = &mut stuck.groups[index].students;
                if students.last() != Some(&graded.name) {
                    students.push(graded.name.clone());
                }
            }
        }
    }
    // Stable: groups as common keep the order they were met in.
    stuck
        .groups
        .sort_by_key(|mistake| std::cmp::Reverse(mistake.students.len()));
    (stuck.not_passing > 0).then_some(stuck)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::Exercise as Listed;
    use crate::model::outcome::{CaseResult, CheckResult, ExerciseResult};
    use std::time::Duration;

    fn student(name: &str, cases: Vec<CaseResult>) -> Graded {
        let exercise = Listed {
            name: "spin_lock".into(),
            chapter: "06_atomics".into(),
            checks: vec![CheckKind::Loom],
            points: 10,
            ..Default::default()
        };
        let result = if cases.is_empty() {
            ExerciseResult::not_attempted(&exercise, "exercises/06_atomics/spin_lock.rs")
        } else {
            ExerciseResult {
                exercise,
                checks: vec![CheckResult {
                    kind: CheckKind::Loom,
                    cases,
                }],
            }
        };
        Graded {
            name: name.into(),
            exercises: vec![result],
            ..Default::default()
        }
    }

    fn race(at: &str) -> CaseResult {
        CaseResult::failure(
            "two_threads",
            Cause::DataRace,
            format!(
                "two threads accessed the cell ({at}/exercises/06_atomics/spin_lock.rs:14)\nmore"
            ),
        )
    }

    #[test]
    fn the_same_mistake_groups_across_students_and_the_most_common_comes_first() {
        let compile_error = |name| CaseResult::failure(name, Cause::DoesNotCompile, "error[E0308]");
        let class = vec![
            student(
                "ann",
                vec![CaseResult::failure(
                    "two_threads",
                    Cause::Deadlocked,
                    "blocked",
                )],
            ),
            student("bo", vec![race("/home/grader/kit")]),
            student("cy", vec![race("/srv/other/target/scratch/submission")]),
            student("di", vec![CaseResult::pass("two_threads", Duration::ZERO)]),
            student("ed", vec![]),
            student("flo", vec![compile_error("sums"), compile_error("counts")]),
        ];
        let stuck = exercises(&class);
        assert_eq!(stuck.len(), 1);
        let spin_lock = &stuck[0];
        assert_eq!((spin_lock.graded, spin_lock.not_passing), (6, 5));
        assert_eq!(spin_lock.not_attempted, ["ed"]);
        let groups: Vec<(&str, Vec<&str>)> = spin_lock
            .groups
            .iter()
            .map(|g| {
                (
                    g.first_line.as_str(),
                    g.students.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            groups,
            [
                (
                    "two threads accessed the cell (exercises/06_atomics/spin_lock.rs:14)",
                    vec!["bo", "cy"]
                ),
                ("blocked", vec!["ann"]),
                // Every case of an exercise that does not compile says so: one mistake.
                ("error[E0308]", vec!["flo"]),
            ]
        );
        assert_eq!(spin_lock.groups[0].cause, Cause::DataRace);
        assert_eq!(spin_lock.groups[2].case, None);
    }
}
