//! # Spawning tasks
//!
//! `tokio::spawn` starts each download as a task at once, so they all make progress
//! while the caller does something else. Awaiting a handle yields `Err(JoinError)` when
//! the task panicked: `ok()` turns that into `None` and the caller carries on.

use futures::future::BoxFuture;
use tokio::task::JoinHandle;

/// Starts every download as a task of its own, right away, and returns their handles in
/// the same order.
pub fn start_downloads(downloads: Vec<BoxFuture<'static, u32>>) -> Vec<JoinHandle<u32>> {
    downloads.into_iter().map(tokio::spawn).collect()
}

/// Waits for every task, in order: `Some(size)` for a download that finished, `None` for
/// one whose task panicked.
pub async fn sizes(handles: Vec<JoinHandle<u32>>) -> Vec<Option<u32>> {
    let mut sizes = Vec::new();
    for handle in handles {
        sizes.push(handle.await.ok());
    }
    sizes
}
