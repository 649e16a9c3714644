//! # Recovering a poisoned lock
//!
//! When a thread panics while it holds a `MutexGuard`, the guard is dropped as the
//! panic unwinds and the mutex is unlocked, but it is also marked *poisoned*: the
//! thread stopped halfway through its change, so the data may be left inconsistent.
//! From then on `lock()` returns `Err(PoisonError)`, in every thread. That is why
//! `lock().unwrap()` is so common: it passes the panic on to the next thread.
//!
//! When the data can be checked and repaired, a thread can do better. The error still
//! holds the guard: `PoisonError::into_inner` hands it over. After repairing the data,
//! `Mutex::clear_poison` marks the mutex healthy again, so that later `lock()` calls
//! succeed and a future panic can be noticed afresh.
//!
//! This journal runs jobs that append entries while holding its lock, and remembers
//! how many entries belong to jobs that finished. A job that panics leaves its entries
//! half written. Make the journal roll those back and carry on after such a panic.

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
        // TODO: when the mutex is poisoned, take the guard out of the error, drop the
        // lines that the unfinished job wrote (those after `committed`), and mark the
        // mutex healthy again.
        self.entries.lock().unwrap()
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
