//! `--gradescope FILE`: Gradescope's autograder `results.json`, for the one
//! submission graded. A test per exercise check, with its share of the points; the
//! tamper warnings go in the submission's `output`.

use std::io::Write;

use serde::Serialize;

use super::{check_rows, only_submission, round};
use crate::model::outcome::Class;

#[derive(Serialize)]
struct Results {
    score: f64,
    /// Seconds spent grading the submission, wall time.
    execution_time: f64,
    output: String,
    visibility: &'static str,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    score: f64,
    max_score: f64,
    /// `passed` or `failed`.
    status: &'static str,
    output: String,
    visibility: &'static str,
}

pub fn render(class: &Class, out: &mut dyn Write) -> anyhow::Result<()> {
    let graded = only_submission(&class.graded, "Gradescope's results.json")?;
    let rows = check_rows(graded);
    // The wall time of grading it; for a report written before that was kept, the
    // checks' own times.
    let seconds = match graded.timing {
        Some(timing) => timing.elapsed.as_secs_f64(),
        None => rows.iter().map(|row| row.duration.as_secs_f64()).sum(),
    };
    let results = Results {
        score: round(graded.points()),
        execution_time: round(seconds),
        output: [graded.warnings.clone(), super::left_out::lines(class)]
            .concat()
            .join("\n"),
        visibility: "visible",
        tests: rows
            .into_iter()
            .map(|row| Test {
                name: row.name,
                score: row.score,
                max_score: row.max_score,
                status: if row.passed { "passed" } else { "failed" },
                output: row.output,
                visibility: "visible",
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &results)?;
    writeln!(out)?;
    Ok(())
}
