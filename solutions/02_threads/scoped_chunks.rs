//! # Scoped threads borrow local data
//!
//! `chunks_mut` hands out disjoint `&mut` chunks, so each scoped thread may own one
//! while the others work on theirs; all threads share `update` through a `&F`, which
//! is why `F: Sync`. `scope` joins every thread before it returns, and that is what
//! lets them borrow `data` and `update` from this stack frame.

use std::thread;

pub fn update_in_chunks<T, F>(data: &mut [T], parts: usize, update: F)
where
    T: Send,
    F: Fn(&mut [T]) + Sync,
{
    // `chunks_mut` needs a length of at least 1, even for an empty slice.
    let chunk_len = data.len().div_ceil(parts).max(1);
    // Borrowed once, so that every `move` closure copies the reference, not `update`.
    let update = &update;
    thread::scope(|scope| {
        for chunk in data.chunks_mut(chunk_len) {
            scope.spawn(move || update(chunk));
        }
    });
}
