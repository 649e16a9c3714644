//! Checks for `park_signal`. Tests: `park_until` checks its condition first and again
//! after every wake-up (wake-ups without the condition are made on purpose), and parks
//! rather than spins between checks; `raise` unparks the waiter, and a waiting thread
//! returns once another thread raises the signal. Loom: whatever the interleaving, the
//! waiter wakes up (no lost wake-up) and sees what was written before `raise`: data
//! with no synchronization of its own, whose write and read loom would report as a data
//! race if nothing ordered them. loom's `unpark` itself orders everything before it
//! with the unparked thread's next step, whether or not that thread parks, and loom
//! never switches threads between a store and the `unpark` after it; so the second
//! model raises with the token sent elsewhere, and lets the waiter look before anyone
//! unparks it: a waiter that finds the flag set then has only the flag's orderings to
//! see the data by, and a `Relaxed` store or load is a data race.

#[path = "../../exercises/02_threads/park_signal.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::{self, Signal};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, mpsc};
    use std::thread;
    use std::time::Duration;
    use threadlings::check::{PATIENCE, anonymously, returns_within};

    #[test]
    fn returns_at_once_when_already_done() {
        anonymously(|| {
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
        })
    }

    #[test]
    fn keeps_waiting_through_wakeups_that_are_not_the_signal() {
        anonymously(|| {
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
        })
    }

    /// Long enough for a spinning waiter to check its condition again on a busy
    /// machine; a parked waiter never does without an `unpark`, however long this is.
    const GRACE: Duration = Duration::from_millis(300);

    #[test]
    fn parks_instead_of_spinning() {
        anonymously(|| {
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
        })
    }

    #[test]
    fn raise_unparks_the_waiter() {
        anonymously(|| {
            let (parking, parked) = mpsc::channel();
            let raiser = thread::spawn(move || {
                let waiter: thread::Thread = parked.recv().expect("the parked thread is gone");
                Signal::new().raise(&waiter);
            });
            let woken = returns_within(PATIENCE, move || {
                parking
                    .send(thread::current())
                    .expect("the raising thread is gone");
                // A token from `raise` wakes this `park`, even one left before it parks.
                thread::park();
            });
            raiser.join().expect("the raising thread panicked");
            assert!(
                woken.is_some(),
                "expected `raise` to wake the thread it was given, but a thread parked in \
                 `thread::park()` was still asleep after {PATIENCE:?}: after setting the flag, \
                 call `waiter.unpark()`"
            );
        })
    }

    #[test]
    fn a_waiting_thread_returns_once_the_signal_is_raised() {
        anonymously(|| {
            let signal = Arc::new(Signal::new());
            let (waiting, waiter) = mpsc::channel();
            let raiser = {
                let signal = Arc::clone(&signal);
                thread::spawn(move || {
                    let waiter: thread::Thread = waiter.recv().expect("the waiting thread is gone");
                    signal.raise(&waiter);
                })
            };
            let returned = returns_within(PATIENCE, move || {
                waiting
                    .send(thread::current())
                    .expect("the raising thread is gone");
                signal.wait();
            });
            raiser.join().expect("the raising thread panicked");
            assert!(
                returned.is_some(),
                "expected `wait` to return once another thread raised the signal, but it was \
                 still waiting after {PATIENCE:?}: `raise` must set the flag, then unpark the \
                 waiter, and `park_until` must check the flag after every wake-up"
            );
        })
    }

    #[test]
    fn waiting_for_a_signal_already_raised_returns_at_once() {
        anonymously(|| {
            let signal = Signal::new();
            // Another thread's handle: the token goes to it, so this thread's `wait` has no
            // token to wake it and must find the flag already set.
            let elsewhere = thread::spawn(|| ());
            signal.raise(elsewhere.thread());
            elsewhere.join().expect("the other thread panicked");
            signal.wait();
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::Signal;
    use threadlings::cell::UnsafeCell;
    use threadlings::sync::Arc;
    use threadlings::thread;

    /// Data that the raising thread writes before `raise` and the waiter reads after
    /// `wait`, without any synchronization of its own: only the signal orders the two.
    struct Message(UnsafeCell<usize>);

    // SAFETY: the model checks exactly that the signal orders the write before the read;
    // loom reports the two accesses if they race.
    unsafe impl Sync for Message {}

    #[test]
    fn the_waiter_wakes_and_sees_what_was_written_before_raise() {
        loom::model(|| {
            let signal = Arc::new(Signal::new());
            let message = Arc::new(Message(UnsafeCell::new(0)));
            // This thread waits; the other writes, then raises. (A waiter that is never
            // woken is then this thread, which loom reports as a deadlock.)
            let waiter = thread::current();
            let raiser = {
                let (signal, message) = (Arc::clone(&signal), Arc::clone(&message));
                thread::spawn(move || {
                    // SAFETY: the waiter reads only after `wait`, which the model checks.
                    message.0.with_mut(|data| unsafe { *data = 42 });
                    signal.raise(&waiter);
                })
            };
            signal.wait();
            // SAFETY: as above; a racing write is what loom reports.
            let seen = message.0.with(|data| unsafe { *data });
            assert_eq!(
                seen, 42,
                "the waiter returned from `wait` without seeing what was written before \
                 `raise`: the flag's store must be `Release` and its load `Acquire`"
            );
            raiser.join().unwrap();
        });
    }

    #[test]
    fn a_waiter_that_finds_the_signal_raised_sees_what_was_written_before() {
        loom::model(|| {
            let signal = Arc::new(Signal::new());
            let message = Arc::new(Message(UnsafeCell::new(0)));
            let waiter = {
                let (signal, message) = (Arc::clone(&signal), Arc::clone(&message));
                thread::spawn(move || {
                    signal.wait();
                    // SAFETY: the read comes after `wait`; a racing write is what loom
                    // reports.
                    message.0.with(|data| unsafe { *data })
                })
            };
            // SAFETY: the waiter reads only after `wait`, which the model checks.
            message.0.with_mut(|data| unsafe { *data = 42 });
            // The raise's token goes to this thread, not to the waiter: a waiter that
            // looks now finds the flag set with no `unpark` between the two threads,
            // and only the flag's orderings can hand it what was written.
            signal.raise(&thread::current());
            thread::yield_now();
            // Then the waiter is woken, in case it was already asleep.
            waiter.thread().unpark();
            let seen = waiter.join().unwrap();
            assert_eq!(
                seen, 42,
                "the waiter returned from `wait` without seeing what was written before \
                 `raise`: the flag's store must be `Release` and its load `Acquire`"
            );
        });
    }
}
