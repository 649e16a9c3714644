//! # Borrowing from threads: `thread::spawn` versus `thread::scope`
//!
//! A thread started with `thread::spawn` may keep running after the function that
//! started it has returned: nothing makes that function wait. So the closure it runs
//! must be `'static`: it may own its data, but it may not borrow from the caller's
//! stack, which could be gone while the thread still reads it. `thread::scope` starts
//! threads that are all joined before `scope` returns, so they may borrow anything that
//! outlives the scope: the compiler can see that every borrow ends in time.
//!
//! `count_matching` cannot use `in_background`: its threads borrow `items` and
//! `matches`, which are not `'static`. Inside `thread::scope` they may, because the
//! scope joins the thread before `count_matching` returns. The spawned thread counts
//! one half while this thread counts the other; sharing `&matches` and `&T` between the
//! two threads is what needs `F: Sync` and `T: Sync`.

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
    let (left, right) = items.split_at(items.len() / 2);
    let count_half = |half: &[T]| half.iter().filter(|item| matches(item)).count();
    thread::scope(|scope| {
        let left_count = scope.spawn(|| count_half(left));
        let right_count = count_half(right);
        match left_count.join() {
            Ok(count) => count + right_count,
            // A panic in `matches` on the other thread is passed on, message and all.
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}
