// A `SharedList<MutexGuard<i32>>` must not be sent to another thread: the last owner
// there would drop the guard, unlocking the mutex from a thread that did not lock it.
// `Arc<T>` is `Send` only when `T: Send + Sync`, and a `MutexGuard` is `Sync` but not
// `Send`, so this list must stay on its thread: an `unsafe impl Send` that asks only
// `T: Sync` of the items would let it cross.
// expect: E0277

#[path = "../../../exercises/05_send_sync/rc_to_arc.rs"]
mod exercise;

use std::sync::Mutex;

fn main() {
    let lock = Mutex::new(0);
    let list = exercise::SharedList::new(vec![lock.lock().unwrap()]);
    std::thread::scope(|scope| {
        scope.spawn(move || drop(list));
    });
}
