//! # Spawning tasks
//!
//! `tokio::spawn` hands a future to the runtime as a task of its own. Unlike a future
//! you merely hold, a task starts running at once, in the background, whether or not
//! anyone awaits it; the spawner gets a `JoinHandle` and carries on. Awaiting the handle
//! waits for the task and gives `Result<T, JoinError>`: `Err` if the task panicked (or
//! was aborted). A panic inside a task ends that task only: it reaches the spawner as a
//! value it can handle, never as a panic of its own unless it unwraps it.
//!
//! Make `start_downloads` start every download as a task at once, and make `sizes`
//! wait for them and report a download whose task panicked as `None`.

use futures::future::BoxFuture;
use tokio::task::JoinHandle;

/// Starts every download as a task of its own, right away, and returns their handles in
/// the same order.
pub fn start_downloads(downloads: Vec<BoxFuture<'static, u32>>) -> Vec<JoinHandle<u32>> {
    // TODO: spawn each download on the runtime and keep its `JoinHandle`.
    let _ = downloads;
    todo!("spawn every download as a task")
}

/// Waits for every task, in order: `Some(size)` for a download that finished, `None` for
/// one whose task panicked.
pub async fn sizes(handles: Vec<JoinHandle<u32>>) -> Vec<Option<u32>> {
    let mut sizes = Vec::new();
    for handle in handles {
        // TODO: a task that panicked gives `Err(JoinError)`; `unwrap` turns it into a
        // panic of the caller. Report it as `None` instead.
        sizes.push(Some(handle.await.unwrap()));
    }
    sizes
}
