// A `RawBox<Rc<i32>>` must not be sent to another thread: the `Rc` would be dropped
// there while this thread keeps a clone, and both threads would update one non-atomic
// count. `Send` for `RawBox<T>` must require `T: Send`; an `unsafe impl<T> Send` without
// that bound lets the `Rc` cross.
// expect: E0277

#[path = "../../../exercises/05_send_sync/unsafe_impl_bounds.rs"]
mod exercise;

use std::rc::Rc;

fn main() {
    let kept = Rc::new(1);
    let boxed = exercise::RawBox::new(Rc::clone(&kept));
    let worker = std::thread::spawn(move || drop(boxed));
    drop(kept);
    worker.join().unwrap();
}
