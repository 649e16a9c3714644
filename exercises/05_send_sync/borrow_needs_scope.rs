//! # Borrowing from threads: `thread::spawn` versus `thread::scope`
//!
//! A thread started with `thread::spawn` may keep running after the function that
//! started it has returned: nothing makes that function wait. So the closure it runs
//! must be `'static`: it may own its data, but it may not borrow from the caller's
//! stack, which could be gone while the thread still reads it. `thread::scope` starts
//! threads that are all joined before `scope` returns, so they may borrow anything that
//! outlives the scope: the compiler can see that every borrow ends in time.
//!
//! `in_background` runs work on a thread that may outlive its caller; its `'static`
//! bounds are what make it sound, so leave it as it is. `count_matching` counts the
//! matching items of a slice that it only borrows, on one thread. Make it count on two
//! threads at once, each thread counting one half of the slice. If `matches` panics, on
//! either thread, `count_matching` must panic with that same panic, not one of its own
//! (`std::panic::resume_unwind` passes on what `join` returns). Try `in_background`
//! first if you like, and read what the compiler says about the borrow.

use std::thread::{self, JoinHandle};

/// Runs `work` on a new thread and returns at once; `join` the handle for the result.
pub fn in_background<F, T>(work: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    thread::spawn(work)
}

/// How many of `items` satisfy `matches`, counted on two threads at once.
pub fn count_matching<T, F>(items: &[T], matches: F) -> usize
where
    T: Sync,
    F: Fn(&T) -> bool + Sync,
{
    // TODO: this counts on one thread. Split `items` in two halves and count them on
    // two threads at the same time. The threads borrow `items` and `matches`, which
    // belong to the caller: only threads that are joined before this function returns
    // may do that.
    items.iter().filter(|item| matches(item)).count()
}
