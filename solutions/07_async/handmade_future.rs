//! # A future by hand, and its waker
//!
//! `poll` checks the count and stores the latest waker under the same lock that `tick`
//! takes, so the last tick either happens before the check (and `poll` returns
//! `Ready`) or finds the waker stored: no wake-up is lost. The task is woken exactly
//! once, by the tick that reaches zero, and is never polled in vain. The waker is
//! taken out and woken after the lock is released, so the woken task never waits for
//! it.

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
        let waker = {
            let mut state = self.state.lock().unwrap();
            if state.remaining == 0 {
                return;
            }
            state.remaining -= 1;
            if state.remaining > 0 {
                return;
            }
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Future for Countdown {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.lock().unwrap();
        if state.remaining == 0 {
            return Poll::Ready(());
        }
        match &mut state.waker {
            Some(waker) => waker.clone_from(cx.waker()),
            None => state.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}
