// A published `MutexGuard` must not reach another thread: the last reader to let go of
// the board drops the value, and on another thread that would unlock the mutex from a
// thread that did not lock it. A `MutexGuard` is `Sync` but not `Send`: the board may
// cross threads only when `T: Send` as well as `T: Sync`, and no `unsafe impl Send` may
// promise otherwise.
// expect: E0277

#[path = "../../../exercises/06_atomics/ready_flag.rs"]
mod exercise;

use std::sync::Mutex;

fn main() {
    let mutex = Mutex::new(0);
    let (publisher, reader) = exercise::publication();
    publisher.publish(mutex.lock().unwrap());
    std::thread::scope(|scope| {
        scope.spawn(move || drop(reader));
    });
}
