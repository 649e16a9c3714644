//! # Counting words: a map per piece, merged
//!
//! To count words in parallel, the obvious move is one shared `Mutex<HashMap>` that
//! every thread updates. It gives the right counts, but only one thread can hold the
//! lock: the counting is sequential again, with the cost of the lock on top.
//!
//! `fold` and `reduce` avoid sharing altogether. Each piece of the input is counted
//! into a map of its own (the identity is an empty map), and the maps are then merged
//! pairwise. Merging is associative, as it must be, only if it *adds* the counts of a
//! word that both maps contain: a word can be in every piece.
//!
//! Make `tally` count how many times each item occurs, with a map per piece, merged.

use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// How many times each item occurs.
pub fn tally<K, I>(items: I) -> HashMap<K, usize>
where
    K: Hash + Eq + Send,
    I: ParallelIterator<Item = K>,
{
    // TODO: every thread waits for this one lock to count its item. Count each piece
    // into its own map with `fold`, then merge the maps with `reduce`.
    let counts = Mutex::new(HashMap::new());
    items.for_each(|item| *counts.lock().unwrap().entry(item).or_insert(0) += 1);
    counts.into_inner().unwrap()
}

/// How many times each word occurs in `text` (words are separated by whitespace).
pub fn word_counts(text: &str) -> HashMap<&str, usize> {
    tally(text.par_split_whitespace())
}
