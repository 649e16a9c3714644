//! # Configuring threads with `thread::Builder`
//!
//! `thread::spawn` is a shortcut with the defaults: no name, the default stack (2 MiB),
//! and a panic if the operating system refuses to create the thread. A
//! `thread::Builder` lets you choose: a name (it appears in panic messages, in
//! debuggers, and in `thread::current().name()`), a stack size for work that needs a
//! deep stack, and a `spawn` that returns `io::Result<JoinHandle<T>>`, so that running
//! out of threads or memory is an error the caller can handle.
//!
//! Make `spawn_workers` start `count` threads named `"{prefix}-{index}"` (index from 0),
//! each with a stack of `stack_size` bytes and each running `work(index)`. If a thread
//! cannot be created, return the error instead of panicking.

use std::io;
use std::thread::{self, JoinHandle};

pub fn spawn_workers<T, F>(
    prefix: &str,
    count: usize,
    stack_size: usize,
    work: F,
) -> io::Result<Vec<JoinHandle<T>>>
where
    F: Fn(usize) -> T + Clone + Send + 'static,
    T: Send + 'static,
{
    let mut handles = Vec::with_capacity(count);
    for index in 0..count {
        let work = work.clone();
        // TODO: `thread::spawn` gives no name and the default stack, and panics when
        // the thread cannot be created. Build the thread with `thread::Builder`
        // (`prefix` and `stack_size` are unused until then) and pass its error on.
        let _ = (prefix, stack_size);
        handles.push(thread::spawn(move || work(index)));
    }
    Ok(handles)
}
