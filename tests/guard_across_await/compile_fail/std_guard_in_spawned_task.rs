// A task that holds a `std::sync::MutexGuard` across an `.await` must not be spawned.
// `tokio::spawn` may resume the task on another worker thread after the await, and a
// std guard must be released by the thread that locked it, so the guard is not `Send`
// and neither is the future. Release the guard before awaiting, or use
// `tokio::sync::Mutex`.
// expect: "future cannot be sent between threads safely"

#[path = "../../../exercises/07_async/guard_across_await.rs"]
mod exercise;

use std::sync::{Arc, Mutex};

#[tokio::main]
async fn main() {
    let delivered = Arc::new(Mutex::new(0));
    let task = tokio::spawn(async move {
        let mut total = delivered.lock().unwrap();
        *total += exercise::deliver(3).await;
    });
    task.await.unwrap();
}
