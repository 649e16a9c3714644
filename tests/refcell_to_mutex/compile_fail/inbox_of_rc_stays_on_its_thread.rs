// An `Inbox<Rc<String>>` must not be shared between threads: a message posted here could
// be taken out on another thread while this thread keeps a clone of the same `Rc`, and
// the two threads would then update one non-atomic count. An inbox may be `Sync` only
// when its messages are `Send`, as `Mutex<T>` is; an `unsafe impl Sync` without that
// bound would let this compile.
// expect: E0277

#[path = "../../../exercises/05_send_sync/refcell_to_mutex.rs"]
mod exercise;

use std::rc::Rc;

fn main() {
    let inbox = exercise::Inbox::new();
    let kept = Rc::new(String::from("hello"));
    inbox.post(Rc::clone(&kept));
    std::thread::scope(|scope| {
        scope.spawn(|| drop(inbox.take_all()));
    });
    drop(kept);
}
