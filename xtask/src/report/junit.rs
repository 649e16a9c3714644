//! `--junit FILE`: JUnit XML (through quick-junit), which CI systems and learning
//! platforms read. One test suite per submission, one test case per check case; a suite
//! `not graded` holds an error for each folder of the class that was not graded.

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use crate::model::outcome::{CaseResult, Class, Status};
use crate::report::causes;

pub fn render(class: &Class) -> Result<String, String> {
    let mut report = Report::new("threadlings");
    for graded in &class.graded {
        let mut suite = TestSuite::new(graded.name.as_str());
        suite.add_property(Property::new("points", format!("{:.2}", graded.points())));
        suite.add_property(Property::new("max_points", graded.max_points().to_string()));
        for result in &graded.exercises {
            for check in &result.checks {
                for case in &check.cases {
                    let mut test = TestCase::new(case.name.as_str(), status(case));
                    test.set_classname(format!(
                        "{}.{}.{}",
                        graded.name, result.exercise.name, check.kind
                    ));
                    test.set_time(case.duration);
                    suite.add_test_case(test);
                }
            }
        }
        if !graded.warnings.is_empty() {
            suite.set_system_err(graded.warnings.join("\n"));
        }
        report.add_test_suite(suite);
    }
    report.add_test_suites(not_graded_suite(class));
    report
        .to_string()
        .map(|xml| xml + "\n")
        .map_err(|err| format!("cannot write JUnit XML: {err}"))
}

/// A suite of the folders of the class not graded, each an error with the reason, and
/// whether the run was interrupted; none when every folder was graded.
fn not_graded_suite(class: &Class) -> Option<TestSuite> {
    if class.not_graded.is_empty() && !class.incomplete {
        return None;
    }
    let mut suite = TestSuite::new("not graded");
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
        Status::Fail | Status::Timeout | Status::Refused => NonSuccessKind::Failure,
        Status::Skipped | Status::NotAttempted => {
            let mut status = TestCaseStatus::skipped();
            status
                .set_type(causes::label_of(case))
                .set_message(case.message.as_str());
            return status;
        }
    };
    let mut status = TestCaseStatus::non_success(kind);
    status
        .set_type(causes::label_of(case))
        .set_message(causes::summary(case))
        .set_description(format!("{}\n{}", case.message, case.output));
    status
}
