//! # A pipeline of two stages
//!
//! Each stage owns its function, its receiving end and the next channel's sending end.
//! Stage one works on item n+1 while stage two works on item n, and each channel keeps
//! its items in order, so the results come out in input order. When stage one ends it
//! drops its `Sender`, which ends stage two's loop; stage two then drops its own, which
//! ends the collecting loop here. Both threads have finished sending by then, so
//! joining them returns at once.

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
    stage_one.join().expect("stage one panicked");
    stage_two.join().expect("stage two panicked");
    collected
}
