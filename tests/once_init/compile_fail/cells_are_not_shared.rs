// A `OnceCell<Cell<i32>>` must not be shared between threads: every thread that sees it
// READY reaches the same `Cell`, and two could set it at once, a data race. Any thread
// may read the value, so the cell may be `Sync` only when `T: Sync` (as well as
// `T: Send`); `unsafe impl<T: Send> Sync` would let this compile.
// expect: E0277

#[path = "../../../exercises/06_atomics/once_init.rs"]
mod exercise;

use std::cell::Cell;

fn main() {
    let cell = exercise::OnceCell::new();
    cell.get_or_init(|| Cell::new(0));
    std::thread::scope(|scope| {
        scope.spawn(|| cell.get().unwrap().set(1));
        cell.get().unwrap().set(2);
    });
}
