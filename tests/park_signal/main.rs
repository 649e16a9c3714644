//! Checks for `park_signal`. Tests: `park_until` checks its condition first and again
//! after every wake-up (wake-ups without the condition are made on purpose), and parks
//! rather than spins between checks; `raise` unparks the waiter, and a waiting thread
//! returns once another thread raises the signal. Loom: whatever the interleaving, the
//! waiter wakes up (no lost wake-up) and sees what was written before `raise`.

#[path = "../../exercises/02_threads/park_signal.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::{self, Signal};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, mpsc};
    use std::thread;
    use std::time::Duration;
    use threadlings::check::PATIENCE;

    #[test]
    fn returns_at_once_when_already_done() {
        let checks = AtomicUsize::new(0);
        exercise::park_until(|| {
            checks.fetch_add(1, Ordering::SeqCst);
            true
        });
        assert_eq!(
            checks.load(Ordering::SeqCst),
            1,
            "expected a condition that is already true to be checked once"
        );
    }

    #[test]
    fn keeps_waiting_through_wakeups_that_are_not_the_signal() {
        // Each of the first three checks leaves a wake-up token, as a spurious wake-up
        // or a stale `unpark` would: `park` returns at once, and the condition is still
        // false. Only the fourth check finds it true.
        let checks = AtomicUsize::new(0);
        let me = thread::current();
        exercise::park_until(|| {
            let check = checks.fetch_add(1, Ordering::SeqCst) + 1;
            if check < 4 {
                me.unpark();
            }
            check >= 4
        });
        let checks = checks.load(Ordering::SeqCst);
        assert_eq!(
            checks, 4,
            "expected `park_until` to return only once the condition was true (at the 4th \
             check), but it returned after {checks} check(s), while the condition was still \
             false. `park` can return without a signal (a spurious wake-up or an old \
             token): check the condition again every time it returns, in a loop"
        );
    }

    /// Long enough for a spinning waiter to check its condition again on a busy
    /// machine; a parked waiter never does without an `unpark`, however long this is.
    const GRACE: Duration = Duration::from_millis(300);

    #[test]
    fn parks_instead_of_spinning() {
        let unparked = Arc::new(AtomicBool::new(false));
        let spun = Arc::new(AtomicBool::new(false));
        let (checked_tx, checked) = mpsc::channel();
        let waiter = {
            let (unparked, spun) = (Arc::clone(&unparked), Arc::clone(&spun));
            thread::spawn(move || {
                exercise::park_until(|| {
                    // The checks report themselves; one past the first before any
                    // `unpark` means the waiter did not park.
                    let _ = checked_tx.send(());
                    if unparked.load(Ordering::SeqCst) {
                        return true;
                    }
                    let first = !spun.swap(true, Ordering::SeqCst);
                    !first
                })
            })
        };
        checked
            .recv()
            .expect("the waiting thread ended before checking its condition");
        let second_check = checked.recv_timeout(GRACE);
        unparked.store(true, Ordering::SeqCst);
        waiter.thread().unpark();
        waiter.join().expect("the waiting thread panicked");
        assert!(
            second_check.is_err(),
            "expected `park_until` to park after finding the condition false, but it \
             checked the condition again although nothing had unparked the thread: it \
             spins (or sleeps and polls), keeping a core busy. Call `thread::park()` \
             between checks"
        );
    }

    #[test]
    fn raise_unparks_the_waiter() {
        let (woke_tx, woke) = mpsc::channel();
        let parked = thread::spawn(move || {
            // A token from `raise` wakes this `park`, even one left before it parks.
            thread::park();
            let _ = woke_tx.send(());
        });
        Signal::new().raise(parked.thread());
        let woken = woke.recv_timeout(PATIENCE).is_ok();
        assert!(
            woken,
            "expected `raise` to wake the thread it was given, but a thread parked in \
             `thread::park()` was still asleep after {PATIENCE:?}: after setting the flag, \
             call `waiter.unpark()`"
        );
        parked.join().expect("the parked thread panicked");
    }

    #[test]
    fn a_waiting_thread_returns_once_the_signal_is_raised() {
        let signal = Arc::new(Signal::new());
        let (returned_tx, returned) = mpsc::channel();
        let waiter = {
            let signal = Arc::clone(&signal);
            thread::spawn(move || {
                signal.wait();
                let _ = returned_tx.send(());
            })
        };
        signal.raise(waiter.thread());
        assert!(
            returned.recv_timeout(PATIENCE).is_ok(),
            "expected `wait` to return once another thread raised the signal, but it was \
             still waiting after {PATIENCE:?}: `raise` must set the flag, then unpark the \
             waiter, and `park_until` must check the flag after every wake-up"
        );
        waiter.join().expect("the waiting thread panicked");
    }

    #[test]
    fn waiting_for_a_signal_already_raised_returns_at_once() {
        let signal = Signal::new();
        // Another thread's handle: the token goes to it, so this thread's `wait` has no
        // token to wake it and must find the flag already set.
        let elsewhere = thread::spawn(|| ());
        signal.raise(elsewhere.thread());
        elsewhere.join().expect("the other thread panicked");
        signal.wait();
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::Signal;
    use threadlings::sync::Arc;
    use threadlings::sync::atomic::{AtomicUsize, Ordering};
    use threadlings::thread;

    #[test]
    fn the_waiter_wakes_and_sees_what_was_written_before_raise() {
        loom::model(|| {
            let signal = Arc::new(Signal::new());
            let data = Arc::new(AtomicUsize::new(0));
            // This thread waits; the other writes, then raises. (A waiter that is never
            // woken is then this thread, which loom reports as a deadlock.)
            let waiter = thread::current();
            let raiser = {
                let (signal, data) = (Arc::clone(&signal), Arc::clone(&data));
                thread::spawn(move || {
                    data.store(42, Ordering::Relaxed);
                    signal.raise(&waiter);
                })
            };
            signal.wait();
            assert_eq!(
                data.load(Ordering::Relaxed),
                42,
                "the waiter returned from `wait` without seeing what was written before \
                 `raise`: the flag's store must be `Release` and its load `Acquire`"
            );
            raiser.join().unwrap();
        });
    }
}
