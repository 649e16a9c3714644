//! # Keeping the order: `filter`, `map` and `collect`
//!
//! `par_iter()` is an indexed parallel iterator: rayon knows where each item sits in the
//! slice. `filter` and `map` run on whichever thread holds a piece, and `collect` joins
//! the pieces' results back in piece order, so the output has the order of the input
//! however the threads were scheduled. No lock is needed: each thread builds its own
//! part of the output.

use rayon::prelude::*;

pub fn keep_and_transform<T, U, K, F>(items: &[T], keep: K, transform: F) -> Vec<U>
where
    T: Sync,
    U: Send,
    K: Fn(&T) -> bool + Sync + Send,
    F: Fn(&T) -> U + Sync + Send,
{
    items
        .par_iter()
        .filter(|item| keep(item))
        .map(transform)
        .collect()
}
