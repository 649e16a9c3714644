//! # A pipeline of two stages
//!
//! Channels can connect threads in a line: each stage receives items from the stage
//! before, works on them, and sends the results on. While the second stage works on
//! one item, the first can already work on the next, so the stages run at the same
//! time, like stations on an assembly line. Each channel keeps the order of its items,
//! so the results come out in the order the inputs went in.
//!
//! The hang-up travels down the line too: when the first stage has sent its last item
//! and ends, it drops its `Sender`; that ends the second stage's `for` loop, which ends
//! the second stage and drops *its* `Sender`, which ends the loop of whoever collects
//! the results.
//!
//! Make `run_two_stages` run `first` on every input on one thread and `second` on each
//! of `first`'s results on another, connected by a channel, and collect `second`'s
//! results from a second channel, in input order. Join both stage threads before
//! returning. If `first` or `second` panics, `run_two_stages` panics with that same
//! panic (`std::panic::resume_unwind` passes on what `join` returns), not one of its own.

pub fn run_two_stages<A, B, C, F, G>(inputs: Vec<A>, first: F, second: G) -> Vec<C>
where
    A: Send + 'static,
    B: Send + 'static,
    C: Send + 'static,
    F: FnMut(A) -> B + Send + 'static,
    G: FnMut(B) -> C + Send + 'static,
{
    // TODO: this runs both stages on the caller's thread, one item at a time. Give each
    // stage a thread of its own: stage one sends its results over a channel to stage
    // two, which sends its results over another channel back here.
    inputs.into_iter().map(first).map(second).collect()
}
