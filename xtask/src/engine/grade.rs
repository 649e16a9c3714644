//! Grading one source (the student's checkout, the reference solutions, or a
//! submission): every check of every exercise, but a submitted file as shipped, which is
//! not run; points withheld for what passes as shipped; copy detection's fingerprints;
//! and the student's progress, for their own checkout.

use std::collections::BTreeMap;
use std::time::{Instant, SystemTime};

use super::{Depth, Observer, Runner};
use crate::model::catalog::Exercise;
use crate::model::kit::{Kit, Source};
use crate::model::outcome::{ExerciseResult, Graded, Likeness, Timing};
use crate::model::progress::Progress;
use crate::model::shipped::Record;
use crate::syntax::likeness;

/// What grading one source needs besides the kit, the record and the exercises.
pub struct GradeOptions {
    /// The source's name in the reports: a submission's folder, `exercises`, …
    pub name: String,
    /// What was found before grading (tamper warnings); grading adds its own.
    pub warnings: Vec<String>,
    /// Hears of each case and check as it is judged (and of the build's progress).
    pub observer: Option<Observer>,
}

/// Grades one source. A submitted file that is as shipped is not attempted and not run; a case
/// that passes on the shipped exercise earns nothing. A failure of the grading itself
/// is recorded against that source, so the rest of the class is still graded and the
/// reports still written.
pub fn grade(
    kit: &Kit,
    record: &Record,
    source: Source,
    exercises: &[&Exercise],
    options: GradeOptions,
) -> Graded {
    let GradeOptions {
        name,
        mut warnings,
        observer,
    } = options;
    let started = SystemTime::now();
    let clock = Instant::now();
    let records_progress = source == Source::Exercises;
    let attempted: Vec<&Exercise> = exercises
        .iter()
        .copied()
        .filter(|exercise| !is_as_shipped(kit, record, exercise, &source))
        .collect();
    let file_of = |exercise: &Exercise| source.display_file(exercise);
    let outcome = Runner::new(kit, source.clone()).and_then(|runner| {
        let runner = match observer {
            Some(observer) => runner.with_observer(observer),
            None => runner,
        };
        runner.check(&attempted, Depth::All)
    });
    let checked = match outcome {
        Ok(results) => results,
        Err(err) => {
            let err = format!("{err:#}");
            warnings.push(format!("grading could not run: {err}"));
            attempted
                .iter()
                .map(|exercise| ExerciseResult::not_graded(exercise, &err))
                .collect()
        }
    };
    let mut checked: BTreeMap<String, ExerciseResult> = checked
        .into_iter()
        .map(|result| (result.exercise.name.clone(), result))
        .collect();
    let mut results: Vec<ExerciseResult> = exercises
        .iter()
        .map(|exercise| {
            checked
                .remove(&exercise.name)
                .unwrap_or_else(|| ExerciseResult::not_attempted(exercise, &file_of(exercise)))
        })
        .collect();
    record.mark(&mut results);
    let likeness = likeness_of(kit, &attempted, &source);
    if records_progress {
        let mut progress = Progress::load(kit);
        for result in &results {
            progress.record(kit, &result.exercise, result.passed());
        }
        progress.save();
    }
    Graded {
        name,
        warnings,
        exercises: results,
        likeness,
        timing: Some(Timing {
            started,
            elapsed: clock.elapsed(),
        }),
    }
}

/// For copy detection: each attempted file of a submission, normalized, and whether it
/// is the reference solution so normalized.
fn likeness_of(kit: &Kit, attempted: &[&Exercise], source: &Source) -> BTreeMap<String, Likeness> {
    if !matches!(source, Source::Submission(_)) {
        return BTreeMap::new();
    }
    let print = |source: &Source, exercise: &Exercise| {
        let text = String::from_utf8(kit.source_file(exercise, source).ok()?).ok()?;
        Some(likeness::fingerprint(&text))
    };
    attempted
        .iter()
        .filter_map(|exercise| {
            let fingerprint = print(source, exercise)?;
            let same_as_solution =
                print(&Source::Solutions, exercise).as_ref() == Some(&fingerprint);
            let found = Likeness {
                fingerprint,
                same_as_solution,
            };
            Some((exercise.name.clone(), found))
        })
        .collect()
}

/// Whether a submission's file for `exercise` is the shipped one. Only a submission is
/// left unrun: a student checking their own checkout sees every verdict.
fn is_as_shipped(kit: &Kit, record: &Record, exercise: &Exercise, source: &Source) -> bool {
    if !matches!(source, Source::Submission(_)) {
        return false;
    }
    let text = kit.source_file(exercise, source).ok();
    text.and_then(|bytes| String::from_utf8(bytes).ok())
        .is_some_and(|text| record.is_shipped(&exercise.name, &text))
}
