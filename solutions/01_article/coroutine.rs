//! # A coroutine on the tokio runtime
//!
//! `#[tokio::main]` turns `main` into a plain function that starts a runtime and blocks
//! on the future; `tokio::time::sleep(..).await` suspends the coroutine and lets the
//! runtime run others on the same thread until the second has passed.

use std::time::Duration;

pub async fn coroutine() -> u32 {
    tokio::time::sleep(Duration::from_secs(1)).await;
    42
}

#[tokio::main]
pub async fn main() -> u32 {
    coroutine().await
}
