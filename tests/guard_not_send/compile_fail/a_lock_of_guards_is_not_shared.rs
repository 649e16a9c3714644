// An `OwnerLock<Option<MutexGuard<i32>>>` must not be shared between threads: another
// thread could take the guard out through the lock and drop it there, unlocking the
// mutex from a thread that did not lock it. A `MutexGuard` is `Sync` but not `Send`,
// and the lock hands its value from thread to thread, so `OwnerLock<T>` may be `Sync`
// only when `T: Send`; `unsafe impl<T: Sync> Sync`, or one without a bound, would let
// this compile.
// expect: E0277

#[path = "../../../exercises/05_send_sync/guard_not_send.rs"]
mod exercise;

use std::sync::Mutex;

fn main() {
    let mutex = Mutex::new(0);
    let lock = exercise::OwnerLock::new(Some(mutex.lock().unwrap()));
    std::thread::scope(|scope| {
        scope.spawn(|| drop(lock.lock().take()));
    });
}
