//! Helpers that let a check observe concurrent behaviour deterministically, without
//! timing a computation or sleeping for ordering.

use std::any::Any;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Once, PoisonError, mpsc};
use std::time::{Duration, Instant};

/// How long a party waits at a [`Rendezvous`] for the others before giving up. Long
/// enough for a busy two-core machine to schedule a thread; short enough that a
/// sequential answer is reported promptly.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// A meeting point that opens only when `parties` threads are inside it at the same
/// time. Work that really runs in parallel opens it at once; work that runs one piece
/// after another never does, and each party gives up after [`PATIENCE`] instead of
/// hanging, so the check can report what happened.
#[derive(Debug)]
pub struct Rendezvous {
    parties: usize,
    state: Mutex<Meeting>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Meeting {
    inside: usize,
    most_inside: usize,
    arrivals: usize,
    opened: bool,
    gave_up: bool,
}

impl Rendezvous {
    pub const fn new(parties: usize) -> Rendezvous {
        Rendezvous {
            parties,
            state: Mutex::new(Meeting {
                inside: 0,
                most_inside: 0,
                arrivals: 0,
                opened: false,
                gave_up: false,
            }),
            changed: Condvar::new(),
        }
    }

    fn meeting(&self) -> MutexGuard<'_, Meeting> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `work` inside the meeting: waits first until enough parties are inside
    /// together (or patience runs out), then runs it.
    pub fn inside<R>(&self, work: impl FnOnce() -> R) -> R {
        self.arrive();
        let result = work();
        self.meeting().inside -= 1;
        result
    }

    fn arrive(&self) {
        let mut meeting = self.meeting();
        meeting.inside += 1;
        meeting.arrivals += 1;
        meeting.most_inside = meeting.most_inside.max(meeting.inside);
        if meeting.inside >= self.parties {
            meeting.opened = true;
            self.changed.notify_all();
        }
        let deadline = Instant::now() + PATIENCE;
        while !meeting.opened && !meeting.gave_up {
            let now = Instant::now();
            if now >= deadline {
                // One party giving up releases everyone: the verdict is already known.
                meeting.gave_up = true;
                self.changed.notify_all();
                break;
            }
            meeting = self
                .changed
                .wait_timeout(meeting, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Whether `parties` threads were ever inside at the same time.
    pub fn opened(&self) -> bool {
        self.meeting().opened
    }

    /// The most threads that were inside at the same time.
    pub fn most_inside(&self) -> usize {
        self.meeting().most_inside
    }

    /// How many times a thread arrived.
    pub fn arrivals(&self) -> usize {
        self.meeting().arrivals
    }
}

/// Runs `work` on a helper thread and waits at most `patience` for it to return.
/// `None` means it had not returned by then (it is left running), so a check can
/// explain a hang in its own words before the runner's timeout ends the test.
pub fn returns_within<T: Send + 'static>(
    patience: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (returned, result) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = returned.send(work());
    });
    result.recv_timeout(patience).ok()
}

/// A rayon pool of exactly two threads: room for two pieces of work at once on any
/// machine, even one with a single core, so a check of parallelism does not depend on
/// the machine it runs on.
pub fn two_thread_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a rayon pool of two threads")
}

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
/// is reported as usual. Installs the hook once per process.
pub fn quiet_deliberate_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let deliberate = payload.is::<DeliberatePanic>()
                || panic_text(payload).is_some_and(|text| text.contains("on purpose"));
            if !deliberate {
                report(info);
            }
        }));
    });
}

/// Counts how many times it is dropped, into the counter it shares.
#[derive(Debug)]
pub struct DropCounter(pub Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Sets `flag` when the calling thread ends. Thread-local values are dropped as their
/// thread exits, so the flag is set before a `join` on that thread returns: a check can
/// tell whether a function waited for the threads it started.
pub fn set_when_this_thread_ends(flag: Arc<AtomicBool>) {
    struct SetOnDrop(Arc<AtomicBool>);

    impl Drop for SetOnDrop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    thread_local! {
        static AT_THREAD_END: RefCell<Vec<SetOnDrop>> = const { RefCell::new(Vec::new()) };
    }
    AT_THREAD_END.with(|flags| flags.borrow_mut().push(SetOnDrop(flag)));
}

// --- helpers added for group D ---

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

/// A rayon pool of two threads (like [`two_thread_pool`]) that knows where a check's
/// callback ran: on its own threads, or elsewhere. Code that builds a pool of its own
/// (whose size is the machine's, not the check's) or spawns threads for the work
/// ignores the pool it is called in; `note` called from the callback catches it.
#[derive(Debug)]
pub struct PoolWitness {
    pool: rayon::ThreadPool,
    outside: AtomicUsize,
}

impl PoolWitness {
    /// A witness over a fresh pool of two threads.
    pub fn two_threads() -> PoolWitness {
        PoolWitness {
            pool: two_thread_pool(),
            outside: AtomicUsize::new(0),
        }
    }

    /// Runs `op` in the pool, as `ThreadPool::install` does.
    pub fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        self.pool.install(op)
    }

    /// Records whether the calling thread is one of the pool's; call it from the
    /// callback the checked code runs.
    pub fn note(&self) {
        if self.pool.current_thread_index().is_none() {
            self.outside.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// How many calls of `note` came from threads outside the pool.
    pub fn calls_outside(&self) -> usize {
        self.outside.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_threads_inside_together_open_it() {
        let rendezvous = Rendezvous::new(2);
        std::thread::scope(|scope| {
            scope.spawn(|| rendezvous.inside(|| ()));
            rendezvous.inside(|| ());
        });
        assert!(rendezvous.opened());
        assert_eq!(rendezvous.most_inside(), 2);
    }

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
    fn work_that_does_not_return_in_time_gives_none() {
        assert_eq!(returns_within(PATIENCE, || 7), Some(7));
        let (_keep_open, never) = mpsc::channel::<()>();
        assert_eq!(
            returns_within(Duration::from_millis(50), move || never.recv().ok()),
            None
        );
    }

    // --- tests of the helpers added for group D ---

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

    #[test]
    fn a_pool_witness_tells_its_threads_from_others() {
        let witness = PoolWitness::two_threads();
        witness.install(|| rayon::join(|| witness.note(), || witness.note()));
        assert_eq!(witness.calls_outside(), 0);
        std::thread::scope(|scope| {
            scope.spawn(|| witness.note());
        });
        witness.note();
        assert_eq!(witness.calls_outside(), 2);
    }
}
