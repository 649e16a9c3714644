// A `&SharedList<Cell<i32>>` must not be shared between threads either: both threads
// could set the same `Cell` at once, a data race. `Arc<T>` is `Sync` only when
// `T: Send + Sync`, and `Cell` is not `Sync`; an `unsafe impl Sync` that asks only
// `T: Send` of the items would let this compile.
// expect: E0277

#[path = "../../../exercises/05_send_sync/rc_to_arc.rs"]
mod exercise;

use std::cell::Cell;

fn main() {
    let list = exercise::SharedList::new(vec![Cell::new(0)]);
    let shared = &list;
    std::thread::scope(|scope| {
        scope.spawn(move || shared.items()[0].set(1));
        shared.items()[0].set(2);
    });
}
