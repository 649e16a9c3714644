//! # A pipeline of two stages
//!
//! Each stage owns its function, its receiving end and the next channel's sending end.
//! Stage one works on item n+1 while stage two works on item n, and each channel keeps
//! its items in order, so the results come out in input order. When stage one ends it
//! drops its `Sender`, which ends stage two's loop; stage two then drops its own, which
//! ends the collecting loop here. Both threads have finished sending by then, so
//! joining them returns at once.
//!
//! A stage that panics drops what it owns as it unwinds, its channel ends included, so
//! the line still stops; its `join` then returns the panic's payload, and
//! `resume_unwind` passes that very payload on. `expect` would panic with a message of
//! its own, and what went wrong in the stage would be lost.

use std::sync::mpsc;
use std::thread;

pub fn run_two_stages<A, B, C, F, G>(inputs: Vec<A>, mut first: F, mut second: G) -> Vec<C>
where
    A: Send + 'static,
    B: Send + 'static,
    C: Send + 'static,
    F: FnMut(A) -> B + Send + 'static,
    G: FnMut(B) -> C + Send + 'static,
{
    let (to_second, from_first) = mpsc::channel();
    let (to_collector, results) = mpsc::channel();

    let stage_one = thread::spawn(move || {
        for input in inputs {
            if to_second.send(first(input)).is_err() {
                return;
            }
        }
    });
    let stage_two = thread::spawn(move || {
        for item in from_first {
            if to_collector.send(second(item)).is_err() {
                return;
            }
        }
    });

    let collected = results.iter().collect();
    for stage in [stage_one, stage_two] {
        if let Err(panic) = stage.join() {
            std::panic::resume_unwind(panic);
        }
    }
    collected
}
