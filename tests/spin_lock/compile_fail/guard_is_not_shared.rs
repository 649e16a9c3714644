// A `SpinLock<MutexGuard<..>>` must not be shared between threads, although a
// `MutexGuard` is `Sync`. Through the lock another thread could take the guard out
// (`std::mem::replace`) and drop it there, unlocking the mutex from a thread that never
// locked it, which some platforms forbid: a `MutexGuard` is not `Send`. Sharing the
// lock hands the value itself from thread to thread, so `SpinLock<T>` may be `Sync`
// only when `T: Send`; `T: Sync` is not the property that matters.
// expect: E0277

#[path = "../../../exercises/01_article/spin_lock.rs"]
mod exercise;

use std::sync::Mutex;

static COUNT: Mutex<i32> = Mutex::new(0);

fn main() {
    let lock = exercise::SpinLock::new(COUNT.lock().unwrap());
    std::thread::scope(|scope| {
        scope.spawn(|| {
            **lock.lock() += 1;
        });
    });
}
