// A `MiniArc<MutexGuard<i32>>` must not be sent to another thread: its last owner there
// would drop the guard, unlocking the mutex from a thread that did not lock it. A
// `MutexGuard` is `Sync` but not `Send`, and whichever thread lets go last drops the
// value, so `MiniArc<T>` may be `Send` only when `T: Send` as well as `T: Sync`, as
// `std::sync::Arc` is; `unsafe impl<T: Sync> Send` would let this compile.
// expect: E0277

#[path = "../../../exercises/06_atomics/mini_arc.rs"]
mod exercise;

use std::sync::Mutex;

fn main() {
    let mutex = Mutex::new(0);
    let shared = exercise::MiniArc::new(mutex.lock().unwrap());
    std::thread::scope(|scope| {
        scope.spawn(move || drop(shared));
    });
}
