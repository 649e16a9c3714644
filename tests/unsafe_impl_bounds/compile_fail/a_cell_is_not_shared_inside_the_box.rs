// A `&RawBox<Cell<i32>>` must not be shared between threads: both threads could set
// the same `Cell` at once, a data race. `Sync` for `RawBox<T>` must require `T: Sync`
// (`T: Send` is not enough: a `Cell` is `Send`).
// expect: E0277

#[path = "../../../exercises/05_send_sync/unsafe_impl_bounds.rs"]
mod exercise;

use std::cell::Cell;

fn main() {
    let boxed = exercise::RawBox::new(Cell::new(0));
    let shared = &boxed;
    std::thread::scope(|scope| {
        scope.spawn(move || shared.set(1));
        shared.set(2);
    });
}
