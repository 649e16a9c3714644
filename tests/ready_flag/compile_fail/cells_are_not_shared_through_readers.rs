// A published `Cell` must not be read from two threads: both readers reach the same
// `Cell`, and both could set it at once, a data race. Readers on any thread share the
// one value, so the board may be `Sync` only when `T: Sync` (as well as `T: Send`);
// `unsafe impl<T: Send> Sync for Board<T>` would let a reader of a `Cell` cross.
// expect: E0277

#[path = "../../../exercises/06_atomics/ready_flag.rs"]
mod exercise;

use std::cell::Cell;

fn main() {
    let (publisher, reader) = exercise::publication();
    publisher.publish(Cell::new(0));
    let other = reader.clone();
    let worker = std::thread::spawn(move || other.get().unwrap().set(1));
    reader.get().unwrap().set(2);
    worker.join().unwrap();
}
