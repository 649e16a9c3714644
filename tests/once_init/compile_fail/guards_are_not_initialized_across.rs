// A `OnceCell<MutexGuard<i32>>` must not be shared between threads: the thread that
// initializes it is not always the one that drops it, and a guard locked on one thread
// and dropped on another unlocks the mutex from a thread that did not lock it. A
// `MutexGuard` is `Sync` but not `Send`, so the cell may be `Sync` only when `T: Send`
// (as well as `T: Sync`); `unsafe impl<T: Sync> Sync` would let this compile.
// expect: E0277

#[path = "../../../exercises/06_atomics/once_init.rs"]
mod exercise;

use std::sync::Mutex;

fn main() {
    let mutex = Mutex::new(0);
    let cell = exercise::OnceCell::new();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            cell.get_or_init(|| mutex.lock().unwrap());
        });
    });
    drop(cell);
}
