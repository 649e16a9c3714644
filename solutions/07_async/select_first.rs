//! # `select!`: the first to finish wins
//!
//! `select!` polls both futures on this task; when one completes, its branch runs and the
//! other future is dropped, so the loser is cancelled before `race` returns. In
//! `sum_until` the deadline's `Sleep` is created once and pinned, so every round of the
//! loop waits for the same instant instead of starting a new timer.

use std::future::Future;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Which of the two futures given to `race` finished first, with its output.
#[derive(Debug, PartialEq, Eq)]
pub enum Winner<A, B> {
    First(A),
    Second(B),
}

/// Runs both futures at once and returns the output of the one that finishes first. The
/// other is dropped before `race` returns.
pub async fn race<A, B>(first: A, second: B) -> Winner<A::Output, B::Output>
where
    A: Future,
    B: Future,
{
    tokio::select! {
        output = first => Winner::First(output),
        output = second => Winner::Second(output),
    }
}

/// Adds up the numbers that arrive on `numbers` until `deadline`, and returns the sum.
/// Stops early if the channel closes.
pub async fn sum_until(mut numbers: mpsc::Receiver<u32>, deadline: Instant) -> u32 {
    let time_is_up = tokio::time::sleep_until(deadline);
    tokio::pin!(time_is_up);
    let mut sum = 0;
    loop {
        tokio::select! {
            received = numbers.recv() => match received {
                Some(number) => sum += number,
                None => return sum,
            },
            () = &mut time_is_up => return sum,
        }
    }
}
