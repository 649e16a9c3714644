//! Running the tests of a libtest executable, each in its own process, and judging
//! each from the harness's own report, never from the exit code alone: student code
//! can call `process::exit(0)` or print lines that look like the harness's.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::panics::{self, Panic};
use crate::model::listing;
use crate::model::outcome::{CaseResult, Cause};
use crate::os::process::{self, Finished};
use crate::os::sandbox::Sandbox;

/// A harness log holds a line per test; this is far more than one test's.
const LOG_CAP: u64 = 1 << 20;

/// Lines of a hung or crashed program's output shown with its verdict.
const TAIL_LINES: usize = 15;

/// The names of the tests in `executable`, listed in `sandbox` when grading: no code of
/// the exercise should run then, but nothing outside the sandbox depends on it.
pub fn list(executable: &Path, sandbox: Option<&Sandbox>) -> anyhow::Result<Vec<String>> {
    let mut command = match sandbox {
        Some(sandbox) => sandbox.command(executable),
        None => Command::new(executable),
    };
    command.args(["--list", "--format", "terse"]);
    let finished = process::run(command, Duration::from_secs(30))?;
    if !finished.success() {
        anyhow::bail!(
            "listing the tests of {} failed ({}):\n{}",
            executable.display(),
            finished.describe_status(),
            process::last_lines(&finished.stderr, TAIL_LINES)
        );
    }
    Ok(finished
        .stdout
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// Runs the one test `name` of `executable` in its own process.
pub fn run(
    executable: &Path,
    name: &str,
    timeout: Duration,
    env: &[(&str, String)],
    env_remove: &[&str],
    sandbox: &Sandbox,
) -> CaseResult {
    // The harness writes a line per finished test to this log. A process that exits
    // before its harness reports (exit(0) in student code) leaves it empty, whatever
    // it printed.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run_id = RUNS.fetch_add(1, Ordering::Relaxed);
    let log = sandbox.scratch.join(format!(
        "{}.{}.{run_id}.log",
        sanitize(name),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&log);
    let mut command = sandbox.command(executable);
    command
        .args([
            "--exact",
            name,
            "--test-threads=1",
            "--nocapture",
            "--logfile",
        ])
        .arg(&log)
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUST_TEST_THREADS");
    for key in env_remove {
        command.env_remove(key);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    let finished = match process::run_writing_in(command, timeout, &sandbox.scratch) {
        Ok(finished) => finished,
        Err(err) => return CaseResult::failure(name, Cause::NotChecked, format!("{err:#}")),
    };
    let logged = listing::read_written_by_a_test(&log, LOG_CAP);
    let _ = std::fs::remove_file(&log);
    judge(name, &finished, &logged, timeout)
}

pub(super) fn judge(
    name: &str,
    finished: &Finished,
    logged: &str,
    timeout: Duration,
) -> CaseResult {
    let harness_says = |verdict: &str| {
        logged
            .lines()
            .any(|line| line == format!("{verdict} {name}"))
    };
    let summary_passed = finished
        .stdout
        .lines()
        .any(|line| line.starts_with("test result: ok. 1 passed; 0 failed"));
    let mut result = if finished.timed_out() {
        CaseResult::failure(
            name,
            Cause::TimedOut,
            format!(
                "stopped after {} s: likely a deadlock or a thread that never finishes",
                timeout.as_secs()
            ),
        )
        .with_output(tail(finished))
    } else if finished.ending == process::Ending::Flooded {
        CaseResult::failure(
            name,
            Cause::Flooded,
            format!(
                "the test printed more than {} MiB of output and was stopped: print less, or only \
                 what a failing check needs",
                process::OUTPUT_LIMIT >> 20
            ),
        )
        .with_output(tail(finished))
    } else if finished.ending == process::Ending::FilledItsFolder {
        CaseResult::failure(
            name,
            Cause::Flooded,
            format!(
                "the test wrote more than {} MiB of files and was stopped: an exercise has no \
                 files to write",
                process::FOLDER_LIMIT >> 20
            ),
        )
        .with_output(tail(finished))
    } else if harness_says("ok") && summary_passed && finished.success() {
        CaseResult::pass(name, finished.duration)
    } else if harness_says("failed") || logged.lines().any(|line| line.starts_with("failed: ")) {
        // (A `should_panic` test whose panic had the wrong message is logged as
        // `failed: panic did not contain expected string`, without its name.)
        failed(name, finished)
    } else {
        ended_before_its_report(name, finished)
    };
    result.duration = finished.duration;
    result
}

/// The verdict on a test its harness reports failed, from the panics it printed: a
/// `todo!()` reached is "not started", a panic in the exercise file is the student's
/// code panicking, any other a check's assertion. The place is the student's line when
/// the panics name one (where a panic happened, or the innermost frame of its
/// backtrace in the exercise), else where the first panic happened.
fn failed(name: &str, finished: &Finished) -> CaseResult {
    let panics = panics::read(&finished.stderr);
    let output = process::last_lines(&program_output(&finished.stdout, name), TAIL_LINES);
    if let Some(todo) = Panic::first_todo(&panics) {
        // The check may have caught the `todo!()`'s panic and quoted it in its own.
        // Whether the exercise file has one is for the runner to confirm, which knows it.
        return CaseResult::failure(name, Cause::NotStarted, panics::describe(&panics))
            .with_location(todo.in_exercise().cloned())
            .with_output(output);
    }
    let Some(first) = panics.first() else {
        let printed = panics::without_kit_lines(&finished.stderr);
        let mut message = "the test failed without a panic message: its panic was kept quiet, \
                           or its payload was not text"
            .to_string();
        if !printed.trim().is_empty() {
            message.push_str(":\n");
            message.push_str(&process::last_lines(&printed, TAIL_LINES));
        }
        return CaseResult::failure(name, Cause::Failed, message).with_output(output);
    };
    let cause = if first.location.as_ref().is_some_and(panics::is_exercise) {
        Cause::Panicked
    } else {
        Cause::AssertionFailed
    };
    // Else the check's line, from which `student` finds the student's code it ran.
    let location = panics
        .iter()
        .find_map(|panic| panic.in_exercise())
        .or_else(|| first.in_checks())
        .or(first.location.as_ref())
        .filter(|location| !panics::is_library(location))
        .cloned();
    CaseResult::failure(name, cause, panics::describe(&panics))
        .with_location(location)
        .with_output(output)
}

/// The verdict on a test process that ended before its harness reported a result: an
/// early `exit(0)`, a crash, a stack overflow, memory run out.
fn ended_before_its_report(name: &str, finished: &Finished) -> CaseResult {
    if finished.success() {
        let why = "the test process exited with code 0 before the test harness reported a result, \
                   so the test did not pass: something ended the process early \
                   (`std::process::exit`?). A test passes only when the harness itself reports it \
                   passed.";
        return CaseResult::failure(name, Cause::ExitedEarly, why).with_output(tail(finished));
    }
    let cause = if finished.stderr.contains("has overflowed its stack") {
        ": the stack overflowed (unbounded recursion?)".to_string()
    } else if finished.stderr.contains("memory allocation of") {
        match crate::os::sandbox::memory_limit() {
            Some(limit) => {
                format!(": it ran out of memory (a test process may use at most {limit})")
            }
            None => ": it ran out of memory".to_string(),
        }
    } else {
        String::new()
    };
    let mut why = format!(
        "the test process ended ({}) before the test harness reported a result{cause}",
        finished.describe_status()
    );
    // What panicked first says most (a loom deadlock, say, ends in an abort while it is
    // being reported); the tail may show only the abort.
    let panics = panics::read(&finished.stderr);
    if !panics.is_empty() {
        why.push('\n');
        why.push_str(&panics::describe(&panics));
    }
    let location = panics.iter().find_map(|panic| panic.in_exercise()).cloned();
    CaseResult::failure(name, Cause::Crashed, why)
        .with_location(location)
        .with_output(tail(finished))
}

/// What the test itself printed, without the harness's own lines around it.
fn program_output(stdout: &str, name: &str) -> String {
    let started = format!("test {name} ... ");
    let mut kept = Vec::new();
    for line in stdout.lines() {
        let line = line.strip_prefix(&started).unwrap_or(line);
        let harness = line.starts_with("running 1 test")
            || line.starts_with("test result: ")
            || line == "failures:"
            || line == format!("    {name}")
            || line == format!("test {name} ... ok")
            || matches!(line, "ok" | "FAILED");
        if !harness {
            kept.push(line.strip_suffix("FAILED").unwrap_or(line));
        }
    }
    kept.join("\n")
}

fn tail(finished: &Finished) -> String {
    let mut tail = process::last_lines(&finished.stdout, TAIL_LINES);
    let errors = process::last_lines(&panics::without_kit_lines(&finished.stderr), TAIL_LINES);
    if !errors.is_empty() {
        if !tail.is_empty() {
            tail.push('\n');
        }
        tail.push_str(&errors);
    }
    tail
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Recorded output of real test processes, for the judges' unit tests.
#[cfg(test)]
pub(super) mod recorded {
    use std::time::Duration;

    use crate::os::process::{Ending, Finished};

    /// How the harness exits when its test failed.
    pub const FAILED: i32 = 101;

    /// A process that exited with `code`.
    pub fn exited(code: i32) -> Ending {
        #[cfg(unix)]
        let status = std::os::unix::process::ExitStatusExt::from_raw(code << 8);
        #[cfg(windows)]
        let status = std::os::windows::process::ExitStatusExt::from_raw(code as u32);
        Ending::Exited(status)
    }

    /// A process killed by SIGABRT, as a panic while panicking ends one on unix.
    #[cfg(unix)]
    pub fn aborted() -> Ending {
        let status: std::process::ExitStatus = std::os::unix::process::ExitStatusExt::from_raw(6);
        Ending::Exited(status)
    }

    pub fn finished(ending: Ending, stdout: &str, stderr: &str) -> Finished {
        Finished {
            ending,
            stdout: stdout.to_string(),
            stderr: stderr.to_string(),
            duration: Duration::from_millis(20),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::recorded::{FAILED, exited, finished};
    use super::*;
    use crate::model::location::Location;
    use crate::model::outcome::Status;
    use crate::os::process::Ending;

    const TIMEOUT: Duration = Duration::from_secs(10);
    const PASSED_STDOUT: &str = "\nrunning 1 test\ntest doubles ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n";
    const FAILED_STDOUT: &str = include_str!("recorded/failing_test.stdout");
    const FAILED_STDERR: &str = include_str!("recorded/failing_test.stderr");

    #[test]
    fn a_test_passes_on_its_exit_its_summary_and_its_log_together() {
        let passed = finished(exited(0), PASSED_STDOUT, "");
        assert_eq!(
            judge("doubles", &passed, "ok doubles\n", TIMEOUT).status,
            Status::Pass
        );
        // Any one of the three missing is no pass.
        let no_log = judge("doubles", &passed, "", TIMEOUT);
        assert_eq!(no_log.status, Status::Fail);
        assert!(
            no_log.message.contains("exited with code 0 before"),
            "{}",
            no_log.message
        );
        let no_summary = finished(exited(0), "test doubles ... ok\n", "");
        assert_eq!(
            judge("doubles", &no_summary, "ok doubles\n", TIMEOUT).status,
            Status::Fail
        );
        let failed_exit = finished(exited(FAILED), PASSED_STDOUT, "");
        assert_eq!(
            judge("doubles", &failed_exit, "ok doubles\n", TIMEOUT).status,
            Status::Fail
        );
        // The log line must name this test.
        assert_eq!(
            judge("doubles", &passed, "ok other\n", TIMEOUT).status,
            Status::Fail
        );
    }

    #[test]
    fn a_failed_assertion_gives_its_message_where_it_failed_and_what_the_test_printed() {
        let failed = finished(exited(FAILED), FAILED_STDOUT, FAILED_STDERR);
        let case = judge("doubles", &failed, "failed doubles\n", TIMEOUT);
        assert_eq!(case.status, Status::Fail);
        assert!(
            case.message.starts_with("expected 21 doubled"),
            "{}",
            case.message
        );
        assert!(
            case.message
                .contains("(panicked at tests/failing_test/main.rs:7:5)"),
            "{}",
            case.message
        );
        assert_eq!(
            case.location,
            Some(Location::new("tests/failing_test/main.rs", 7))
        );
        assert_eq!(case.output, "doubling 21");
    }

    #[test]
    fn a_hang_and_a_flood_are_named_for_what_they_are() {
        let hung = judge("doubles", &finished(Ending::TimedOut, "", ""), "", TIMEOUT);
        assert_eq!(hung.status, Status::Timeout);
        assert!(
            hung.message.contains("stopped after 10 s"),
            "{}",
            hung.message
        );
        let flood = finished(Ending::Flooded, PASSED_STDOUT, "");
        let flooded = judge("doubles", &flood, "ok doubles\n", TIMEOUT);
        assert_eq!(flooded.status, Status::Fail);
        assert!(
            flooded.message.contains("more than 16 MiB"),
            "{}",
            flooded.message
        );
    }

    #[test]
    fn a_process_that_dies_before_the_harness_reports_says_how_it_died() {
        let stderr =
            "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n";
        let case = judge("deep", &finished(exited(134), "", stderr), "", TIMEOUT);
        assert_eq!(case.status, Status::Fail);
        assert!(
            case.message.contains("stack overflowed"),
            "{}",
            case.message
        );
    }

    #[test]
    fn a_todo_reached_is_not_started_at_its_place() {
        let stderr = "thread 'sums' (3) panicked at tests/sum/../../exercises/01_a/sum.rs:9:5:\n\
                      not yet implemented: add them up\n";
        let case = judge(
            "sums",
            &finished(exited(FAILED), "", stderr),
            "failed sums\n",
            TIMEOUT,
        );
        assert_eq!(case.cause, Some(Cause::NotStarted));
        assert_eq!(
            case.location,
            Some(Location::new("exercises/01_a/sum.rs", 9))
        );
    }

    #[test]
    fn a_panic_in_the_exercise_is_the_students_and_one_in_the_checks_an_assertion() {
        let stderr = "thread 'sums' (3) panicked at tests/sum/../../exercises/01_a/sum.rs:9:5:\n\
                      index out of bounds\n";
        let case = judge(
            "sums",
            &finished(exited(FAILED), "", stderr),
            "failed sums\n",
            TIMEOUT,
        );
        assert_eq!(case.cause, Some(Cause::Panicked));
        let failed = finished(exited(FAILED), FAILED_STDOUT, FAILED_STDERR);
        let case = judge("doubles", &failed, "failed doubles\n", TIMEOUT);
        assert_eq!(case.cause, Some(Cause::AssertionFailed));
    }

    #[test]
    fn a_failure_without_a_panic_shows_none_of_the_kits_own_lines() {
        let quiet = finished(exited(FAILED), "", "warning: `--logfile` is deprecated\n");
        let case = judge("quiet", &quiet, "failed quiet\n", TIMEOUT);
        assert!(
            case.message.contains("without a panic message"),
            "{}",
            case.message
        );
        assert!(!case.message.contains("--logfile"), "{}", case.message);
        assert!(!case.output.contains("--logfile"), "{}", case.output);
        assert_eq!(case.location, None);
    }
}
