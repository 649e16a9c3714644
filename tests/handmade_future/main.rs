//! Checks for `handmade_future`: polled by hand with a waker that counts its wakes, the
//! countdown returns `Pending` without waking itself (no busy polling), the tick that
//! reaches zero wakes the waker of the latest poll, from another thread, and the next
//! poll is `Ready`; on a runtime, it completes after ticks from another thread with no
//! poll in vain.

#[path = "../../exercises/07_async/handmade_future.rs"]
mod exercise;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use threadlings::check::PATIENCE;

/// A waker that counts how often it was woken.
#[derive(Default)]
struct CountingWaker {
    wakes: AtomicUsize,
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

impl CountingWaker {
    fn new() -> (Arc<CountingWaker>, Waker) {
        let counter = Arc::new(CountingWaker::default());
        let waker = Waker::from(Arc::clone(&counter));
        (counter, waker)
    }

    fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

fn poll_with<F: Future + Unpin>(future: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(waker))
}

#[test]
fn a_first_poll_is_pending_and_does_not_wake_itself() {
    let (mut countdown, _ticker) = exercise::countdown(3);
    let (counter, waker) = CountingWaker::new();
    let poll = poll_with(&mut countdown, &waker);
    assert!(
        poll.is_pending(),
        "expected `Pending` from a countdown that nobody has ticked"
    );
    assert_eq!(
        counter.wakes(),
        0,
        "expected `poll` to return `Pending` without waking anyone, but it woke its own \
         waker: the runtime would poll it again at once, and again, busy polling until the \
         countdown ends. Store the waker and let the last tick wake it"
    );
}

#[test]
fn the_last_tick_on_another_thread_wakes_the_task() {
    let (mut countdown, ticker) = exercise::countdown(3);
    let (counter, waker) = CountingWaker::new();
    assert!(poll_with(&mut countdown, &waker).is_pending());
    let wakes_before = counter.wakes();
    thread::spawn(move || {
        ticker.tick();
        ticker.tick();
        ticker.tick();
    })
    .join()
    .expect("the ticking thread");
    assert!(
        counter.wakes() > wakes_before,
        "expected the tick that reached zero to wake the waker that `poll` was given, but \
         it was not woken: a runtime would never poll this future again. Store the waker \
         in `poll` and call `wake()` on it in `tick`"
    );
    assert!(
        poll_with(&mut countdown, &waker).is_ready(),
        "expected `Ready` after three ticks of a countdown from 3"
    );
}

#[test]
fn the_waker_of_the_latest_poll_is_woken() {
    let (mut countdown, ticker) = exercise::countdown(1);
    let (first, first_waker) = CountingWaker::new();
    let (latest, latest_waker) = CountingWaker::new();
    assert!(poll_with(&mut countdown, &first_waker).is_pending());
    // The task moved: it is polled again with another waker.
    assert!(poll_with(&mut countdown, &latest_waker).is_pending());
    let latest_before = latest.wakes();
    let first_before = first.wakes();
    ticker.tick();
    assert!(
        latest.wakes() > latest_before,
        "expected the last tick to wake the waker of the latest poll, but it was not \
         woken{}: `poll` kept an older waker. Replace the stored waker on every poll",
        if first.wakes() > first_before {
            " (the first poll's waker was)"
        } else {
            ""
        }
    );
}

/// Counts the polls of the future it wraps, and says when the first poll returned
/// `Pending`.
struct CountPolls<F> {
    inner: F,
    polls: usize,
    first_pending: Option<mpsc::Sender<()>>,
}

impl<F: Future<Output = ()> + Unpin> Future for CountPolls<F> {
    type Output = usize;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        self.polls += 1;
        match Pin::new(&mut self.inner).poll(cx) {
            Poll::Ready(()) => Poll::Ready(self.polls),
            Poll::Pending => {
                if let Some(first_pending) = self.first_pending.take() {
                    let _ = first_pending.send(());
                }
                Poll::Pending
            }
        }
    }
}

#[test]
fn the_runtime_completes_it_after_ticks_from_another_thread() {
    let (countdown, ticker) = exercise::countdown(3);
    let (first_pending, waiting) = mpsc::channel();
    // Ticks only once the task is waiting, so that the ticks must wake it.
    thread::spawn(move || {
        if waiting.recv().is_ok() {
            for _ in 0..3 {
                ticker.tick();
            }
        }
    });
    let (report, outcome) = mpsc::channel();
    // The runtime runs on a thread of its own, so that a task that is never woken can be
    // reported here instead of hanging the check.
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a tokio runtime");
        let polls = runtime.block_on(CountPolls {
            inner: countdown,
            polls: 0,
            first_pending: Some(first_pending),
        });
        let _ = report.send(polls);
    });
    let polls = outcome.recv_timeout(PATIENCE).unwrap_or_else(|_| {
        panic!(
            "expected the countdown to complete on the runtime once another thread had \
             ticked it down, but it was still pending {PATIENCE:?} later: nobody woke the \
             task, so the runtime never polled it again. `tick` must wake the stored waker"
        )
    });
    assert!(
        polls <= 4,
        "expected the countdown to be polled once, then once per wake-up (at most 4 times \
         for 3 ticks), but it was polled {polls} times: it was polled in vain, busy polling"
    );
}
