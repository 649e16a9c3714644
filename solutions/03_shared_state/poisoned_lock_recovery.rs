//! # Recovering a poisoned lock
//!
//! `lock` treats poison as a report that the last job did not finish: it takes the
//! guard out of the `PoisonError`, cuts the lines back to what finished jobs committed
//! (which restores the journal's invariant), and only then clears the poison, while it
//! still holds the lock, so no other thread can see the repaired mutex before the
//! repair is done.

use std::sync::{Mutex, MutexGuard};

#[derive(Default)]
struct Entries {
    lines: Vec<String>,
    /// How many of `lines` were written by jobs that finished.
    committed: usize,
}

#[derive(Default)]
pub struct Journal {
    entries: Mutex<Entries>,
}

impl Journal {
    pub fn new() -> Self {
        Journal::default()
    }

    /// Takes the lock. If a job panicked while holding it, first repairs the entries.
    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|poisoned| {
            let mut entries = poisoned.into_inner();
            let committed = entries.committed;
            entries.lines.truncate(committed);
            self.entries.clear_poison();
            entries
        })
    }

    /// Runs `job` with the journal locked; the lines the job appends are kept only if it
    /// finishes. A job that panics propagates the panic to its caller.
    pub fn run<R>(&self, job: impl FnOnce(&mut Vec<String>) -> R) -> R {
        let mut entries = self.lock();
        let result = job(&mut entries.lines);
        entries.committed = entries.lines.len();
        result
    }

    /// The lines written by finished jobs.
    pub fn lines(&self) -> Vec<String> {
        let entries = self.lock();
        entries.lines[..entries.committed].to_vec()
    }

    /// Whether a job panicked while holding the lock and nobody has repaired it since.
    pub fn is_poisoned(&self) -> bool {
        self.entries.is_poisoned()
    }
}
