// An `OwnerGuard<Cell<i32>>` must not be shared between threads: through `&OwnerGuard`
// each thread reaches the same `Cell`, and both could set it at once, a data race. The
// marker must keep the guard from being `Sync` as well as `Send`: `PhantomData<*const ()>`
// does; a marker that is `!Send` but `Sync`, such as
// `PhantomData<MutexGuard<'static, ()>>`, leaves the guard `Sync` whenever the lock is.
// expect: E0277

#[path = "../../../exercises/05_send_sync/guard_not_send.rs"]
mod exercise;

use std::cell::Cell;

fn main() {
    let lock = exercise::OwnerLock::new(Cell::new(0));
    let guard = lock.lock();
    let shared = &guard;
    std::thread::scope(|scope| {
        scope.spawn(move || shared.set(1));
        shared.set(2);
    });
}
