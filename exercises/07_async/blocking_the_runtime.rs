//! # Waiting without blocking the runtime
//!
//! A runtime thread runs many tasks by turns, and a task gives the thread back only at
//! an `.await` that is not ready. `std::thread::sleep` is not an await: it parks the
//! whole thread, and every other task on it stops until it returns. `tokio::time::sleep`
//! is a future: awaiting it suspends only this task, and the runtime runs the others
//! until the time is up. The same goes for any blocking call (a blocking read, a long
//! computation, a std lock that is held elsewhere) inside async code.
//!
//! `retry_with_backoff` calls `attempt` until it succeeds, waiting 100 ms after the first
//! failure and twice as long after each further one. Make it wait without blocking the
//! runtime's thread.

use std::time::Duration;

/// Calls `attempt` until it returns `Ok`, and returns that value. After a failure it
/// waits before trying again: 100 ms, then 200 ms, 400 ms, and so on.
pub async fn retry_with_backoff<T, E>(mut attempt: impl FnMut() -> Result<T, E>) -> T {
    let mut pause = Duration::from_millis(100);
    loop {
        match attempt() {
            Ok(value) => return value,
            Err(_) => {
                // TODO: this parks the runtime's thread: no other task runs until it
                // returns. Wait on the runtime's timer instead.
                std::thread::sleep(pause);
                pause *= 2;
            }
        }
    }
}
