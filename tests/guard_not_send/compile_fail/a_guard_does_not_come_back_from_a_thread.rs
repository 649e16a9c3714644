// A guard taken on one thread must not come back to another through `join`: the thread
// that locked would end while still holding the lock, and the guard would release it
// from the joining thread. Returning a value from a thread moves it between threads,
// so this too needs the guard to be `Send`, which it must not be.
// expect: E0277

#[path = "../../../exercises/05_send_sync/guard_not_send.rs"]
mod exercise;

fn main() {
    let lock = exercise::OwnerLock::new(0);
    let guard = std::thread::scope(|scope| scope.spawn(|| lock.lock()).join().unwrap());
    drop(guard);
}
