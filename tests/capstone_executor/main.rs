//! Checks for `capstone_executor`. `block_on`: returns a ready future's output; a
//! future that wakes itself is polled again (no lost wake-up); a future woken from
//! another thread completes; the thread sleeps between polls (it parks, polls only
//! after a wake-up, not after a spurious return from `park`, and clears the flag after
//! each wake-up). `Executor`: `spawn` only queues a task; tasks that yield take turns
//! on the thread that runs them; a task woken from another thread, however late,
//! completes before `run` returns, is polled only when woken, and the thread sleeps
//! meanwhile; `run` with no tasks returns.

#[path = "../../exercises/10_capstones/capstone_executor.rs"]
mod exercise;

use exercise::{Executor, block_on};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Waker};
use std::thread::{self, Thread};
use std::time::Duration;
use threadlings::check::{
    FALL_ASLEEP, PATIENCE, SILENCE, anonymously, parked_since_token_left, returns_within,
};

/// Runs `work` on a thread of its own and waits for it at most `PATIENCE`, so that an
/// executor that never wakes up fails with `stuck` instead of hanging (and one that
/// panics, with its panic).
fn watched<R: Send + 'static>(stuck: &str, work: impl FnOnce() -> R + Send + 'static) -> R {
    returns_within(PATIENCE, work)
        .unwrap_or_else(|| panic!("{stuck} (still waiting after {PATIENCE:?})"))
}

/// Returns `Pending` `times` times, each time waking itself first (as
/// `tokio::task::yield_now` does), then `Ready`.
struct YieldTimes {
    left: usize,
}

impl Future for YieldTimes {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.left == 0 {
            return Poll::Ready(());
        }
        self.left -= 1;
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A future that another thread completes: its first poll hands the waker to a helper
/// thread, which first unparks the polling thread without waking the future (`park` may
/// return for no reason, and an executor must then go back to sleep), then makes the
/// future ready and wakes it after `delay` (or as soon as the future is polled again
/// without having been woken: the executor is polling in vain). It counts its polls, and
/// the polls that came without a wake-up; with a `delay`, its last poll also asks
/// whether the polling thread parked while it waited.
struct CompletedElsewhere {
    shared: Arc<Elsewhere>,
    delay: Duration,
}

#[derive(Default)]
struct Elsewhere {
    ready: AtomicBool,
    polls: AtomicUsize,
    polls_unwoken: AtomicUsize,
    polled_again: Mutex<Option<mpsc::Sender<()>>>,
    /// Whether the thread that polls parked while the future waited (asked only when
    /// there is a delay).
    slept: Mutex<Option<bool>>,
}

impl Elsewhere {
    /// `Some(false)` when the polling thread never parked while the future waited.
    fn slept(&self) -> Option<bool> {
        *self.slept.lock().unwrap()
    }
}

impl CompletedElsewhere {
    fn new(delay: Duration) -> (CompletedElsewhere, Arc<Elsewhere>) {
        let shared = Arc::new(Elsewhere::default());
        let future = CompletedElsewhere {
            shared: Arc::clone(&shared),
            delay,
        };
        (future, shared)
    }
}

impl Future for CompletedElsewhere {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<&'static str> {
        let shared = &self.shared;
        let polls = shared.polls.fetch_add(1, Ordering::SeqCst) + 1;
        if shared.ready.load(Ordering::SeqCst) {
            if !self.delay.is_zero() {
                // Every `unpark` since the first poll (the helper's, and the wake-up's)
                // left a token; a thread that slept took them.
                *shared.slept.lock().unwrap() = Some(parked_since_token_left());
            }
            return Poll::Ready("done elsewhere");
        }
        if polls > 1 {
            shared.polls_unwoken.fetch_add(1, Ordering::SeqCst);
            if let Some(polled_again) = shared.polled_again.lock().unwrap().take() {
                let _ = polled_again.send(());
            }
            return Poll::Pending;
        }
        let (polled_again_tx, polled_again) = mpsc::channel();
        *shared.polled_again.lock().unwrap() = Some(polled_again_tx);
        let (shared, waker, delay, polling): (_, Waker, _, Thread) = (
            Arc::clone(shared),
            context.waker().clone(),
            self.delay,
            thread::current(),
        );
        thread::spawn(move || {
            polling.unpark();
            let _ = polled_again.recv_timeout(delay);
            shared.ready.store(true, Ordering::SeqCst);
            waker.wake();
        });
        Poll::Pending
    }
}

/// Long enough for an executor that polls without being woken to do it, even on a busy
/// machine (an executor that waits for the wake-up never does, however long this is),
/// and for one that waits properly to fall asleep before the wake-up comes.
const GRACE: Duration = FALL_ASLEEP;

/// Says, when `slept` is `Some(false)`, that `who` polled instead of sleeping.
fn assert_slept(slept: Option<bool>, who: &str, how: &str) {
    assert!(
        slept != Some(false),
        "expected {who} to sleep while the future waited for its wake-up, but the thread \
         never parked: it checks again and again (with `yield_now`, a short sleep, or \
         `try_recv` in a loop), which keeps a core busy doing nothing. {how}"
    );
}

#[test]
fn block_on_returns_the_output_of_a_ready_future() {
    anonymously(|| {
        assert_eq!(block_on(async { 6 * 7 }), 42);
    })
}

#[test]
fn block_on_polls_again_a_future_that_woke_itself() {
    anonymously(|| {
        let polled = watched(
            "expected `block_on` to poll again a future that called its own waker and \
             returned `Pending`, but it never returned: the wake-up was lost. The waker must \
             set the flag and unpark the thread, and the loop must poll again once the flag \
             is set, even if the wake-up came before the thread parked",
            || {
                let polls = Arc::new(AtomicUsize::new(0));
                let counted = Arc::clone(&polls);
                block_on(async move {
                    for _ in 0..3 {
                        counted.fetch_add(1, Ordering::SeqCst);
                        YieldTimes { left: 1 }.await;
                    }
                });
                polls.load(Ordering::SeqCst)
            },
        );
        assert_eq!(polled, 3, "expected the three yields to complete");
    })
}

/// Why `block_on` may never return for a future that another thread wakes.
const NEVER_WOKEN: &str = "expected `block_on` to finish a future that another thread \
     woke, but it never returned: does the waker set the flag, and then unpark the thread \
     that runs `block_on` (the `Thread` kept in `ThreadWaker`)? In the other order, the \
     thread can wake, find the flag not yet set, and park again with nobody left to wake it";

#[test]
fn block_on_completes_a_future_woken_from_another_thread() {
    anonymously(|| {
        let output = watched(NEVER_WOKEN, || {
            block_on(CompletedElsewhere::new(Duration::ZERO).0)
        });
        assert_eq!(output, "done elsewhere");
    })
}

#[test]
fn block_on_parks_until_the_future_is_woken() {
    anonymously(|| {
        let (future, shared) = CompletedElsewhere::new(GRACE);
        let output = watched(NEVER_WOKEN, move || block_on(future));
        assert_eq!(output, "done elsewhere");
        let unwoken = shared.polls_unwoken.load(Ordering::SeqCst);
        assert_eq!(
            unwoken, 0,
            "expected `block_on` to poll a pending future again only after its waker was \
             called, but it polled it {unwoken} time(s) while nothing had woken it: it spins, \
             sleeps and polls, or polls whenever `park` returns. Park the thread until the \
             waker's flag is set; `park` may return without an `unpark` for this wake-up, so \
             check the flag in a loop"
        );
        assert_eq!(shared.polls.load(Ordering::SeqCst), 2);
        assert_slept(
            shared.slept(),
            "the thread in `block_on`",
            "Wait for the flag with `thread::park()` in the loop: the waker's `unpark` ends it.",
        );
    })
}

#[test]
fn block_on_clears_the_flag_after_each_wake_up() {
    anonymously(|| {
        let (waits_elsewhere, shared) = CompletedElsewhere::new(GRACE);
        let output = watched(
            "expected `block_on` to finish a future that first woke itself and then waited \
             for another thread, but it never returned",
            move || {
                block_on(async move {
                    YieldTimes { left: 1 }.await;
                    waits_elsewhere.await
                })
            },
        );
        assert_eq!(output, "done elsewhere");
        let unwoken = shared.polls_unwoken.load(Ordering::SeqCst);
        assert_eq!(
            unwoken, 0,
            "expected `block_on` to poll a future that woke itself once, and then waited for \
             another thread, only once per wake-up, but it polled it {unwoken} time(s) while \
             nothing had woken it: the flag that says \"woken\" stayed set after the first \
             wake-up. Clear it as you read it (`swap(false, ..)`), so that the next wait \
             waits for the next wake-up"
        );
    })
}

#[test]
fn tasks_take_turns_on_the_thread_that_runs_them() {
    anonymously(|| {
        let (turns, runner, before_run) = watched(
            "expected `run` to return once both tasks had completed, but it never returned: \
             the loop over the queue ends only when every `Sender` is gone; is one kept alive \
             outside the tasks (the executor's own `scheduler`)?",
            || {
                let turns = Arc::new(Mutex::new(Vec::new()));
                let executor = Executor::new();
                for name in ["A", "B"] {
                    let turns = Arc::clone(&turns);
                    executor.spawn(async move {
                        for turn in 0..3 {
                            turns
                                .lock()
                                .unwrap()
                                .push((format!("{name}{turn}"), thread::current().id()));
                            YieldTimes { left: 1 }.await;
                        }
                    });
                }
                let before_run = turns.lock().unwrap().len();
                executor.run();
                let turns = turns.lock().unwrap().clone();
                (turns, thread::current().id(), before_run)
            },
        );
        assert_eq!(
            before_run, 0,
            "expected `spawn` only to queue a task, and the task to run first when `run` is \
             called, but {before_run} step(s) ran during `spawn`"
        );
        let order: Vec<&str> = turns.iter().map(|(turn, _)| turn.as_str()).collect();
        assert_eq!(
            order,
            ["A0", "B0", "A1", "B1", "A2", "B2"],
            "expected two tasks that yield after each step to take turns, A0 B0 A1 B1 A2 B2, \
             in the order they were queued: `run` polls a task once, then takes the next \
             from the queue, and a woken task goes to the back of it"
        );
        assert!(
            turns.iter().all(|&(_, thread)| thread == runner),
            "expected every task to run on the thread that called `run`"
        );
    })
}

#[test]
fn a_task_woken_from_another_thread_completes_before_run_returns() {
    anonymously(|| {
        let (future, shared) = CompletedElsewhere::new(SILENCE);
        let completed = Arc::new(AtomicBool::new(false));
        let finished = Arc::clone(&completed);
        watched(
            "expected `run` to return once its task had completed, but it never returned: \
             the loop over the queue ends only when every `Sender` is gone; is one kept \
             alive outside the tasks (the executor's own `scheduler`)?",
            move || {
                let executor = Executor::new();
                executor.spawn(async move {
                    future.await;
                    finished.store(true, Ordering::SeqCst);
                });
                executor.run();
            },
        );
        assert!(
            completed.load(Ordering::SeqCst),
            "expected `run` to wait for a task that another thread would wake (after \
             {SILENCE:?}), but it returned before the task completed: when the queue is \
             empty, wait for it (`recv`), do not stop; and do not stop after a while \
             either (`recv_timeout`): a quiet queue is not a closed one, and `run` may end \
             only when no task can ever be woken again (every `Sender` gone)"
        );
        let unwoken = shared.polls_unwoken.load(Ordering::SeqCst);
        assert_eq!(
            unwoken, 0,
            "expected `run` to poll a task again only after it was woken, but it polled a \
             pending task {unwoken} time(s) while nothing had woken it"
        );
        assert_slept(
            shared.slept(),
            "the thread in `run`",
            "When the queue is empty, wait in `recv` (a `for task in queue` loop does): it \
             sleeps until a woken task is sent.",
        );
    })
}

#[test]
fn run_without_tasks_returns() {
    anonymously(|| {
        watched(
            "expected `run` with no tasks to return at once, but it never returned: is a \
             `Sender` of the queue still alive (the executor's own `scheduler`)?",
            || Executor::new().run(),
        );
    })
}
