//! # Handing data to a thread with `move`
//!
//! A spawned thread may outlive the function that started it, so its closure cannot
//! borrow that function's locals: `thread::spawn` asks for a `'static` closure. A
//! `move` closure takes ownership of everything it captures, and from then on the data
//! belongs to the new thread: the thread uses it, and the thread frees it when it is
//! done. What the caller has only borrowed (like `label`) must first be turned into
//! an owned value (`to_owned`, `clone`), and that copy moved.
//!
//! Make `process_in_background` return at once with the handle of a new thread. That
//! thread runs `process` on every item of `batch`, drops the batch, and returns the
//! summary `"{label}: {count} items"`.

use std::thread::{self, JoinHandle};

pub fn process_in_background<T, F>(label: &str, batch: Vec<T>, process: F) -> JoinHandle<String>
where
    T: Send + 'static,
    F: Fn(&T) + Send + 'static,
{
    // TODO: all of this runs on the caller's thread before the new thread even starts,
    // and the caller waits for it. Move the work into the thread's closure: give it an
    // owned copy of `label`, and let it own `batch` and `process`.
    for item in &batch {
        process(item);
    }
    let summary = format!("{label}: {} items", batch.len());
    drop(batch);
    thread::spawn(move || summary)
}
