// An `OwnerGuard` must not be sent to another thread: it would be dropped there, and
// dropping it releases a lock that only the thread holding it may release (as with an
// operating-system mutex, or `std::sync::MutexGuard`). The guard must not be `Send`: a
// `!Sync` marker such as `PhantomData<Cell<()>>` is not enough, since `Cell` is `Send`.
// expect: E0277

#[path = "../../../exercises/05_send_sync/guard_not_send.rs"]
mod exercise;

fn main() {
    let lock = exercise::OwnerLock::new(0);
    let guard = lock.lock();
    std::thread::scope(|scope| {
        scope.spawn(move || drop(guard));
    });
}
