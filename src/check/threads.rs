//! Whether a call waited for the threads it started, and whether a thread slept (parked)
//! or polled while it had nothing to do; how long a check keeps a channel quiet to tell a
//! hang-up from a timeout ([`SILENCE`]).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::Duration;

/// Sets `flag` when the calling thread ends. Thread-local values are dropped as their
/// thread exits, so the flag is set before a `join` on that thread returns: a check can
/// tell whether a function waited for the threads it started.
pub fn set_when_this_thread_ends(flag: Arc<AtomicBool>) {
    when_this_thread_ends(move || flag.store(true, Ordering::SeqCst));
}

/// Runs `action` as the calling thread ends: after its work, while its thread-local
/// values are dropped, which a `join` on that thread waits for.
pub(super) fn when_this_thread_ends(action: impl FnOnce() + 'static) {
    struct AtThreadEnd(RefCell<Vec<Box<dyn FnOnce()>>>);

    impl Drop for AtThreadEnd {
        fn drop(&mut self) {
            for action in self.0.get_mut().drain(..) {
                action();
            }
        }
    }

    thread_local! {
        static AT_THREAD_END: AtThreadEnd = const { AtThreadEnd(RefCell::new(Vec::new())) };
    }
    AT_THREAD_END.with(|actions| actions.0.borrow_mut().push(Box::new(action)));
}

/// How long a thread tracked by [`ThreadEnds`] lingers at its end for the call that
/// started it to return. A call that does not wait for its threads returns within
/// microseconds of their work; a quarter of a second is a generous margin on a busy
/// machine, and a call that does wait is never affected (it pays this time once).
pub const LINGER: Duration = Duration::from_millis(250);

/// Tells whether a call waited for the threads it started to end before it returned.
///
/// The work of each thread calls [`ThreadEnds::track_this_thread`]. At the end of that
/// thread (after its work, as its thread-local values are dropped, which `join` waits
/// for) the thread lingers, at most [`LINGER`], until the check calls
/// [`ThreadEnds::after_return`], and only then counts as ended. A call that joins its
/// threads returns after every one has ended; a call that leaves them running returns
/// while they linger, and `after_return` sees them still running. Nothing depends on
/// timing for a call that joins: its threads end before it returns, however slowly.
#[derive(Debug, Default)]
pub struct ThreadEnds {
    state: Mutex<Ends>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Ends {
    tracked: usize,
    ended: usize,
    returned: bool,
}

impl ThreadEnds {
    pub fn new() -> Arc<ThreadEnds> {
        Arc::new(ThreadEnds::default())
    }

    fn ends(&self) -> MutexGuard<'_, Ends> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tracks the calling thread: its end is counted as described on [`ThreadEnds`].
    pub fn track_this_thread(self: &Arc<Self>) {
        self.ends().tracked += 1;
        let tracker = Arc::clone(self);
        when_this_thread_ends(move || {
            let ends = tracker.ends();
            let (mut ends, _) = tracker
                .changed
                .wait_timeout_while(ends, LINGER, |ends| !ends.returned)
                .unwrap_or_else(PoisonError::into_inner);
            ends.ended += 1;
            tracker.changed.notify_all();
        });
    }

    /// To call as soon as the call under test has returned: how many tracked threads
    /// had ended by then, and how many were tracked. Lets the others end.
    pub fn after_return(&self) -> (usize, usize) {
        let mut ends = self.ends();
        let seen = (ends.ended, ends.tracked);
        ends.returned = true;
        self.changed.notify_all();
        seen
    }
}

/// How long a check keeps a channel quiet while its sender is still alive (a task that
/// sends late, a pool left idle), to tell a receiver that waits for the hang-up from one
/// that stops after some silence: a `recv_timeout` loop, or a wait that gives up after
/// so many turns, takes a quiet channel for a closed one. Longer than the timeouts such
/// code uses; a receiver that waits as it should only waits this long once.
pub const SILENCE: Duration = Duration::from_secs(2);

/// How long a check leaves a thread that has run out of work to fall asleep before it
/// gives the thread work again and asks [`parked_since_token_left`] whether it slept. A
/// thread that waits properly needs only a few instructions to park; the margin covers
/// a busy machine that is slow to schedule it.
pub const FALL_ASLEEP: Duration = Duration::from_millis(300);

/// How long [`parked_since_token_left`] waits for a token that is not there.
const TOKEN_WAIT: Duration = Duration::from_millis(100);

/// Leaves a wake-up token with the calling thread, as `unpark` does: the next time the
/// thread parks, `park` returns at once and takes the token. A thread that waits by
/// blocking (in `thread::park`, or in a channel's `recv` or `send`, which park) takes
/// it; a thread that polls (`try_recv` in a loop, `yield_now`, a short `sleep`) never
/// does. Call it on a thread just before it runs out of work, and
/// [`parked_since_token_left`] on the same thread once it has work again.
pub fn leave_wake_up_token() {
    std::thread::current().unpark();
}

/// Whether the calling thread has parked since [`leave_wake_up_token`] (or any
/// `unpark`) left it a token: true when the token is gone. It parks to find out: with
/// the token still there, `park` returns at once; without it, a helper thread unparks
/// it after a short wait. std's `park` returns only once unparked, so a thread that did
/// park is never taken for one that polled.
pub fn parked_since_token_left() -> bool {
    let me = std::thread::current();
    let woke_it = Arc::new(AtomicBool::new(false));
    let (answered, answer) = mpsc::channel::<()>();
    let helper = {
        let woke_it = Arc::clone(&woke_it);
        std::thread::spawn(move || {
            // Disconnected means the probing thread already has its answer.
            if answer.recv_timeout(TOKEN_WAIT) == Err(mpsc::RecvTimeoutError::Timeout) {
                woke_it.store(true, Ordering::SeqCst);
                me.unpark();
            }
        })
    };
    std::thread::park();
    let took_the_token = !woke_it.load(Ordering::SeqCst);
    drop(answered);
    let _ = helper.join();
    if took_the_token && woke_it.load(Ordering::SeqCst) {
        // The helper unparked this thread after `park` had returned: take that token
        // too, so that the probe leaves none behind.
        std::thread::park();
    }
    !took_the_token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_end_sets_its_flag_before_join_returns() {
        let ended = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&ended);
        std::thread::spawn(move || set_when_this_thread_ends(flag))
            .join()
            .unwrap();
        assert!(ended.load(Ordering::SeqCst));
    }

    #[test]
    fn thread_ends_tell_a_joined_thread_from_one_left_running() {
        let ends = ThreadEnds::new();
        let tracked = Arc::clone(&ends);
        std::thread::spawn(move || tracked.track_this_thread())
            .join()
            .unwrap();
        assert_eq!(ends.after_return(), (1, 1), "a joined thread has ended");

        // A thread left running: it ends only after the call has returned.
        let ends = ThreadEnds::new();
        let tracked = Arc::clone(&ends);
        let (started, has_started) = mpsc::channel();
        let (returned, has_returned) = mpsc::channel::<()>();
        let left_running = std::thread::spawn(move || {
            tracked.track_this_thread();
            started.send(()).unwrap();
            let _ = has_returned.recv();
        });
        has_started.recv().unwrap();
        assert_eq!(ends.after_return(), (0, 1), "that thread is still running");
        drop(returned);
        left_running.join().unwrap();
        assert_eq!(ends.ends().ended, 1, "it ended once let go");
    }

    #[test]
    fn a_thread_that_parks_takes_the_token() {
        std::thread::spawn(|| {
            leave_wake_up_token();
            std::thread::park();
            assert!(parked_since_token_left());
            // The probe leaves no token: the next probe finds none either.
            assert!(parked_since_token_left());
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_thread_that_only_yields_keeps_the_token() {
        std::thread::spawn(|| {
            leave_wake_up_token();
            for _ in 0..100 {
                std::thread::yield_now();
            }
            assert!(!parked_since_token_left());
            assert!(parked_since_token_left(), "the probe took the token");
        })
        .join()
        .unwrap();
    }
}
