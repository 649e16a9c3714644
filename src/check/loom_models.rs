//! Loom models with a bound on each interleaving's steps, which tells a thread that
//! sleeps from one that polls. Built only with the `loom` feature.

use super::panics::{catch_explained_panic, panic_text};

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
}
