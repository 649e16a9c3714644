//! `--junit FILE`: JUnit XML (through quick-junit), which CI systems and learning
//! platforms read, valid against the Jenkins xunit plugin's `junit-10.xsd`. One test
//! suite per submission, timed and stamped; one test case per check case. Every case
//! that did not pass is a failure (an error when it does not compile), an exercise not
//! attempted included: a skip would read as a clean run in CI. A suite `not graded` holds
//! an error for each folder of the class that was not graded.

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use crate::model::outcome::{CaseResult, CheckResult, Class, Graded, Status, stand_in};
use crate::report::causes;

pub fn render(class: &Class, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut report = Report::new("threadlings");
    for graded in &class.graded {
        report.add_test_suite(suite(graded));
    }
    report.add_test_suites(not_graded_suite(class));
    // In memory first: one attribute quick-junit always writes is taken out.
    let xml = report.to_string().context("cannot write JUnit XML")?;
    writeln!(out, "{}", without_skipped_count(&xml))?;
    Ok(())
}

fn suite(graded: &Graded) -> TestSuite {
    let mut suite = TestSuite::new(graded.name.as_str());
    suite.add_property(Property::new("points", format!("{:.2}", graded.points())));
    suite.add_property(Property::new("max_points", graded.max_points().to_string()));
    let mut cases_time = Duration::ZERO;
    for result in &graded.exercises {
        for check in &result.checks {
            let classname = format!("{}.{}.{}", graded.name, result.exercise.name, check.kind);
            for case in cases_of(check) {
                let mut test = TestCase::new(case.name.as_str(), status(&case));
                test.set_classname(classname.as_str());
                test.set_time(case.duration);
                cases_time += case.duration;
                suite.add_test_case(test);
            }
        }
    }
    match graded.timing {
        Some(timing) => {
            suite.set_time(timing.elapsed);
            suite.set_timestamp(chrono::DateTime::<chrono::Utc>::from(timing.started));
        }
        // Graded before times were kept: the cases' own, and no timestamp.
        None => {
            suite.set_time(cases_time);
        }
    }
    if !graded.warnings.is_empty() {
        suite.set_system_err(graded.warnings.join("\n"));
    }
    suite
}

/// A check's cases; a check that ran none is one failing case, so that it is counted.
fn cases_of(check: &CheckResult) -> Vec<CaseResult> {
    if check.cases.is_empty() {
        let case = CaseResult::failure(
            stand_in::CASES,
            Status::Fail,
            "no case of this check was run",
        );
        return vec![case];
    }
    check.cases.clone()
}

/// A suite of the folders of the class not graded, each an error with the reason, and
/// whether the run was interrupted; none when every folder was graded.
fn not_graded_suite(class: &Class) -> Option<TestSuite> {
    if class.not_graded.is_empty() && !class.incomplete {
        return None;
    }
    let mut suite = TestSuite::new("not graded");
    // Timed and stamped as every suite is (a reader takes a missing time for NaN):
    // nothing was run, at the time the class's grading began.
    suite.set_time(Duration::ZERO);
    let began = class
        .graded
        .iter()
        .filter_map(|graded| graded.timing.map(|timing| timing.started))
        .min();
    if let Some(began) = began {
        suite.set_timestamp(chrono::DateTime::<chrono::Utc>::from(began));
    }
    if class.incomplete {
        suite.add_property(Property::new("incomplete", super::left_out::INCOMPLETE));
    }
    for entry in &class.not_graded {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status
            .set_type("not graded")
            .set_message(entry.reason.as_str());
        let mut test = TestCase::new(entry.folder.as_str(), status);
        test.set_classname("not graded");
        suite.add_test_case(test);
    }
    Some(suite)
}

fn status(case: &CaseResult) -> TestCaseStatus {
    let kind = match case.status {
        Status::Pass => return TestCaseStatus::success(),
        Status::CompileError => NonSuccessKind::Error,
        Status::Fail
        | Status::Timeout
        | Status::Refused
        | Status::NotAttempted
        | Status::Skipped => NonSuccessKind::Failure,
    };
    let mut status = TestCaseStatus::non_success(kind);
    status
        .set_type(causes::label_of(case))
        .set_message(causes::summary(case))
        .set_description(description(case));
    status
}

/// The failure's text: where, what, and what was printed. junit-10.xsd has no `file`
/// or `line` on a test case, so the student's line is the first line, `at FILE:LINE`,
/// as a backtrace gives it, where CI annotators look for it.
fn description(case: &CaseResult) -> String {
    let mut text = String::new();
    if let Some(at) = &case.location {
        text.push_str(&format!("at {}:{}\n", at.file, at.line));
    }
    text.push_str(&case.message);
    if !case.output.is_empty() {
        text.push('\n');
        text.push_str(&case.output);
    }
    text
}

/// The XML without the root's `skipped` count, which quick-junit always writes and
/// `junit-10.xsd` does not allow on `<testsuites>` (nothing is ever skipped here).
fn without_skipped_count(xml: &str) -> String {
    let Some(root) = xml.find("<testsuites ") else {
        return xml.to_string();
    };
    let end = root + xml[root..].find('>').unwrap_or(0);
    let tag = &xml[root..end];
    let Some(at) = tag.find(" skipped=\"") else {
        return xml.to_string();
    };
    let value_start = root + at + " skipped=\"".len();
    let value_end = value_start + xml[value_start..].find('"').unwrap_or(0) + 1;
    format!("{}{}", &xml[..root + at], &xml[value_end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_roots_skipped_count_is_taken_out() {
        let xml = "<?xml?>\n<testsuites name=\"t\" tests=\"1\" skipped=\"0\" failures=\"0\">\n\
                   <testsuite name=\"s\" skipped=\"0\"/>";
        assert_eq!(
            without_skipped_count(xml),
            "<?xml?>\n<testsuites name=\"t\" tests=\"1\" failures=\"0\">\n\
             <testsuite name=\"s\" skipped=\"0\"/>"
        );
        assert_eq!(without_skipped_count("<a/>"), "<a/>");
    }
}
