//! # Waiting without blocking the runtime
//!
//! `tokio::time::sleep(pause).await` suspends this task on the runtime's timer and gives
//! the thread back, so every other task keeps running during the backoff.

use std::time::Duration;

/// Calls `attempt` until it returns `Ok`, and returns that value. After a failure it
/// waits before trying again: 100 ms, then 200 ms, 400 ms, and so on.
pub async fn retry_with_backoff<T, E>(mut attempt: impl FnMut() -> Result<T, E>) -> T {
    let mut pause = Duration::from_millis(100);
    loop {
        match attempt() {
            Ok(value) => return value,
            Err(_) => {
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
        }
    }
}
