//! # Futures are lazy
//!
//! Calling an `async fn` runs none of its body: it returns a future, a value that
//! describes the work. The body runs only when something polls the future, and inside
//! another `async fn` that is what `.await` does. A future that is created and never
//! awaited is dropped unfinished: its work never happens (the compiler warns
//! "futures do nothing unless you `.await` or poll them"). The same holds for a plain
//! `fn` that returns `impl Future`: only the work inside the returned `async` block is
//! deferred; whatever the function does before returning it runs at once.
//!
//! Make `open_read_close` record its three steps in order, one after another: a file is
//! read only once it is open, and closed only once it has been read. Make
//! `deferred_note` record nothing until its future is awaited. Leave `note` as it is.

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
    // TODO: this builds a future and drops it: the step never runs.
    note(journal, "read");
    note(journal, "close").await;
}

/// Returns a future that records `entry` when it is awaited, and not before.
// Written out by hand on purpose: this is what an `async fn` turns into.
#[allow(clippy::manual_async_fn)]
pub fn deferred_note<'a>(journal: &'a Journal, entry: &'a str) -> impl Future<Output = ()> + 'a {
    // TODO: this line runs as soon as `deferred_note` is called. Only the work inside
    // the `async` block waits until the future is awaited.
    journal.push(entry);
    async move {}
}
