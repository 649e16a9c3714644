//! Reporters over the results (`model/outcome.rs`): each output format is one file,
//! and none of them runs anything.

pub mod alike;
pub mod causes;
pub mod classroom;
pub mod csv;
pub mod gradescope;
pub mod html;
pub mod json;
pub mod junit;
pub mod left_out;
pub mod list;
pub mod live;
pub mod markup;
pub mod staged;
pub mod stuck;
pub mod style;
pub mod swimlanes;
pub mod terminal;
pub mod timeline;
pub mod verdict_text;

use std::path::PathBuf;

use anyhow::anyhow;

pub use staged::Renderer;
use staged::Staged;

use crate::model::location::Location;
use crate::model::outcome::{Class, Graded};

/// The report forms that `check` and `report` write. A new form is one file in
/// `report/` and one field here, with its line in `write_all`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportOptions {
    /// Write every submission, exercise and check as JSON (what `report` reads).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write JUnit XML, for CI systems and learning platforms.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a gradebook: a row per student, a column per exercise, the total.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write a class report to open in a browser.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write Gradescope's autograder results.json, for one submission.
    #[arg(long, value_name = "FILE")]
    pub gradescope: Option<PathBuf>,
    /// Set the `result` step output that GitHub Classroom's autograding reporter
    /// reads (to $GITHUB_OUTPUT, else printed), and print `Points X/Y`; one submission.
    #[arg(long)]
    pub classroom: bool,
}

impl ReportOptions {
    /// Each form asked for a file: its option, its file, and what renders it.
    fn forms(&self) -> Vec<(&'static str, &PathBuf, Renderer)> {
        let forms: [(&str, &Option<PathBuf>, Renderer); 5] = [
            ("--json", &self.json, json::render),
            ("--junit", &self.junit, junit::render),
            ("--csv", &self.csv, csv::render),
            ("--html", &self.html, html::render),
            ("--gradescope", &self.gradescope, gradescope::render),
        ];
        forms
            .into_iter()
            .filter_map(|(option, path, render)| Some((option, path.as_ref()?, render)))
            .collect()
    }

    /// Refuses, before anything is graded, two forms asked to write one file however it
    /// is spelled (`r`, `./r`): both would stage in the same temporary file beside it.
    pub fn refuse_one_file_for_two_forms(&self) -> anyhow::Result<()> {
        let forms = self.forms();
        let places: Vec<PathBuf> = forms
            .iter()
            .map(|(_, path, _)| staged::place(path))
            .collect();
        for (index, place) in places.iter().enumerate() {
            if let Some(first) = places[..index].iter().position(|seen| seen == place) {
                let (earlier, path, _) = &forms[first];
                anyhow::bail!(
                    "{earlier} and {} both name {}: give each report a file of its own",
                    forms[index].0,
                    path.display()
                );
            }
        }
        Ok(())
    }
}

/// Writes every form `options` asks for. Each is rendered before any is put in its
/// place, so a form that cannot be made (Gradescope's for a class of many) leaves no
/// file, and every earlier report stays as it was.
pub fn write_all(options: &ReportOptions, class: &Class) -> anyhow::Result<()> {
    options.refuse_one_file_for_two_forms()?;
    // The forms are independent, and a class of a thousand makes each take a while: they
    // are rendered side by side.
    let rendered: Vec<anyhow::Result<Staged>> = std::thread::scope(|scope| {
        let rendering: Vec<_> = options
            .forms()
            .into_iter()
            .map(|(_, path, render)| scope.spawn(move || Staged::render(path, render, class)))
            .collect();
        rendering
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let staged: Vec<Staged> = rendered.into_iter().collect::<anyhow::Result<_>>()?;
    let classroom = if options.classroom {
        Some(classroom::render(class)?)
    } else {
        None
    };
    for form in staged {
        form.publish()?;
    }
    if let Some(result) = classroom {
        classroom::emit(&result)?;
    }
    Ok(())
}

/// Every exercise graded in `class`, in course order (the first graded's order).
fn exercise_names(class: &[Graded]) -> Vec<String> {
    class
        .first()
        .map(|graded| {
            graded
                .exercises
                .iter()
                .map(|result| result.exercise.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// One row per exercise check, as the platforms that grade by test want it.
struct CheckRow {
    /// `EXERCISE: KIND`, for example `spin_lock: loom`.
    name: String,
    score: f64,
    max_score: f64,
    passed: bool,
    /// Each case that did not pass, with its message and output excerpt.
    output: String,
    /// The first failure's `path:line`, when it has one.
    location: Option<Location>,
    duration: std::time::Duration,
}

/// The only submission of `class`: the platforms' formats grade one at a time.
fn only_submission<'a>(class: &'a [Graded], form: &str) -> anyhow::Result<&'a Graded> {
    match class {
        [graded] => Ok(graded),
        _ => Err(anyhow!(one_submission_only(
            form,
            class.len(),
            "were graded"
        ))),
    }
}

/// Refuses, before anything is graded, a form of one submission (Gradescope's,
/// Classroom's) asked of `count` sources.
pub fn refuse_a_class_for_forms_of_one(
    options: &ReportOptions,
    count: usize,
) -> anyhow::Result<()> {
    let form = if options.gradescope.is_some() {
        "Gradescope's results.json"
    } else if options.classroom {
        "GitHub Classroom's result"
    } else {
        return Ok(());
    };
    match count {
        1 => Ok(()),
        _ => Err(anyhow!(one_submission_only(
            form,
            count,
            "are to be graded"
        ))),
    }
}

fn one_submission_only(form: &str, count: usize, graded: &str) -> String {
    format!(
        "{form} is the result of one submission, and {count} {graded}: grade one \
         `--submission` at a time for it"
    )
}

/// One row per check that can earn points. A check whose every case passes and
/// passed as shipped earns nothing (its share goes to the exercise's other checks): as
/// a platform's test it would read "0/0", so it has none.
fn check_rows(graded: &Graded) -> Vec<CheckRow> {
    let mut rows = Vec::new();
    for result in &graded.exercises {
        for check in &result.checks {
            if !check.earns_points() {
                continue;
            }
            let share = result.share(check);
            let failures: Vec<String> = check
                .cases
                .iter()
                .filter(|case| case.status != crate::model::outcome::Status::Pass)
                .map(|case| verdict_text::of(case).text())
                .collect();
            rows.push(CheckRow {
                name: format!("{}: {}", result.exercise.name, check.kind),
                score: round(share * check.passed_fraction()),
                max_score: round(share),
                passed: check.status() == crate::model::outcome::Status::Pass,
                output: failures.join("\n\n"),
                location: check.first_failure().and_then(|case| case.location.clone()),
                duration: check.duration(),
            });
        }
    }
    rows
}

fn round(points: f64) -> f64 {
    (points * 100.0).round() / 100.0
}
