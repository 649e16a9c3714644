//! # `select!`: the first to finish wins
//!
//! `tokio::select!` polls several futures on the current task and runs the branch of the
//! first one to complete. The others are dropped on the spot: whatever they were doing
//! is cancelled at the `.await` where they stood. That is how a task waits for "this or
//! that": a reply or a deadline, a message or a shutdown.
//!
//! In a loop, every `select!` starts its branches afresh: a `sleep(..)` written inside
//! it would restart on each round and might never fire. A deadline that must survive the
//! rounds is created once, before the loop, pinned (`tokio::pin!`), and polled by
//! reference (`&mut deadline`).
//!
//! Make `race` return the result of whichever future finishes first, dropping the other,
//! and make `sum_until` add up numbers until its deadline passes.

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
    // TODO: this waits for `first`, then for `second`, however long either takes.
    // Wait for both at once and keep only the first to finish.
    let output = first.await;
    second.await;
    Winner::First(output)
}

/// Adds up the numbers that arrive on `numbers` until `deadline`, and returns the sum.
/// Stops early if the channel closes.
pub async fn sum_until(mut numbers: mpsc::Receiver<u32>, deadline: Instant) -> u32 {
    // TODO: in a loop, wait for the next number or for the deadline, whichever comes
    // first (`tokio::time::sleep_until`). Create the deadline's future once, before the
    // loop.
    let _ = (&mut numbers, deadline);
    todo!("add up numbers until the deadline")
}
