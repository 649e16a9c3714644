//! # A coroutine on the tokio runtime
//!
//! The article's second example writes `async fn main`, which does not compile: an
//! `async fn` only describes work as a future, and something must poll that future to
//! run it. That something is a runtime such as tokio's. A coroutine that waits must
//! also give its thread back to the runtime while it waits, so that other coroutines
//! can run there in the meantime.
//!
//! Make `coroutine` wait for one second without blocking its thread and then return
//! 42, and make `main` a plain function that runs `coroutine` to completion.

use std::time::Duration;

pub async fn coroutine() -> u32 {
    // Code to be run in the coroutine
    // TODO: wait one second without blocking the thread, then return 42.
    let _one_second = Duration::from_secs(1);
    todo!("wait one second, then return 42")
}

// TODO: an `async fn main` cannot start itself. Make `main` a plain `fn() -> u32` that
// drives `coroutine` to completion on a tokio runtime.
pub async fn main() -> u32 {
    let result = coroutine().await;
    result
}
