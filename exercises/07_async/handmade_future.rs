//! # A future by hand, and its waker
//!
//! Under every `.await` is `Future::poll`. The runtime calls `poll` with a `Context`
//! that holds a `Waker` for the task. A future that is not ready returns
//! `Poll::Pending`, but first it must arrange to be woken: it keeps a clone of the waker,
//! and whoever makes it ready later (another thread, a timer, an IO event) calls
//! `wake()` on it, and the runtime polls the task again. A future that returns
//! `Pending` without arranging a wake-up is never polled again; one that wakes itself
//! at once is polled again and again, burning a core: busy polling.
//!
//! A task may move, and `poll` may be called with a different waker each time: always
//! keep the waker from the latest call. Keep the count and the waker under one lock, so
//! that a tick on another thread cannot slip in between checking the count and storing
//! the waker (that would lose the wake-up).
//!
//! `countdown(n)` returns a future that completes after `n` calls of `Ticker::tick`,
//! made from any thread. Make it wait without busy polling, and make the last tick wake
//! it (and only the last: a task woken before it can finish is polled in vain).
//!
//! The exercise imports `Arc` and `Mutex` from `threadlings::sync`: std's in a normal
//! build, and loom's when the loom check explores every interleaving of a tick on
//! another thread with a poll.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use threadlings::sync::{Arc, Mutex};

#[derive(Debug)]
struct State {
    remaining: usize,
    waker: Option<Waker>,
}

/// Completes once its ticker has ticked down to zero.
#[derive(Debug)]
pub struct Countdown {
    state: Arc<Mutex<State>>,
}

/// Counts a `Countdown` down; clone it and send it to other threads freely.
#[derive(Debug, Clone)]
pub struct Ticker {
    state: Arc<Mutex<State>>,
}

/// A countdown from `ticks`, and the ticker that counts it down.
pub fn countdown(ticks: usize) -> (Countdown, Ticker) {
    let state = Arc::new(Mutex::new(State {
        remaining: ticks,
        waker: None,
    }));
    (
        Countdown {
            state: Arc::clone(&state),
        },
        Ticker { state },
    )
}

impl Ticker {
    /// One tick; the tick that reaches zero wakes the countdown's task.
    pub fn tick(&self) {
        let mut state = self.state.lock().unwrap();
        state.remaining = state.remaining.saturating_sub(1);
        // TODO: when this tick reaches zero, wake the waker stored by `poll`.
    }
}

impl Future for Countdown {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let state = self.state.lock().unwrap();
        if state.remaining == 0 {
            return Poll::Ready(());
        }
        // TODO: this asks to be polled again at once, and again, until the countdown
        // ends: busy polling. Store the waker instead, for the last tick to wake.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
