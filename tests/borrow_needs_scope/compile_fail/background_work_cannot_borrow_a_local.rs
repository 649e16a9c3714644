// Work passed to `in_background` must not borrow a local: the thread may still be
// running after the local is gone (here it is dropped at once), and it would read
// freed memory. The `'static` bound on `in_background` is what rejects this; loosening
// it (with `unsafe`) to let `count_matching` borrow would make it unsound. Threads that
// borrow belong inside `thread::scope`.
// expect: E0373, E0505

#[path = "../../../exercises/05_send_sync/borrow_needs_scope.rs"]
mod exercise;

fn main() {
    let readings = vec![1, 2, 3];
    let handle = exercise::in_background(|| readings.len());
    drop(readings);
    handle.join().unwrap();
}
