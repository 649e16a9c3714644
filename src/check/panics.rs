//! Panics a check causes on purpose: their payload, their text, and keeping them out of
//! the output, so that the first panic a student reads is the check that failed.

use std::any::Any;
use std::cell::Cell;
use std::panic;
use std::sync::Once;

/// The payload of a panic a check causes on purpose, when it must not be text (a check
/// of how code handles a non-text panic, say).
#[derive(Debug)]
pub struct DeliberatePanic;

/// The text of a panic's payload: `panic!` gives a `&str` or a `String`.
pub fn panic_text(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// Keeps the panics a check causes on purpose out of the output, so that the first
/// panic a student reads is the check that failed: a panic is deliberate when its
/// payload is a [`DeliberatePanic`] or its text contains "on purpose". Every other panic
/// is reported as usual (but for those on the thread of an
/// [`ending_within`](super::ending_within), which hands them to the check). Installs the
/// hook once per process.
pub fn quiet_deliberate_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let report = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let deliberate = payload.is::<DeliberatePanic>()
                || panic_text(payload).is_some_and(|text| text.contains("on purpose"))
                || PANICS_GO_TO_THE_CHECK.get()
                || EXPLAINED_BY_THE_CHECK.get().is_some_and(|explained| {
                    panic_text(payload).is_some_and(|text| text.contains(explained))
                });
            if !deliberate {
                report(info);
            }
        }));
    });
}

thread_local! {
    /// Set on a thread whose panics are handed to the check, which explains them.
    static PANICS_GO_TO_THE_CHECK: Cell<bool> = const { Cell::new(false) };
    /// Set while [`catch_explained_panic`] runs: the text of this thread's panics that
    /// the check explains itself.
    static EXPLAINED_BY_THE_CHECK: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Keeps the panics of the calling thread out of the output, whatever their payload:
/// for work that a check hands to the code under test and that panics on purpose, when
/// the check reports itself what became of the panic (and may quote its message, which
/// then must not be mistaken for a deliberate panic).
pub fn quiet_panics_on_this_thread() {
    quiet_deliberate_panics();
    PANICS_GO_TO_THE_CHECK.set(true);
}

/// Runs `run` and catches its panic, keeping out of the output the panics of the calling
/// thread whose text contains `explained`: the caller explains those in its own words.
/// Other panics are reported, or kept quiet, as [`quiet_deliberate_panics`] says.
#[cfg(feature = "loom")]
pub(super) fn catch_explained_panic<R>(
    explained: &'static str,
    run: impl FnOnce() -> R,
) -> std::thread::Result<R> {
    quiet_deliberate_panics();
    EXPLAINED_BY_THE_CHECK.set(Some(explained));
    let caught = panic::catch_unwind(panic::AssertUnwindSafe(run));
    EXPLAINED_BY_THE_CHECK.set(None);
    caught
}
