// A `MiniArc<Cell<i32>>` must not be sent to another thread: the clone there and the
// owner here reach the same `Cell`, and both could set it at once, a data race. A
// `Cell` is `Send` but not `Sync`, and every owner of a `MiniArc` may use the value
// from its own thread, so `MiniArc<T>` may be `Send` only when `T: Sync` as well as
// `T: Send`, as `std::sync::Arc` is; `unsafe impl<T: Send> Send` would let this compile.
// expect: E0277

#[path = "../../../exercises/06_atomics/mini_arc.rs"]
mod exercise;

use std::cell::Cell;

fn main() {
    let shared = exercise::MiniArc::new(Cell::new(0));
    let other = shared.clone();
    let worker = std::thread::spawn(move || other.set(1));
    shared.set(2);
    worker.join().unwrap();
}
