// An `Inbox<MutexGuard<i32>>` must not be shared between threads: a guard posted here
// could be taken out and dropped on another thread, unlocking the mutex from a thread
// that did not lock it. A `MutexGuard` is `Sync` but not `Send`, and an inbox hands each
// message from one thread to another, so it may be `Sync` only when its messages are
// `Send` (as `Mutex<T>` is); an `unsafe impl Sync` that asks `T: Sync` instead would let
// this compile.
// expect: E0277

#[path = "../../../exercises/05_send_sync/refcell_to_mutex.rs"]
mod exercise;

use std::sync::Mutex;

fn main() {
    let lock = Mutex::new(0);
    let inbox = exercise::Inbox::new();
    inbox.post(lock.lock().unwrap());
    std::thread::scope(|scope| {
        scope.spawn(|| drop(inbox.take_all()));
    });
}
