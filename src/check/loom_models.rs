//! Loom models with a bound on each interleaving's steps, which tells a thread that
//! sleeps from one that polls; and [`Payload`], data whose every access loom sees,
//! however the code under test keeps it. Built only with the `loom` feature.

use super::panics::{catch_explained_panic, panic_text};
use crate::sync::atomic::{AtomicUsize, Ordering};

/// What loom's panic says when an interleaving takes more steps than allowed.
const LOOM_STEP_LIMIT: &str = "maximum number of branches";

/// Explores every interleaving of `model`, as `loom::model` does, but allows each
/// interleaving at most `max_steps` steps (loom's branch points: atomic operations,
/// locks, yields, ...). An interleaving that needs more fails with `too_many`, in place
/// of loom's own message, which blames a loop that does not yield.
///
/// This is how a model tells a thread that sleeps from one that polls: while nothing
/// happens (another thread only yields, `steps` times), a thread blocked on a `Condvar`,
/// `park` or a channel takes no step at all, while a poller takes a few on every turn.
/// Choose `max_steps` well above what the sleeping version needs and well below what a
/// poller needs.
pub fn model_within_steps<F>(max_steps: usize, too_many: &str, model: F)
where
    F: Fn() + Sync + Send + 'static,
{
    let mut builder = loom::model::Builder::new();
    builder.max_branches = max_steps;
    let explored = catch_explained_panic(LOOM_STEP_LIMIT, || builder.check(model));
    if let Err(payload) = explored {
        if panic_text(&*payload).is_some_and(|text| text.contains(LOOM_STEP_LIMIT)) {
            panic!("{too_many}");
        }
        // Any other failure was reported where it happened.
        std::panic::resume_unwind(payload);
    }
}

/// Data for a model of code that guards, publishes or hands over a value: loom sees its
/// every access, however that code keeps it.
///
/// Loom tracks only the accesses made through its own types. A value kept behind a raw
/// pointer (`Box::into_raw`, or a pointer taken out of `UnsafeCell::with_mut` and used
/// later) is invisible to it, so a model over a plain value cannot tell a lock or a
/// flag that orders nothing from one that does. A `Payload` holds its contents in one
/// of loom's atomics, read and written `Relaxed`: those accesses order nothing by
/// themselves, so a read sees a write made on another thread only when the code under
/// test makes the write happen-before the read (a `Release` that an `Acquire` reads);
/// otherwise loom shows the read an older value in some interleaving.
///
/// Loom never shows a thread, after it yields (as a spin loop does), a value it had
/// already seen, and the thread that makes a payload has seen its 0: a read that waits
/// belongs on a thread that did not make the payload.
///
/// Each method is `#[track_caller]`, so a recorded interleaving names the check's line.
#[derive(Debug, Default)]
pub struct Payload(AtomicUsize);

impl Payload {
    /// A payload holding 0. Making it is a write that loom checks too: a thread that
    /// reads a payload made on another thread, with nothing ordering the two, is a data
    /// race.
    #[track_caller]
    pub fn new() -> Self {
        Payload(AtomicUsize::new(0))
    }

    /// Reads the contents, `Relaxed`.
    #[track_caller]
    pub fn read(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    /// Writes `value`, `Relaxed`.
    #[track_caller]
    pub fn write(&self, value: usize) {
        self.0.store(value, Ordering::Relaxed);
    }

    /// Adds one as a critical section would: a read, then a write of one more, two
    /// steps that only a lock's orderings keep from losing another thread's update.
    #[track_caller]
    pub fn increment(&self) {
        let value = self.read();
        self.write(value + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_within_steps_fails_a_poller_in_its_own_words() {
        use loom::sync::atomic::{AtomicBool, Ordering};
        // A waiter that sleeps on a lock takes no step while the other thread idles.
        model_within_steps(100, "too many steps", || {
            let lock = std::sync::Arc::new(loom::sync::Mutex::new(()));
            let held = lock.lock().unwrap();
            let waiter = {
                let lock = std::sync::Arc::clone(&lock);
                loom::thread::spawn(move || drop(lock.lock().unwrap()))
            };
            for _ in 0..40 {
                loom::thread::yield_now();
            }
            drop(held);
            waiter.join().unwrap();
        });
        // A waiter that polls a flag takes steps on every turn.
        let polled = std::panic::catch_unwind(|| {
            model_within_steps(100, "too many steps", || {
                let flag = std::sync::Arc::new(AtomicBool::new(false));
                let waiter = {
                    let flag = std::sync::Arc::clone(&flag);
                    loom::thread::spawn(move || {
                        while !flag.load(Ordering::Acquire) {
                            loom::thread::yield_now();
                        }
                    })
                };
                for _ in 0..40 {
                    loom::thread::yield_now();
                }
                flag.store(true, Ordering::Release);
                waiter.join().unwrap();
            });
        });
        let payload = polled.expect_err("the poller took too many steps");
        assert_eq!(panic_text(&*payload), Some("too many steps"));
    }

    /// Whether every interleaving reads a payload as written, when a writer writes it
    /// and then raises a flag with `raise`, and a reader that sees the flag up with
    /// `look` reads it. The payload reaches the reader through std's `Arc`, which loom
    /// does not see, as code that keeps a value behind a raw pointer would.
    fn payload_read_as_written(raise: Ordering, look: Ordering) -> bool {
        use crate::sync::atomic::AtomicBool;
        use std::sync::Arc;
        let explored = std::panic::catch_unwind(move || {
            loom::model(move || {
                let payload = Arc::new(Payload::new());
                let flag = Arc::new(AtomicBool::new(false));
                let writer = {
                    let (payload, flag) = (Arc::clone(&payload), Arc::clone(&flag));
                    loom::thread::spawn(move || {
                        payload.write(42);
                        flag.store(true, raise);
                    })
                };
                if flag.load(look) {
                    assert_eq!(payload.read(), 42, "the flag was up, the payload stale");
                }
                writer.join().unwrap();
            });
        });
        explored.is_ok()
    }

    #[test]
    fn a_payload_behind_a_flag_is_read_stale_unless_the_flag_orders_it() {
        use Ordering::{Acquire, Relaxed, Release};
        assert!(payload_read_as_written(Release, Acquire));
        assert!(!payload_read_as_written(Relaxed, Acquire));
        assert!(!payload_read_as_written(Release, Relaxed));
    }

    #[test]
    fn an_increment_adds_one() {
        loom::model(|| {
            let payload = Payload::new();
            payload.increment();
            payload.increment();
            assert_eq!(payload.read(), 2);
        });
    }
}
