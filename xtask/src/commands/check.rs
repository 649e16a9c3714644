//! `cargo xtask check`: grades the student's own checkout, the reference solutions,
//! or a class of submissions, and writes the reports asked for.

use std::path::PathBuf;

use crate::Exit;
use crate::catalog::Exercise;
use crate::kit::{Kit, Source};
use crate::outcome::{CaseResult, CheckResult, ExerciseResult, Graded, Status};
use crate::progress::Progress;
use crate::report::{self, csv, html, json, junit, terminal};
use crate::runner::{Depth, Runner};
use crate::submission;

/// A report format: the whole class in, the file's content out.
type Renderer = fn(&[Graded]) -> String;

/// What `check` was asked for, as the command line gave it.
pub struct CheckRequest {
    pub names: Vec<String>,
    pub solutions: bool,
    pub submissions: Vec<PathBuf>,
    pub shard: Option<String>,
    pub json: Option<PathBuf>,
    pub junit: Option<PathBuf>,
    pub csv: Option<PathBuf>,
    pub html: Option<PathBuf>,
}

pub fn check(request: &CheckRequest) -> Result<Exit, String> {
    let kit = Kit::discover()?;
    let exercises: Vec<&Exercise> = if request.names.is_empty() {
        kit.catalog.exercises.iter().collect()
    } else {
        request
            .names
            .iter()
            .map(|name| kit.catalog.find(name))
            .collect::<Result<_, _>>()?
    };
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
        let graded = grade(&kit, source, &exercises, name, warnings);
        terminal::graded(&graded, class_size > 1);
        class.push(graded);
    }
    if class_size > 1 {
        terminal::class_summary(&class);
    }
    let reports: [(&Option<PathBuf>, Renderer); 4] = [
        (&request.json, json::render),
        (&request.junit, junit::render),
        (&request.csv, csv::render),
        (&request.html, html::render),
    ];
    for (path, render) in reports {
        if let Some(path) = path {
            report::write(path, &render(&class))?;
        }
    }
    Ok(if class.iter().all(Graded::passed) {
        Exit::Success
    } else {
        Exit::Failed
    })
}

/// What to grade: the submissions named (sharded), or else this checkout or the
/// reference solutions; each with the warnings found before grading.
fn sources(kit: &Kit, request: &CheckRequest) -> Result<Vec<(Source, Vec<String>)>, String> {
    if request.submissions.is_empty() {
        if request.shard.is_some() {
            return Err("`--shard` splits a class: it needs `--submission`".into());
        }
        let source = if request.solutions {
            Source::Solutions
        } else {
            Source::Exercises
        };
        return Ok(vec![(source, Vec::new())]);
    }
    if request.solutions {
        return Err("`--solutions` and `--submission` cannot be combined".into());
    }
    let mut submissions = submission::discover(&request.submissions)?;
    if let Some(shard) = &request.shard {
        let (part, total) = submission::parse_shard(shard)?;
        submissions = submission::shard(submissions, part, total);
    }
    submissions
        .into_iter()
        .map(|submission| {
            let warnings = submission::warnings(kit, &submission)?;
            Ok((Source::Submission(submission), warnings))
        })
        .collect()
}

/// Grades one source. A failure of the grading itself is recorded against that
/// source, so the rest of the class is still graded and the reports still written.
fn grade(
    kit: &Kit,
    source: Source,
    exercises: &[&Exercise],
    name: String,
    mut warnings: Vec<String>,
) -> Graded {
    let records_progress = source == Source::Exercises;
    let outcome = Runner::new(kit, source).and_then(|runner| runner.check(exercises, Depth::All));
    let results = match outcome {
        Ok(results) => results,
        Err(err) => {
            warnings.push(format!("grading could not run: {err}"));
            exercises
                .iter()
                .map(|exercise| not_graded(exercise, &err))
                .collect()
        }
    };
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
    }
}

fn not_graded(exercise: &Exercise, err: &str) -> ExerciseResult {
    let checks = exercise
        .checks
        .iter()
        .map(|&kind| CheckResult {
            kind,
            cases: vec![CaseResult::failure("grading", Status::Fail, err)],
        })
        .collect();
    ExerciseResult {
        exercise: exercise.clone(),
        checks,
    }
}
