//! # Futures are lazy
//!
//! Every step of `open_read_close` is awaited, so each runs, in order, and is finished
//! before the next starts. (`join!` would poll all three at once: their writes would
//! overlap, which is right for independent work and wrong for steps that build on each
//! other.) `deferred_note` does all its work inside the `async` block it returns: calling
//! it only builds the future, and the entry is recorded when the future is polled:
//! exactly what `async fn deferred_note(..) { journal.push(entry) }` would do.

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

/// A list of what happened, in order.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<Vec<String>>,
}

impl Journal {
    pub fn new() -> Journal {
        Journal::default()
    }

    pub fn entries(&self) -> Vec<String> {
        self.entries.lock().unwrap().clone()
    }

    fn push(&self, entry: &str) {
        self.entries.lock().unwrap().push(entry.to_string());
    }
}

/// Records `entry` in the journal. Writing takes 10 ms (it stands for a write to a file),
/// and the entry appears once it is written.
pub async fn note(journal: &Journal, entry: &str) {
    tokio::time::sleep(Duration::from_millis(10)).await;
    journal.push(entry);
}

/// Records "open", "read" and "close", in that order, each step finished before the next
/// starts.
pub async fn open_read_close(journal: &Journal) {
    note(journal, "open").await;
    note(journal, "read").await;
    note(journal, "close").await;
}

/// Returns a future that records `entry` when it is awaited, and not before.
// Written out by hand on purpose: this is what an `async fn` turns into.
#[allow(clippy::manual_async_fn)]
pub fn deferred_note<'a>(journal: &'a Journal, entry: &'a str) -> impl Future<Output = ()> + 'a {
    async move { journal.push(entry) }
}
