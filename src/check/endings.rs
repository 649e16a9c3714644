//! How a call that a check makes ended: it returned, it panicked, or it was still
//! running when patience ran out. A check runs the call on a helper thread, so that it
//! can explain a hang in its own words before the runner's timeout ends the test.

use std::any::Any;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::panics::{panic_text, quiet_deliberate_panics, quiet_panics_on_this_thread};
use super::rendezvous::PATIENCE;

/// Runs `work` on a helper thread and waits at most `patience` for it to return.
/// `None` means it had not returned by then (it is left running), so a check can
/// explain a hang in its own words before the runner's timeout ends the test.
///
/// A panic in `work` is not a hang: it is resumed on the calling thread as soon as it
/// happens, with its own payload, so the check fails with the work's own message (the
/// helper thread has already printed it, with the place where it happened).
pub fn returns_within<T: Send + 'static>(
    patience: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    reported_within(patience, move |report| {
        let _ = report.send(panic::catch_unwind(AssertUnwindSafe(work)));
    })
}

/// Waits at most `patience` for the thread of `handle` to end, and gives what it
/// returned: `None` when it was still running then (it is left running), so that a
/// check can explain a hang in its own words. A panic that ended the thread is resumed
/// on the calling thread, with its own payload (the thread has already printed it).
pub fn joins_within<T: Send + 'static>(patience: Duration, handle: JoinHandle<T>) -> Option<T> {
    returns_within(patience, move || {
        handle
            .join()
            .unwrap_or_else(|payload| panic::resume_unwind(payload))
    })
}

/// Runs `work` on a thread of its own, handing it a sender on which it reports its result
/// or its panic, and waits at most `patience` for that report: `None` when none came by
/// then. A reported panic is resumed on the calling thread, with its own payload. What
/// `work` does after it has reported, the caller does not wait for.
pub(super) fn reported_within<T: Send + 'static>(
    patience: Duration,
    work: impl FnOnce(mpsc::Sender<std::thread::Result<T>>) + Send + 'static,
) -> Option<T> {
    let (report, reported) = mpsc::channel();
    std::thread::spawn(move || work(report));
    match reported.recv_timeout(patience) {
        Ok(Ok(value)) => Some(value),
        Ok(Err(payload)) => panic::resume_unwind(payload),
        Err(_) => None,
    }
}

/// How a call that was given work ended, as seen by [`ending_within`].
#[derive(Debug)]
pub enum Ending<R> {
    /// It returned this value.
    Returned(R),
    /// It panicked with this payload.
    Panicked(Box<dyn Any + Send>),
    /// It had not ended when patience ran out (it is left running).
    StillRunning,
}

/// Runs `call` on a helper thread and tells how it ended within `patience`: returned,
/// panicked (with the payload, so that a check can tell the work's own panic from one
/// the call made up), or still running. A panic on that thread is not printed: the
/// check reports it in its own words. Deliberate panics stay quiet everywhere.
pub fn ending_within<R: Send + 'static>(
    patience: Duration,
    call: impl FnOnce() -> R + Send + 'static,
) -> Ending<R> {
    quiet_deliberate_panics();
    let caught = || {
        quiet_panics_on_this_thread();
        panic::catch_unwind(AssertUnwindSafe(call))
    };
    match returns_within(patience, caught) {
        Some(Ok(value)) => Ending::Returned(value),
        Some(Err(payload)) => Ending::Panicked(payload),
        None => Ending::StillRunning,
    }
}

/// Runs `call`, which runs work that panics, and returns the panic that reached the
/// caller, to compare with the work's own. Fails, saying so, when `call` (named `name`
/// in the message) returned instead, or had not returned after [`PATIENCE`], as a call
/// does that waits for a result that a thread that panicked never delivers.
pub fn panic_reaching_the_caller<R: fmt::Debug + Send + 'static>(
    name: &str,
    call: impl FnOnce() -> R + Send + 'static,
) -> Box<dyn Any + Send> {
    the_panic_of(
        PATIENCE,
        call,
        |value| {
            format!(
                "expected the work's panic to reach the caller of `{name}`, but `{name}` \
                 returned {value:?}"
            )
        },
        || {
            format!(
                "expected the work's panic to reach the caller of `{name}`, but `{name}` had \
                 not returned after {PATIENCE:?}: it waits for a result that a thread that \
                 panicked never delivers. `join` returns `Err(payload)` when the thread \
                 panicked."
            )
        },
    )
}

/// Runs `work`, a call of the function named `call` during which `panicked` (say,
/// "a task") panics with the text `expected`, and checks that the call passes that
/// panic on unchanged, as `std::panic::resume_unwind` does with what `join` returns. It
/// fails, saying what was seen, when the call returns instead (the panic was lost), when
/// it panics with another payload (an `unwrap` or `expect` on the `join` replaced it),
/// and when it has done neither after `patience`. Its messages never quote `expected`,
/// which [`quiet_deliberate_panics`] would hide if it says "on purpose".
pub fn assert_passes_the_panic_on<T: fmt::Debug + Send + 'static>(
    call: &str,
    panicked: &str,
    expected: &str,
    patience: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) {
    let payload = the_panic_of(
        patience,
        work,
        |returned| {
            format!(
                "expected `{call}` to panic, because {panicked} panicked, but it returned \
                 {returned:?}: the panic was lost. Join the thread (`join` returns \
                 `Err(payload)` for a thread that panicked) and pass the panic on with \
                 `std::panic::resume_unwind`."
            )
        },
        || {
            format!(
                "{panicked} panicked, but {patience:?} later `{call}` had neither returned \
                 nor panicked: is something still waiting, for a thread that never ends or \
                 on a channel whose `Sender` is still alive?"
            )
        },
    );
    let seen = panic_text(&*payload);
    assert!(
        seen == Some(expected),
        "expected `{call}` to panic with the panic of {panicked}, its payload passed on \
         unchanged, but it panicked with {}: `unwrap` or `expect` on a `join`, and a \
         `thread::scope` left to join a thread that panicked, replace the panic with one of \
         their own. Pass on the payload that `join` returns in `Err` with \
         `std::panic::resume_unwind`.",
        seen.map_or("a payload that is not text".to_owned(), |seen| format!(
            "{seen:?}"
        ))
    );
}

/// The panic that ended `call` within `patience`: what [`panic_reaching_the_caller`] and
/// [`assert_passes_the_panic_on`] observe. A call that returned fails the check with the
/// message `returned` makes of its value; one still running, with `still_running`'s.
/// That failure names the place of the caller, next to its messages.
#[track_caller]
fn the_panic_of<R: Send + 'static>(
    patience: Duration,
    call: impl FnOnce() -> R + Send + 'static,
    returned: impl FnOnce(R) -> String,
    still_running: impl FnOnce() -> String,
) -> Box<dyn Any + Send> {
    match ending_within(patience, call) {
        Ending::Panicked(payload) => payload,
        Ending::Returned(value) => panic!("{}", returned(value)),
        Ending::StillRunning => panic!("{}", still_running()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::panics::DeliberatePanic;
    use super::*;

    #[test]
    fn a_panic_in_the_work_is_that_panic_not_a_hang() {
        quiet_deliberate_panics();
        // Patience far beyond the test's timeout: only the panic can end the wait.
        let outcome = std::panic::catch_unwind(|| {
            returns_within(Duration::from_secs(3600), || -> u8 {
                panic!("on purpose: the work failed")
            })
        });
        let payload = outcome.expect_err("expected the work's panic, but it returned");
        assert_eq!(panic_text(&*payload), Some("on purpose: the work failed"));

        let outcome = std::panic::catch_unwind(|| {
            returns_within(PATIENCE, || -> u8 {
                std::panic::panic_any(DeliberatePanic)
            })
        });
        let payload = outcome.expect_err("expected the work's panic, but it returned");
        assert!(payload.is::<DeliberatePanic>(), "the payload was replaced");
    }

    #[test]
    fn work_that_does_not_return_in_time_gives_none() {
        assert_eq!(returns_within(PATIENCE, || 7), Some(7));
        let (_keep_open, never) = mpsc::channel::<()>();
        assert_eq!(
            returns_within(Duration::from_millis(50), move || never.recv().ok()),
            None
        );
    }

    #[test]
    fn joining_gives_the_threads_value_its_panic_or_none_while_it_runs() {
        quiet_deliberate_panics();
        assert_eq!(joins_within(PATIENCE, std::thread::spawn(|| 7)), Some(7));
        let panicked = std::thread::spawn(|| -> u8 { std::panic::panic_any(DeliberatePanic) });
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| joins_within(PATIENCE, panicked)));
        let payload = outcome.expect_err("expected the thread's panic, but it returned");
        assert!(payload.is::<DeliberatePanic>(), "the payload was replaced");
        let (_keep_open, never) = mpsc::channel::<()>();
        let running = std::thread::spawn(move || never.recv().ok());
        assert_eq!(joins_within(Duration::from_millis(50), running), None);
    }

    #[test]
    fn ending_within_tells_a_return_a_panic_and_a_hang_apart() {
        assert!(matches!(ending_within(PATIENCE, || 7), Ending::Returned(7)));
        let work = || -> u8 {
            quiet_panics_on_this_thread();
            panic!("the work failed")
        };
        match ending_within(PATIENCE, work) {
            Ending::Panicked(payload) => {
                assert_eq!(panic_text(&*payload), Some("the work failed"));
            }
            other => panic!("expected the panic, got {other:?}"),
        }
        // A deliberate panic that the work does not quiet itself is caught all the same.
        match ending_within(PATIENCE, || -> u8 { panic!("on purpose: a test") }) {
            Ending::Panicked(payload) => {
                assert_eq!(panic_text(&*payload), Some("on purpose: a test"));
            }
            other => panic!("expected the panic, got {other:?}"),
        }
        let (_keep_open, never) = mpsc::channel::<()>();
        assert!(matches!(
            ending_within(Duration::from_millis(50), move || never.recv().ok()),
            Ending::StillRunning
        ));
    }

    #[test]
    fn the_panic_reaching_the_caller_is_the_calls_own() {
        let call = || -> u8 { std::panic::panic_any(DeliberatePanic) };
        assert!(panic_reaching_the_caller("call", call).is::<DeliberatePanic>());
        let returned = std::panic::catch_unwind(|| panic_reaching_the_caller("call", || 7));
        let failure = returned.expect_err("a call that returns fails the check");
        assert!(panic_text(&*failure).is_some_and(|text| text.contains("returned 7")));
    }

    #[test]
    fn a_panic_passed_on_unchanged_passes_and_anything_else_fails() {
        quiet_deliberate_panics();
        let expected = "on purpose: the work failed";
        let fails = |work: Box<dyn FnOnce() -> u8 + Send>| {
            panic::catch_unwind(AssertUnwindSafe(|| {
                assert_passes_the_panic_on("work", "the work", expected, PATIENCE, work)
            }))
            .is_err()
        };
        assert_passes_the_panic_on("work", "the work", expected, PATIENCE, move || -> u8 {
            panic!("{expected}")
        });
        assert!(fails(Box::new(|| 7)), "a call that returns loses the panic");
        assert!(
            fails(Box::new(|| panic!("replaced"))),
            "a call that panics with another payload replaces the panic"
        );
        let (_keep_open, never) = mpsc::channel::<u8>();
        assert!(
            panic::catch_unwind(|| {
                assert_passes_the_panic_on(
                    "work",
                    "the work",
                    expected,
                    Duration::from_millis(50),
                    move || never.recv().ok(),
                )
            })
            .is_err(),
            "a call that does not end has not passed the panic on"
        );
    }
}
