use crate::Exit;
use crate::catalog::Exercise;
use crate::kit::{Kit, Source};
use crate::progress::Progress;
use crate::report;
use crate::runner::{Depth, Runner};

pub fn check(names: &[String], solutions: bool) -> Result<Exit, String> {
    let kit = Kit::discover()?;
    let exercises: Vec<&Exercise> = if names.is_empty() {
        kit.catalog.exercises.iter().collect()
    } else {
        names
            .iter()
            .map(|name| kit.catalog.find(name))
            .collect::<Result<_, _>>()?
    };
    let source = if solutions {
        Source::Solutions
    } else {
        Source::Exercises
    };
    let results = Runner::new(&kit, source)?.check(&exercises, Depth::All)?;
    if source == Source::Exercises {
        let mut progress = Progress::load(&kit);
        for result in &results {
            progress.record(&kit, &result.exercise, result.passed());
        }
        progress.save();
    }
    report::table(&results);
    report::failures_in_brief(&results, |exercise| match source {
        Source::Exercises => exercise.file(),
        Source::Solutions => exercise.solution_file(),
    });
    Ok(if results.iter().all(|result| result.passed()) {
        Exit::Success
    } else {
        Exit::Failed
    })
}
