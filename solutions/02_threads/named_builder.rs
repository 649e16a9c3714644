//! # Configuring threads with `thread::Builder`
//!
//! Each thread gets its name and stack size from its `Builder`, and `Builder::spawn`
//! reports a refused thread as an `io::Error`, which `?` hands to the caller. The
//! threads started before the failure keep running on their own.

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
        // Every thread owns a copy of `work`: one closure cannot move into two threads.
        let work = work.clone();
        let handle = thread::Builder::new()
            .name(format!("{prefix}-{index}"))
            .stack_size(stack_size)
            .spawn(move || work(index))?;
        handles.push(handle);
    }
    Ok(handles)
}
