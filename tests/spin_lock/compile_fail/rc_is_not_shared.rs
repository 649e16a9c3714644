// A `SpinLock<Rc<i32>>` must not be shared between threads. Through the lock each
// thread could clone the `Rc`, and the clones would then update one non-atomic count
// from two threads. `SpinLock<T>` may be `Sync` only when `T: Send`, as `Mutex<T>` is.
// expect: E0277

#[path = "../../../exercises/01_article/spin_lock.rs"]
mod exercise;

use std::rc::Rc;

fn main() {
    let lock = exercise::SpinLock::new(Rc::new(1));
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let _copy = Rc::clone(&lock.lock());
        });
    });
}
