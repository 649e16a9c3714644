//! `cargo xtask check`: grades the student's own checkout, the reference solutions,
//! or a class of submissions, and writes the reports asked for.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::Exit;
use crate::engine::cargo::discover_kit;
use crate::engine::{Depth, Runner};
use crate::model::catalog::Exercise;
use crate::model::kit::{Kit, Source};
use crate::model::outcome::{CaseResult, Cause, CheckResult, ExerciseResult, Graded, Likeness};
use crate::model::progress::Progress;
use crate::model::shipped::{RECORD_PATH, Record};
use crate::model::submission::{self, Shard};
use crate::os;
use crate::report::style;
use crate::report::{self, ReportOptions, live, terminal};
use crate::syntax::likeness;

/// What `check` was asked for, as the command line gave it.
pub struct CheckRequest {
    pub names: Vec<String>,
    pub solutions: bool,
    pub submissions: Vec<PathBuf>,
    pub shard: Option<Shard>,
    pub reports: ReportOptions,
}

pub fn check(request: &CheckRequest) -> Result<Exit, String> {
    let kit = discover_kit()?;
    let exercises: Vec<&Exercise> = if request.names.is_empty() {
        kit.catalog.exercises.iter().collect()
    } else {
        request
            .names
            .iter()
            .map(|name| kit.catalog.find(name))
            .collect::<Result<_, _>>()?
    };
    let record = Record::load(&kit.root)?;
    let unrecorded: Vec<&str> = exercises
        .iter()
        .filter(|exercise| !record.exercises.contains_key(&exercise.name))
        .map(|exercise| exercise.name.as_str())
        .collect();
    if !unrecorded.is_empty() {
        terminal::warn(&format!(
            "{RECORD_PATH} has no entry for {}: what passes there as shipped is not known, so \
             it earns points; `cargo xtask verify --bless` records it",
            unrecorded.join(", ")
        ));
    }
    let sources = sources(&kit, request)?;
    let class_size = sources.len();
    let mut class = Vec::new();
    for (index, (source, warnings)) in sources.into_iter().enumerate() {
        let name = match &source {
            Source::Submission(submission) => submission.name.clone(),
            other => other.label(),
        };
        if class_size > 1 {
            eprintln!("[{}/{class_size}] grading {name}…", index + 1);
        }
        // One source's verdicts are shown as they come; a class's would drown the
        // progress of its students.
        let live = class_size == 1;
        let graded = match warnings {
            Ok(warnings) => grade(&kit, &record, source, &exercises, name, warnings, live),
            Err(reason) => unreadable(&exercises, name, reason),
        };
        terminal::graded(&graded, class_size > 1);
        class.push(graded);
    }
    if class_size > 1 {
        terminal::class_summary(&class);
    }
    if let Some(note) = os::unenforced() {
        println!("{}", style::dim(&note));
    }
    report::write_all(&request.reports, &class)?;
    Ok(if class.iter().all(Graded::passed) {
        Exit::Success
    } else {
        Exit::Failed
    })
}

/// The warnings found before grading a source, or why its files cannot be read.
type Warnings = Result<Vec<String>, String>;

/// What to grade: the submissions named (sharded), or else this checkout or the
/// reference solutions; each with the warnings found before grading.
fn sources(kit: &Kit, request: &CheckRequest) -> Result<Vec<(Source, Warnings)>, String> {
    if request.submissions.is_empty() {
        if request.shard.is_some() {
            return Err("`--shard` splits a class: it needs `--submission`".into());
        }
        let source = if request.solutions {
            crate::model::handout::require_solutions(&kit.root, "cargo xtask check --solutions")?;
            Source::Solutions
        } else {
            Source::Exercises
        };
        return Ok(vec![(source, Ok(Vec::new()))]);
    }
    if request.solutions {
        return Err("`--solutions` and `--submission` cannot be combined".into());
    }
    let mut submissions = submission::discover(&request.submissions)?;
    if let Some(shard) = request.shard {
        submissions = shard.of(submissions);
    }
    Ok(submissions
        .into_iter()
        .map(|submission| {
            let warnings = submission::warnings(kit, &submission);
            (Source::Submission(submission), warnings)
        })
        .collect())
}

/// A submission whose files cannot be read: nothing is built or run, and every
/// exercise fails with the reason.
fn unreadable(exercises: &[&Exercise], name: String, reason: String) -> Graded {
    let reason = format!("not graded: {reason}");
    Graded {
        name,
        exercises: exercises
            .iter()
            .map(|exercise| not_graded(exercise, &reason))
            .collect(),
        warnings: vec![reason],
        likeness: BTreeMap::new(),
    }
}

/// Grades one source. A submitted file that is as shipped is not attempted and not run; a case
/// that passes on the shipped exercise earns nothing. A failure of the grading itself
/// is recorded against that source, so the rest of the class is still graded and the
/// reports still written.
fn grade(
    kit: &Kit,
    record: &Record,
    source: Source,
    exercises: &[&Exercise],
    name: String,
    mut warnings: Vec<String>,
    live: bool,
) -> Graded {
    let records_progress = source == Source::Exercises;
    let attempted: Vec<&Exercise> = exercises
        .iter()
        .copied()
        .filter(|exercise| !is_as_shipped(kit, record, exercise, &source))
        .collect();
    let file_of = |exercise: &Exercise| source.display_file(exercise);
    let outcome = Runner::new(kit, source.clone()).and_then(|runner| {
        let runner = if live {
            runner.with_observer(live::observer())
        } else {
            runner
        };
        runner.check(&attempted, Depth::All)
    });
    let checked = match outcome {
        Ok(results) => results,
        Err(err) => {
            warnings.push(format!("grading could not run: {err}"));
            attempted
                .iter()
                .map(|exercise| not_graded(exercise, &err))
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

fn not_graded(exercise: &Exercise, err: &str) -> ExerciseResult {
    let checks = exercise
        .checks
        .iter()
        .map(|&kind| CheckResult {
            kind,
            cases: vec![CaseResult::failure("grading", Cause::NotChecked, err)],
        })
        .collect();
    ExerciseResult {
        exercise: exercise.clone(),
        checks,
    }
}
