//! Checks for `capstone_executor`. `block_on`: returns a ready future's output; a
//! future that wakes itself is polled again (no lost wake-up); a future woken from
//! another thread completes; the thread parks between polls (no poll without a
//! wake-up). `Executor`: tasks that yield take turns on the thread that runs them; a
//! task woken from another thread completes before `run` returns, and is polled only
//! when woken; `run` with no tasks returns.

#[path = "../../exercises/10_capstones/capstone_executor.rs"]
mod exercise;

use exercise::{Executor, block_on};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;
use threadlings::check::PATIENCE;

/// Runs `work` on a thread of its own and waits for it at most `PATIENCE`, so that an
/// executor that never wakes up fails with `stuck` instead of hanging.
fn watched<R: Send + 'static>(stuck: &str, work: impl FnOnce() -> R + Send + 'static) -> R {
    let (result_tx, result) = mpsc::channel();
    let runner = thread::spawn(move || {
        let _ = result_tx.send(work());
    });
    match result.recv_timeout(PATIENCE) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{stuck} (still waiting after {PATIENCE:?})")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The work panicked: pass its panic on as it was.
            std::panic::resume_unwind(runner.join().expect_err("the work panicked"))
        }
    }
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
/// thread, which makes it ready and wakes it after `delay` (or as soon as the future is
/// polled again without having been woken: the executor is polling in vain). It counts
/// its polls, and the polls that came without a wake-up.
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
        let (shared, waker, delay): (_, Waker, _) =
            (Arc::clone(shared), context.waker().clone(), self.delay);
        thread::spawn(move || {
            let _ = polled_again.recv_timeout(delay);
            shared.ready.store(true, Ordering::SeqCst);
            waker.wake();
        });
        Poll::Pending
    }
}

/// Long enough for an executor that polls without being woken to do it, even on a busy
/// machine; an executor that waits for the wake-up never does, however long this is.
const GRACE: Duration = Duration::from_millis(300);

#[test]
fn block_on_returns_the_output_of_a_ready_future() {
    assert_eq!(block_on(async { 6 * 7 }), 42);
}

#[test]
fn block_on_polls_again_a_future_that_woke_itself() {
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
}

#[test]
fn block_on_completes_a_future_woken_from_another_thread() {
    let output = watched(
        "expected `block_on` to finish a future that another thread woke, but it never \
         returned: does the waker unpark the thread that runs `block_on` (the `Thread` \
         kept in `ThreadWaker`)?",
        || block_on(CompletedElsewhere::new(Duration::ZERO).0),
    );
    assert_eq!(output, "done elsewhere");
}

#[test]
fn block_on_parks_until_the_future_is_woken() {
    let (future, shared) = CompletedElsewhere::new(GRACE);
    let output = watched(
        "expected `block_on` to finish a future that another thread woke, but it never \
         returned: does the waker unpark the thread that runs `block_on`?",
        move || block_on(future),
    );
    assert_eq!(output, "done elsewhere");
    let unwoken = shared.polls_unwoken.load(Ordering::SeqCst);
    assert_eq!(
        unwoken, 0,
        "expected `block_on` to poll a pending future again only after its waker was \
         called, but it polled it {unwoken} time(s) while nothing had woken it: it spins \
         (or sleeps and polls). Park the thread until the waker's flag is set; `park` \
         may return early, so check the flag in a loop"
    );
    assert_eq!(shared.polls.load(Ordering::SeqCst), 2);
}

#[test]
fn tasks_take_turns_on_the_thread_that_runs_them() {
    let (turns, runner) = watched(
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
            executor.run();
            let turns = turns.lock().unwrap().clone();
            (turns, thread::current().id())
        },
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
}

#[test]
fn a_task_woken_from_another_thread_completes_before_run_returns() {
    let (future, shared) = CompletedElsewhere::new(GRACE);
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
        "expected `run` to wait for a task that another thread would wake, but it returned \
         before the task completed: when the queue is empty, wait for it (`recv`), do not \
         stop"
    );
    let unwoken = shared.polls_unwoken.load(Ordering::SeqCst);
    assert_eq!(
        unwoken, 0,
        "expected `run` to poll a task again only after it was woken, but it polled a \
         pending task {unwoken} time(s) while nothing had woken it"
    );
}

#[test]
fn run_without_tasks_returns() {
    watched(
        "expected `run` with no tasks to return at once, but it never returned: is a \
         `Sender` of the queue still alive (the executor's own `scheduler`)?",
        || Executor::new().run(),
    );
}
