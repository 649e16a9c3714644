// A `&MiniArc<Cell<i32>>` must not be shared between threads: both threads reach the
// same `Cell` through it, and both could set it at once, a data race. A `Cell` is `Send`
// but not `Sync`, so `MiniArc<T>` may be `Sync` only when `T: Sync`, as
// `std::sync::Arc` is; `unsafe impl<T: Send> Sync` would let this compile.
// expect: E0277

#[path = "../../../exercises/06_atomics/mini_arc.rs"]
mod exercise;

use std::cell::Cell;

fn main() {
    let shared = exercise::MiniArc::new(Cell::new(0));
    let borrowed = &shared;
    std::thread::scope(|scope| {
        scope.spawn(move || borrowed.set(1));
        borrowed.set(2);
    });
}
