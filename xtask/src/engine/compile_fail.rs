//! The compile-fail check. trybuild compiles each case against a scratch copy of the
//! kit (`TRYBUILD=overwrite` writes what the compiler said next to the copy, never into
//! the student's `tests/`); the verdict is read from the error codes it reports and
//! where they point, not from a whole-stderr snapshot, which would name the student's
//! own types and change with every rustc release.
//!
//! A case is a small file `tests/<exercise>/compile_fail/<case>.rs` whose comment says
//! what it checks, with a line `// expect: E0277` naming the error code(s) it must fail
//! with. A few errors have no code (`tokio::spawn` of a future that is not `Send`); a
//! case names those by a quoted part of the message instead:
//! `// expect: "future cannot be sent between threads safely"`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use crate::model::kit::{relative_to, slashed};
use crate::model::location::Location;
use crate::model::outcome::{CaseResult, Cause};
use crate::os::process;
use crate::os::sandbox::BuildSandbox;

/// The first build of the dependencies for trybuild can take minutes on two cores.
const HARNESS_TIMEOUT: Duration = Duration::from_secs(900);

/// The hidden subcommand that runs trybuild in a process of its own.
pub const HARNESS_COMMAND: &str = "compile-fail-harness";

/// One thing a case may be rejected with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// An error code: `// expect: E0277, E0599`.
    Code(String),
    /// A part of an error's message, for errors without a code: `// expect: "..."`.
    Message(String),
}

impl Expected {
    /// Whether a reported error is this one.
    fn matches(&self, error: &Reported) -> bool {
        match self {
            Expected::Code(code) => error.code.as_deref() == Some(code),
            Expected::Message(message) => error.headline.contains(message.as_str()),
        }
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::Code(code) => f.write_str(code),
            Expected::Message(message) => write!(f, "\"{message}\""),
        }
    }
}

/// What a case must be rejected with, from its `// expect:` lines.
pub fn expectations(case_source: &str) -> Vec<Expected> {
    let mut expected = Vec::new();
    for line in case_source.lines() {
        let Some(value) = line.trim().strip_prefix("// expect:").map(str::trim) else {
            continue;
        };
        match value.strip_prefix('"') {
            Some(quoted) => expected.push(Expected::Message(
                quoted.strip_suffix('"').unwrap_or(quoted).to_string(),
            )),
            None => expected.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|code| !code.is_empty())
                    .map(|code| Expected::Code(code.to_string())),
            ),
        }
    }
    expected
}

/// `E0277 or "a message"`, as a verdict names what was expected.
fn either(expected: &[Expected]) -> String {
    let named: Vec<String> = expected.iter().map(Expected::to_string).collect();
    named.join(" or ")
}

/// Runs trybuild over `cases` (paths inside the scratch tree `tree`), in a child
/// process, and judges each case.
/// `harness` is an executable with the hidden harness subcommand: the runner itself.
pub fn run(
    harness: &Path,
    sandbox: &BuildSandbox,
    tree: &Path,
    target_dir: &Path,
    cases: &[PathBuf],
) -> anyhow::Result<Vec<CaseResult>> {
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let mut command = sandbox.command(harness.as_os_str());
    command
        .arg(HARNESS_COMMAND)
        .args(cases)
        .current_dir(tree)
        .env("CARGO_MANIFEST_DIR", tree)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("TRYBUILD", "overwrite")
        .env_remove("RUSTFLAGS");
    let finished = process::run(command, HARNESS_TIMEOUT)?;
    if finished.timed_out() {
        bail!(
            "trybuild did not finish within {} s",
            HARNESS_TIMEOUT.as_secs()
        );
    }
    let report = format!("{}\n{}", finished.stdout, finished.stderr);
    let mut results = Vec::new();
    for case in cases {
        let source = std::fs::read_to_string(case)
            .with_context(|| format!("cannot read {}", case.display()))?;
        let relative = slashed(case.strip_prefix(tree).unwrap_or(case));
        // trybuild writes absolute paths for a case under the target directory (with
        // `/` on every system); the student reads them relative to the kit.
        let stderr = std::fs::read_to_string(case.with_extension("stderr"))
            .ok()
            .map(|text| relative_to(&text, tree));
        results.push(judge(&relative, &source, stderr.as_deref(), &report));
    }
    Ok(results)
}

/// Runs trybuild itself: the body of the hidden subcommand.
pub fn harness(cases: &[PathBuf]) {
    let tests = trybuild::TestCases::new();
    for case in cases {
        tests.compile_fail(case);
    }
}

/// One error the compiler reported for a case.
#[derive(Debug)]
struct Reported {
    code: Option<String>,
    headline: String,
    /// As trybuild normalized it: `$DIR/case.rs` for the case itself.
    location: Option<Location>,
}

fn judge(relative: &str, source: &str, stderr: Option<&str>, report: &str) -> CaseResult {
    let expected = expectations(source);
    let purpose = purpose(source);
    let case_file = Path::new(relative)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(stderr) = stderr else {
        let message = if report.contains("but it succeeded") {
            format!(
                "this code must be rejected with {}: {purpose}",
                either(&expected)
            )
        } else {
            format!(
                "trybuild did not report on this case:\n{}",
                process::last_lines(report, 20)
            )
        };
        let cause = if report.contains("but it succeeded") {
            Cause::Compiled
        } else {
            Cause::NotChecked
        };
        return CaseResult::failure(relative, cause, message)
            .with_location(Some(Location::new(relative, 1)));
    };
    let errors = parse_errors(stderr);
    let in_case = |error: &Reported| {
        error.location.as_ref().is_some_and(|location| {
            location.file == format!("$DIR/{case_file}") || location.file == relative
        })
    };
    let elsewhere: Vec<&Reported> = errors.iter().filter(|error| !in_case(error)).collect();
    if let Some(first) = elsewhere.first() {
        return CaseResult::failure(
            relative,
            Cause::DoesNotCompile,
            format!(
                "the exercise does not compile, so this case cannot check it: {}",
                first.headline
            ),
        )
        .with_location(first.location.clone())
        .with_output(stderr.trim().to_string());
    }
    if errors
        .iter()
        .any(|error| expected.iter().any(|want| want.matches(error)))
    {
        return CaseResult::pass(relative, Duration::ZERO);
    }
    let found: Vec<&str> = errors
        .iter()
        .map(|error| error.code.as_deref().unwrap_or(&error.headline))
        .collect();
    CaseResult::failure(
        relative,
        Cause::RejectedOtherwise,
        format!(
            "expected {}, but the compiler reported {}. {purpose}",
            either(&expected),
            found.join(", ")
        ),
    )
    .with_location(Some(Location::new(relative, 1)))
    .with_output(stderr.trim().to_string())
}

fn parse_errors(stderr: &str) -> Vec<Reported> {
    let mut errors: Vec<Reported> = Vec::new();
    let mut expecting_location = false;
    for line in stderr.lines() {
        let summary = line.starts_with("error: aborting due to")
            || line.starts_with("error: could not compile");
        if let Some(rest) = line.strip_prefix("error").filter(|_| !summary) {
            let code = rest
                .strip_prefix('[')
                .and_then(|rest| rest.split_once(']'))
                .map(|(code, _)| code.to_string());
            errors.push(Reported {
                code,
                headline: line.to_string(),
                location: None,
            });
            expecting_location = true;
        } else if expecting_location && let Some(location) = line.trim_start().strip_prefix("--> ")
        {
            if let Some(last) = errors.last_mut() {
                last.location = Location::parse(location);
            }
            expecting_location = false;
        }
    }
    errors
}

/// The case's opening comment: what it checks and why.
fn purpose(source: &str) -> String {
    let lines: Vec<&str> = source
        .lines()
        .map_while(|line| line.trim().strip_prefix("//"))
        .map(str::trim)
        .filter(|line| !line.starts_with("expect:") && !line.is_empty())
        .collect();
    lines.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::outcome::Status;

    const CASE: &str = "// A SpinLock of a non-Send value must not be shared between threads.\n// expect: E0277\nfn main() {}\n";

    #[test]
    fn the_expected_code_in_the_case_passes() {
        let stderr = "error[E0277]: `Rc<i32>` cannot be sent between threads safely\n  --> tests/x/compile_fail/rc.rs:9:5\n   |\n";
        let result = judge("tests/x/compile_fail/rc.rs", CASE, Some(stderr), "");
        assert_eq!(result.status, Status::Pass, "{}", result.message);
    }

    #[test]
    fn a_case_that_compiles_fails_with_its_purpose() {
        let result = judge(
            "tests/x/compile_fail/rc.rs",
            CASE,
            None,
            "Expected test case to fail to compile, but it succeeded.",
        );
        assert_eq!(result.cause, Some(Cause::Compiled));
        assert!(
            result.message.contains("E0277") && result.message.contains("must not be shared"),
            "{}",
            result.message
        );
    }

    #[test]
    fn another_error_code_fails() {
        let stderr = "error[E0308]: mismatched types\n  --> $DIR/rc.rs:9:5\n";
        let result = judge("tests/x/compile_fail/rc.rs", CASE, Some(stderr), "");
        assert_eq!(result.cause, Some(Cause::RejectedOtherwise));
        assert!(result.message.contains("E0308"), "{}", result.message);
    }

    #[test]
    fn an_error_without_a_code_is_matched_by_its_message() {
        let case = "// A guard held across an await makes the task not Send.\n// expect: \"future cannot be sent between threads safely\"\nfn main() {}\n";
        let stderr = "error: future cannot be sent between threads safely\n  --> tests/x/compile_fail/rc.rs:9:5\n";
        let result = judge("tests/x/compile_fail/rc.rs", case, Some(stderr), "");
        assert_eq!(result.status, Status::Pass, "{}", result.message);
        let other =
            "error: lifetime may not live long enough\n  --> tests/x/compile_fail/rc.rs:9:5\n";
        let result = judge("tests/x/compile_fail/rc.rs", case, Some(other), "");
        assert_eq!(result.status, Status::Fail, "{}", result.message);
    }

    #[test]
    fn expectations_are_codes_or_quoted_messages() {
        let case = "// What it checks.\n// expect: E0277, E0599\n// expect: \"cannot be sent\"\nfn main() {}\n";
        assert_eq!(
            expectations(case),
            [
                Expected::Code("E0277".into()),
                Expected::Code("E0599".into()),
                Expected::Message("cannot be sent".into()),
            ]
        );
        assert_eq!(
            either(&expectations(case)),
            "E0277 or E0599 or \"cannot be sent\""
        );
    }

    #[test]
    fn an_error_in_the_exercise_is_a_compile_error_where_it_is() {
        let stderr = "error[E0599]: no method named `join`\n  --> tests/x/compile_fail/../../../exercises/01_a/x.rs:3:1\n";
        let result = judge("tests/x/compile_fail/rc.rs", CASE, Some(stderr), "");
        assert_eq!(result.status, Status::CompileError, "{}", result.message);
        assert_eq!(
            result.location,
            Some(Location::new("exercises/01_a/x.rs", 3))
        );
    }

    #[test]
    fn line_endings_change_no_verdict_and_no_location() {
        let crlf = |text: &str| text.replace('\n', "\r\n");
        let passing =
            "error[E0277]: `Rc<i32>` cannot be sent between threads safely\n  --> $DIR/rc.rs:9:5\n";
        let in_exercise = "error[E0599]: no method\n  --> tests/x/compile_fail/../../../exercises/01_a/x.rs:3:1\n";
        for stderr in [passing, in_exercise] {
            let unix = judge("tests/x/compile_fail/rc.rs", CASE, Some(stderr), "");
            let windows = judge(
                "tests/x/compile_fail/rc.rs",
                &crlf(CASE),
                Some(&crlf(stderr)),
                "",
            );
            assert_eq!(windows.status, unix.status, "{}", windows.message);
            assert_eq!(windows.location, unix.location);
            assert_eq!(windows.message, unix.message);
        }
    }

    #[test]
    fn an_error_in_the_exercise_is_a_compile_error() {
        let stderr = "error[E0277]: oops\n  --> tests/x/compile_fail/../../../exercises/01_article/spin_lock.rs:3:1\n";
        let result = judge("tests/x/compile_fail/rc.rs", CASE, Some(stderr), "");
        assert_eq!(result.status, Status::CompileError, "{}", result.message);
    }
}
