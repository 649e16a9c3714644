//! # Capstone: a pipeline of threads
//!
//! Each stage is a thread that loops over its input channel and sends into the next,
//! so the stages work on different items at the same time, and one channel per stage
//! keeps the items in order. The channels are bounded (`sync_channel`): a stage that
//! runs ahead blocks in `send` until the next one catches up (a slow `deliver` holds
//! back the transformer, and through it the parser), so memory stays bounded whatever
//! the input; a stage with nothing to do blocks in `recv`. Shutting down is just
//! dropping: when the lines run out the parser's sender drops, the transformer's loop
//! ends and drops its sender, and the delivering loop ends. Both threads are joined
//! before a panic is passed on, so no stage outlives the call, and a stage's panic
//! reaches the caller as it was instead of a silently short result.

use std::sync::mpsc::sync_channel;
use std::thread;

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
    let (parsed_tx, parsed_rx) = sync_channel(CAPACITY);
    let (transformed_tx, transformed_rx) = sync_channel(CAPACITY);

    let parser = thread::spawn(move || {
        for line in lines {
            let Some(item) = parse(&line) else { continue };
            // An error means the transformer has stopped (it panicked): stop too.
            if parsed_tx.send(item).is_err() {
                break;
            }
        }
    });
    let transformer = thread::spawn(move || {
        for item in parsed_rx {
            if transformed_tx.send(transform(item)).is_err() {
                break;
            }
        }
    });

    for result in transformed_rx {
        deliver(result);
    }
    // Both threads end before a panic is passed on.
    let stages = [parser.join(), transformer.join()];
    for stage in stages {
        if let Err(payload) = stage {
            std::panic::resume_unwind(payload);
        }
    }
}
