//! `--classroom`: what GitHub Classroom's autograding reporter reads from a grader
//! step, for the one submission graded: the step output `result`, the base64 of
//! `{version, status, max_score, tests}`, and the `Points X/Y` line it shows.

use std::io::Write;

use anyhow::Context;
use base64::Engine;
use serde::Serialize;

use super::{check_rows, only_submission, round};
use crate::model::outcome::Class;

#[derive(Serialize)]
struct Result {
    version: u32,
    /// `pass` or `fail`.
    status: &'static str,
    max_score: f64,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    status: &'static str,
    score: f64,
    message: String,
    test_code: String,
    filename: String,
    line_no: usize,
    duration: u128,
}

/// The step output, ready to emit: `result=BASE64` and the points line.
pub struct Outcome {
    pub output_line: String,
    pub points_line: String,
}

pub fn render(class: &Class) -> anyhow::Result<Outcome> {
    let graded = only_submission(&class.graded, "GitHub Classroom's result")?;
    let tests: Vec<Test> = check_rows(graded)
        .into_iter()
        .map(|row| {
            let (filename, line_no) = row
                .location
                .map_or((String::new(), 0), |at| (at.file, at.line));
            Test {
                name: row.name,
                status: if row.passed { "pass" } else { "fail" },
                score: row.score,
                message: row.output,
                test_code: String::new(),
                filename,
                line_no,
                duration: row.duration.as_millis(),
            }
        })
        .collect();
    let result = Result {
        version: 1,
        status: if graded.passed() { "pass" } else { "fail" },
        max_score: f64::from(graded.max_points()),
        tests,
    };
    let json = serde_json::to_string(&result).expect("a result serializes");
    let encoded = base64::engine::general_purpose::STANDARD.encode(json);
    Ok(Outcome {
        output_line: format!("result={encoded}"),
        points_line: format!("Points {}/{}", round(graded.points()), graded.max_points()),
    })
}

/// Appends the step output to `$GITHUB_OUTPUT` (printed when there is none, outside
/// Actions), and prints the points.
pub fn emit(outcome: &Outcome) -> anyhow::Result<()> {
    match std::env::var_os("GITHUB_OUTPUT") {
        Some(path) => {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&path)
                .context("cannot open $GITHUB_OUTPUT")?;
            writeln!(file, "{}", outcome.output_line).context("cannot write $GITHUB_OUTPUT")?;
        }
        None => println!("{}", outcome.output_line),
    }
    println!("{}", outcome.points_line);
    Ok(())
}
