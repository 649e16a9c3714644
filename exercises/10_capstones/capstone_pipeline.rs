//! # Capstone: a pipeline of threads
//!
//! An assembly line: a parser thread turns lines into items, a transformer thread
//! works on each item, and the calling thread hands each result to `deliver`. Channels
//! (chapter 4) connect the stages, each its own thread (chapter 2), so while the
//! transformer works on item 1, the parser is already parsing item 2.
//!
//! Three things make a pipeline good:
//!
//! - **Order.** One thread per stage and one channel between stages keep the items in
//!   the order they came in.
//! - **Backpressure.** If the parser is faster than the transformer, an unbounded
//!   channel fills with every item of the input. A bounded one,
//!   `mpsc::sync_channel(CAPACITY)`, makes the parser's `send` wait while the channel
//!   is full, so no stage runs more than a few items ahead. The same holds at the end:
//!   while `deliver` is busy with one result, the transformer waits, and through it the
//!   parser.
//! - **Clean shutdown.** When the input ends, every stage must end too, with no thread
//!   left running and nobody waiting forever. Dropping a `Sender` closes its channel,
//!   and a `for item in receiver` loop ends once its channel is closed and empty. Join
//!   every thread before returning; if a stage panicked, pass its panic on
//!   (`std::panic::resume_unwind`) rather than return a silently short result.
//!
//! Write `run_pipeline`.

/// How many items each channel between two stages holds before its sender waits.
pub const CAPACITY: usize = 4;

/// Runs `lines` through a three-stage pipeline: a parser thread turns each line into an
/// item with `parse` (skipping lines it gives `None` for), a transformer thread applies
/// `transform` to each item, and the calling thread hands each result to `deliver`, in
/// input order.
///
/// The stages run at the same time, connected by channels of `CAPACITY` items, so no
/// stage runs more than a few items ahead of the next. When the lines run out, every
/// stage finishes and its thread is joined before this returns. If a stage panics,
/// this panics too, with that stage's panic, once both threads have ended.
pub fn run_pipeline<A, B>(
    lines: impl Iterator<Item = String> + Send + 'static,
    parse: impl Fn(&str) -> Option<A> + Send + 'static,
    transform: impl Fn(A) -> B + Send + 'static,
    mut deliver: impl FnMut(B),
) where
    A: Send + 'static,
    B: Send + 'static,
{
    // TODO: make two bounded channels of CAPACITY items: parser → transformer, and
    // transformer → the calling thread.
    // TODO: spawn the parser: for each line, parse it and send the item on (skip
    // `None`). If `send` fails, the transformer is gone: stop.
    // TODO: spawn the transformer: receive each item, transform it, send it on.
    // TODO: here, on the calling thread, call `deliver` with each result as it comes;
    // then join both threads, and only then pass on a stage's panic with
    // `std::panic::resume_unwind`.
    let _ = (lines, parse, transform, deliver);
    todo!("connect a parser thread and a transformer thread with bounded channels")
}
