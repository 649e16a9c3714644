//! `--junit FILE`: JUnit XML, which CI systems and learning platforms read. One test
//! suite per submission, one test case per check case.

use std::fmt::Write;

use super::escape_markup as escape;
use crate::model::outcome::{Graded, Status};

pub fn render(class: &[Graded]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"threadlings\">\n",
    );
    for graded in class {
        let cases: Vec<_> = graded
            .exercises
            .iter()
            .flat_map(|result| {
                result.checks.iter().flat_map(move |check| {
                    check.cases.iter().map(move |case| (result, check, case))
                })
            })
            .collect();
        let failures = cases
            .iter()
            .filter(|(_, _, case)| {
                matches!(
                    case.status,
                    Status::Fail | Status::Timeout | Status::Refused
                )
            })
            .count();
        let errors = cases
            .iter()
            .filter(|(_, _, case)| case.status == Status::CompileError)
            .count();
        let seconds: f64 = cases
            .iter()
            .map(|(_, _, case)| case.duration.as_secs_f64())
            .sum();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{seconds:.3}\">",
            escape(&graded.name),
            cases.len()
        );
        let _ = writeln!(
            xml,
            "    <properties><property name=\"points\" value=\"{:.2}\"/><property name=\"max_points\" value=\"{}\"/></properties>",
            graded.points(),
            graded.max_points()
        );
        for (result, check, case) in cases {
            let _ = write!(
                xml,
                "    <testcase classname=\"{}.{}.{}\" name=\"{}\" time=\"{:.3}\"",
                escape(&graded.name),
                escape(&result.exercise.name),
                check.kind,
                escape(&case.name),
                case.duration.as_secs_f64()
            );
            let element = match case.status {
                Status::Pass => {
                    xml.push_str("/>\n");
                    continue;
                }
                Status::CompileError => "error",
                Status::Fail | Status::Timeout | Status::Refused => "failure",
                Status::Skipped | Status::NotAttempted => "skipped",
            };
            let first_line = case.message.lines().next().unwrap_or_default();
            let _ = writeln!(
                xml,
                ">\n      <{element} type=\"{}\" message=\"{}\">{}\n{}</{element}>\n    </testcase>",
                case.status.label(),
                escape(first_line),
                escape(&case.message),
                escape(&case.output)
            );
        }
        if !graded.warnings.is_empty() {
            let _ = writeln!(
                xml,
                "    <system-err>{}</system-err>",
                escape(&graded.warnings.join("\n"))
            );
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}
