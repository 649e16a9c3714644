//! Running the tests of a libtest executable, each in its own process, and judging
//! each from the harness's own report, never from the exit code alone: student code
//! can call `process::exit(0)` or print lines that look like the harness's.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::model::location::{Location, normalize};
use crate::model::outcome::{CaseResult, Status};
use crate::os::process::{self, Finished};
use crate::os::sandbox::Sandbox;

/// Lines of a hung or crashed program's output shown with its verdict.
const TAIL_LINES: usize = 15;

/// The names of the tests in `executable`.
pub fn list(executable: &Path) -> Result<Vec<String>, String> {
    let mut command = Command::new(executable);
    command.args(["--list", "--format", "terse"]);
    let finished = process::run(command, Duration::from_secs(30))?;
    if !finished.success() {
        return Err(format!(
            "listing the tests of {} failed ({}):\n{}",
            executable.display(),
            finished.describe_status(),
            process::last_lines(&finished.stderr, TAIL_LINES)
        ));
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
    let finished = match process::run(command, timeout) {
        Ok(finished) => finished,
        Err(err) => return CaseResult::failure(name, Status::Fail, err),
    };
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    judge(name, &finished, &logged, timeout)
}

fn judge(name: &str, finished: &Finished, logged: &str, timeout: Duration) -> CaseResult {
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
            Status::Timeout,
            format!(
                "timed out after {} s — likely a deadlock or a thread that never finishes",
                timeout.as_secs()
            ),
        )
        .with_output(tail(finished))
    } else if finished.ending == process::Ending::Flooded {
        CaseResult::failure(
            name,
            Status::Fail,
            format!(
                "the test printed more than {} MiB of output and was stopped: print less, or only \
                 what a failing check needs",
                process::OUTPUT_LIMIT >> 20
            ),
        )
        .with_output(tail(finished))
    } else if harness_says("ok") && summary_passed && finished.success() {
        CaseResult::pass(name, finished.duration)
    } else if harness_says("failed") || logged.lines().any(|line| line.starts_with("failed: ")) {
        // (A `should_panic` test whose panic had the wrong message is logged as
        // `failed: panic did not contain expected string`, without its name.)
        let (message, location) = panic_message(&finished.stderr);
        CaseResult::failure(name, Status::Fail, message)
            .with_location(location)
            .with_output(process::last_lines(
                &program_output(&finished.stdout, name),
                TAIL_LINES,
            ))
    } else {
        let why = if finished.success() {
            "the test process exited with code 0 before the test harness reported a result, so the test \
             did not pass: something ended the process early (`std::process::exit`?). A test passes only \
             when the harness itself reports it passed."
                .to_string()
        } else {
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
            // What panicked first says most (a loom deadlock, say, ends in an abort
            // while it is being reported); the tail may show only the abort.
            if finished.stderr.contains("panicked at ") {
                why.push('\n');
                why.push_str(&panic_message(&finished.stderr).0);
            }
            why
        };
        CaseResult::failure(name, Status::Fail, why).with_output(tail(finished))
    };
    result.duration = finished.duration;
    result
}

/// The panic messages the test printed, and where the first panic happened.
fn panic_message(stderr: &str) -> (String, Option<Location>) {
    let mut messages = Vec::new();
    let mut location = None;
    let mut lines = stderr.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((_, place)) = line.split_once("panicked at ") else {
            continue;
        };
        let place = place.trim_end_matches(':');
        if location.is_none() {
            location = Location::parse(place);
        }
        let mut message = Vec::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("note: ")
                || next.starts_with("thread '")
                || next.starts_with("stack backtrace")
            {
                break;
            }
            message.push(*next);
            lines.next();
        }
        // The message first: it is what a one-line summary shows.
        messages.push(format!(
            "{}\n(panicked at {})",
            message.join("\n").trim_end(),
            normalize(place)
        ));
    }
    if messages.is_empty() {
        return (
            format!(
                "the test failed without a panic message:\n{}",
                process::last_lines(stderr, TAIL_LINES)
            ),
            None,
        );
    }
    (messages.join("\n\n"), location)
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
    let stderr: Vec<&str> = finished
        .stderr
        .lines()
        .filter(|line| !line.contains("`--logfile` is deprecated"))
        .collect();
    let errors = process::last_lines(&stderr.join("\n"), TAIL_LINES);
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
