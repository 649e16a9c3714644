// Shared ownership does not make every value shareable. A `SharedList<Cell<i32>>`
// sent to another thread would let two threads set the same `Cell` at once, a data race.
// `Arc<T>` is `Send` only when `T: Send + Sync`, and `Cell` is not `Sync`, so this list
// must stay on its thread: no `unsafe impl Send` may promise otherwise.
// expect: E0277

#[path = "../../../exercises/05_send_sync/rc_to_arc.rs"]
mod exercise;

use std::cell::Cell;

fn main() {
    let list = exercise::SharedList::new(vec![Cell::new(0)]);
    let other = list.clone();
    let worker = std::thread::spawn(move || other.items()[0].set(1));
    list.items()[0].set(2);
    worker.join().unwrap();
}
