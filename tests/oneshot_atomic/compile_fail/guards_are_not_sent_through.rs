// A `MutexGuard` must not be sent through the channel: it was locked on the sending
// thread and would be dropped on the receiving one, unlocking the mutex from a thread
// that did not lock it. A `MutexGuard` is `Sync` but not `Send`, and what crosses a
// channel moves between threads, so either end may cross threads only when `T: Send`;
// no `unsafe impl Send` may promise otherwise.
// expect: E0277

#[path = "../../../exercises/06_atomics/oneshot_atomic.rs"]
mod exercise;

use std::sync::Mutex;

fn main() {
    let mutex = Mutex::new(0);
    let mutex = &mutex;
    let (sender, receiver) = exercise::oneshot();
    std::thread::scope(|scope| {
        scope.spawn(move || sender.send(mutex.lock().unwrap()));
    });
    drop(receiver.recv());
}
