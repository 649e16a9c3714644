//! # Keeping the order: `filter`, `map` and `collect`
//!
//! Chapter 1 summed a slice with `par_iter().sum()`. Most parallel work produces a new
//! collection instead: keep some items, transform them, gather the results. The pieces
//! of the slice are transformed on different threads and finish in no particular order,
//! yet rayon's `collect` puts every result where its item was: the output has the order
//! of the input, whichever thread finished first.
//!
//! The code below is parallel, but it gathers the results by pushing them into a shared
//! `Vec` as each thread finishes one: the order of the output is the order in which
//! threads reached the lock. Make `keep_and_transform` return, in input order, the
//! transformed value of every item that `keep` accepts, still in parallel.

use rayon::prelude::*;
use std::sync::Mutex;

pub fn keep_and_transform<T, U, K, F>(items: &[T], keep: K, transform: F) -> Vec<U>
where
    T: Sync,
    U: Send,
    K: Fn(&T) -> bool + Sync + Send,
    F: Fn(&T) -> U + Sync + Send,
{
    // TODO: a shared Vec receives the results in whatever order the threads finish
    // (and every push waits for the lock). Let rayon gather them instead.
    let results = Mutex::new(Vec::new());
    items.par_iter().for_each(|item| {
        if keep(item) {
            let value = transform(item);
            results.lock().unwrap().push(value);
        }
    });
    results.into_inner().unwrap()
}
