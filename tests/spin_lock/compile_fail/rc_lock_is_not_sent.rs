// A `SpinLock<Rc<i32>>` must not be sent to another thread. The two threads would then
// hold clones of one `Rc` (one taken before the lock moved, one after), and update its
// non-atomic count at the same time. `SpinLock<T>` is `Send` exactly when `T` is, as
// the compiler works out by itself: it needs no `unsafe impl Send`.
// expect: E0277

#[path = "../../../exercises/01_article/spin_lock.rs"]
mod exercise;

use std::rc::Rc;

fn main() {
    let lock = exercise::SpinLock::new(Rc::new(1));
    let _mine = Rc::clone(&lock.lock());
    std::thread::spawn(move || {
        let _theirs = Rc::clone(&lock.lock());
    })
    .join()
    .unwrap();
}
