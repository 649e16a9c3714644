//! # Scoped threads borrow local data
//!
//! `thread::spawn` needs `'static` closures because nothing stops the new thread from
//! outliving the data it would borrow. `thread::scope` does: every thread spawned on
//! the `scope` is joined before `scope` returns. So scoped threads may borrow the
//! caller's locals (even mutably, each a different part) without `Arc`, without
//! cloning, and without `'static`.
//!
//! Make `update_in_chunks` split `data` into chunks of `data.len().div_ceil(parts)`
//! elements (the last may be shorter) and run `update` on every chunk at the same time,
//! each on a scoped thread. `parts` is at least 1.

pub fn update_in_chunks<T, F>(data: &mut [T], parts: usize, update: F)
where
    T: Send,
    F: Fn(&mut [T]) + Sync,
{
    // `chunks_mut` needs a length of at least 1, even for an empty slice.
    let chunk_len = data.len().div_ceil(parts).max(1);
    // TODO: the chunks are updated one after another on the caller's thread. Spawn a
    // scoped thread for each chunk inside `std::thread::scope`.
    for chunk in data.chunks_mut(chunk_len) {
        update(chunk);
    }
}
