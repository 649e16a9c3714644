//! Running a check where the code under test cannot tell which check it is. libtest runs
//! each test on a thread named after the test, so `thread::current().name()` in the
//! student's code would give the check away, and an answer could behave one way under
//! one check and another way under the next. Every check runs its body through
//! [`anonymously`] (or [`anonymously_async`]): on a thread with no name, as a thread
//! that the student's own code spawns would have.

use std::future::Future;
use std::panic;

/// Runs `check`, a check's whole body, on a thread of its own with no name, and returns
/// what it returns. A panic in it is passed on unchanged: the panic hook has already
/// printed it with its place, on that thread, so the test fails with the check's own
/// message and location.
pub fn anonymously<R: Send>(check: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| {
        let body = std::thread::Builder::new()
            .spawn_scoped(scope, check)
            .expect("a thread to run the check on");
        body.join()
            .unwrap_or_else(|payload| panic::resume_unwind(payload))
    })
}

/// The clock of the runtime that [`anonymously_async`] runs a check on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// tokio's clock, paused: time jumps to the next timer whenever every task waits,
    /// as with `#[tokio::test(start_paused = true)]`.
    Paused,
    /// Real time, as with `#[tokio::test]`.
    Running,
}

/// Runs the future that `check` makes on a current-thread tokio runtime with every driver
/// on (what `#[tokio::test]` builds), the whole on a thread with no name, as
/// [`anonymously`] does.
pub fn anonymously_async<F>(clock: Clock, check: impl FnOnce() -> F + Send) -> F::Output
where
    F: Future,
    F::Output: Send,
{
    anonymously(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(clock == Clock::Paused)
            .build()
            .expect("a tokio runtime for the check")
            .block_on(check())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The checks under `tests/` whose `#[test]` functions do not run their body through
    /// [`anonymously`] or [`anonymously_async`], each as `file:line` of the function. A
    /// check's loom models are left out: under the `loom` feature the exercise reaches
    /// threads only through the shim, whose threads are loom's, and have no name.
    fn checks_not_run_anonymously(tests: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let Ok(entries) = std::fs::read_dir(tests) else {
            return vec![format!("{}: not a folder of checks", tests.display())];
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path().join("main.rs"))
            .filter(|file| file.is_file())
            .collect();
        files.sort();
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap_or_default();
            for line in tests_not_run_anonymously(&source) {
                found.push(format!("{}:{line}", file.display()));
            }
        }
        found
    }

    /// The lines of the `#[test]` functions of a check's source (formatted by rustfmt) whose
    /// body does not start with `anonymously(` or `anonymously_async(`, outside the modules
    /// under `#[cfg(feature = "loom")]`.
    fn tests_not_run_anonymously(source: &str) -> Vec<usize> {
        let lines: Vec<&str> = source.lines().collect();
        let mut found = Vec::new();
        let mut in_loom_module = false;
        for (index, line) in lines.iter().enumerate() {
            let previous = index.checked_sub(1).map(|before| lines[before].trim());
            if line.starts_with("mod ") && previous == Some("#[cfg(feature = \"loom\")]") {
                in_loom_module = true;
            } else if *line == "}" {
                in_loom_module = false;
            }
            let is_test =
                matches!(line.trim(), "#[test]") || line.trim().starts_with("#[tokio::test");
            if in_loom_module || !is_test {
                continue;
            }
            let body_starts = lines[index + 1..]
                .iter()
                .skip_while(|line| !line.trim_end().ends_with('{'))
                .nth(1)
                .map(|first| first.trim_start());
            let anonymous = body_starts.is_some_and(|first| {
                first.starts_with("anonymously(") || first.starts_with("anonymously_async(")
            });
            if !anonymous {
                found.push(index + 1);
            }
        }
        found
    }

    #[test]
    fn the_check_runs_on_a_thread_without_a_name() {
        let test_thread = std::thread::current().name().map(str::to_owned);
        assert!(
            test_thread.is_some_and(|name| name.contains("without_a_name")),
            "libtest names the thread of a test after the test"
        );
        let name = || std::thread::current().name().map(str::to_owned);
        assert_eq!(anonymously(name), None);
        assert_eq!(anonymously_async(Clock::Paused, || async { name() }), None);
    }

    #[test]
    fn a_check_returns_its_value_and_its_panic_unchanged() {
        assert_eq!(anonymously(|| 7), 7);
        crate::check::quiet_deliberate_panics();
        let failed = panic::catch_unwind(|| {
            anonymously(|| -> u8 { panic::panic_any(crate::check::DeliberatePanic) })
        });
        let payload = failed.expect_err("the check's panic reaches the test");
        assert!(payload.is::<crate::check::DeliberatePanic>());
    }

    #[test]
    fn the_paused_clock_jumps_and_the_running_one_does_not() {
        let waited = |clock| {
            anonymously_async(clock, || async {
                let start = std::time::Instant::now();
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                start.elapsed()
            })
        };
        assert!(waited(Clock::Paused) < std::time::Duration::from_secs(60));
        let real = anonymously_async(Clock::Running, || async {
            let start = tokio::time::Instant::now();
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            start.elapsed()
        });
        assert!(real >= std::time::Duration::from_millis(20));
    }

    #[test]
    fn a_test_that_does_not_run_anonymously_is_found() {
        let source = "\
#[test]
fn plain() {
    anonymously(|| {
        check();
    })
}

#[tokio::test]
async fn named() {
    exercise::call().await;
}

#[cfg(feature = \"loom\")]
mod models {
    #[test]
    fn model() {
        loom::model(|| ());
    }
}

#[test]
fn also_named() {
    exercise::call();
}
";
        assert_eq!(tests_not_run_anonymously(source), vec![8, 21]);
    }

    #[test]
    fn every_check_of_the_kit_runs_anonymously() {
        let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let found: Vec<String> = checks_not_run_anonymously(&tests);
        assert!(
            found.is_empty(),
            "these checks run their body on the thread libtest names after the test, so the \
             code under test can tell which check runs it; wrap the body in \
             `threadlings::check::anonymously(|| {{ … }})`:\n{}",
            found.join("\n")
        );
    }
}
