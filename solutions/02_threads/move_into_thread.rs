//! # Handing data to a thread with `move`
//!
//! The `move` closure owns `batch`, `process` and an owned copy of `label`, so nothing
//! it uses is borrowed from the caller and the thread may outlive this call. The batch
//! is processed and freed on the new thread; the caller only gets the handle.

use std::thread::{self, JoinHandle};

pub fn process_in_background<T, F>(label: &str, batch: Vec<T>, process: F) -> JoinHandle<String>
where
    T: Send + 'static,
    F: Fn(&T) + Send + 'static,
{
    // `label` is borrowed for this call only; the thread needs a copy of its own.
    let label = label.to_owned();
    thread::spawn(move || {
        for item in &batch {
            process(item);
        }
        let summary = format!("{label}: {} items", batch.len());
        drop(batch);
        summary
    })
}
