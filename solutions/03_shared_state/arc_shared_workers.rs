//! # Shared ownership with `Arc`
//!
//! Each thread gets an `Arc::clone` of the data and of the work closure: one more owner
//! of the same value, moved into the thread, so the thread may outlive this function.
//! Nothing is copied but a pointer and a count, and the data and the closure are dropped
//! when the last worker finishes.

use std::sync::Arc;
use std::thread::{self, JoinHandle};

pub fn spawn_workers<T, R, F>(data: Arc<T>, workers: usize, work: F) -> Vec<JoinHandle<R>>
where
    T: Send + Sync + 'static,
    R: Send + 'static,
    F: Fn(usize, &T) -> R + Send + Sync + 'static,
{
    let work = Arc::new(work);
    (0..workers)
        .map(|worker| {
            let data = Arc::clone(&data);
            let work = Arc::clone(&work);
            thread::spawn(move || work(worker, &data))
        })
        .collect()
}
