// A `RawBox<MutexGuard<i32>>` must not be sent to another thread: the guard would be
// dropped there, unlocking the mutex from a thread that did not lock it. `Send` for
// `RawBox<T>` must require `T: Send`; `T: Sync` is not enough (a `MutexGuard` is `Sync`).
// expect: E0277

#[path = "../../../exercises/05_send_sync/unsafe_impl_bounds.rs"]
mod exercise;

use std::sync::Mutex;

fn main() {
    let lock = Mutex::new(0);
    let boxed = exercise::RawBox::new(lock.lock().unwrap());
    std::thread::scope(|scope| {
        scope.spawn(move || drop(boxed));
    });
}
