//! # Counting words: a map per piece, merged
//!
//! Each piece is folded into its own `HashMap`, so no thread waits for another while
//! counting. `merge` pours the smaller map into the larger and adds the counts of the
//! words both contain; adding is associative and the empty map changes nothing, so any
//! cut of the input gives the same counts.

use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::Hash;

/// How many times each item occurs.
pub fn tally<K, I>(items: I) -> HashMap<K, usize>
where
    K: Hash + Eq + Send,
    I: ParallelIterator<Item = K>,
{
    items
        .fold(HashMap::new, |mut counts, item| {
            *counts.entry(item).or_insert(0) += 1;
            counts
        })
        .reduce(HashMap::new, merge)
}

/// The counts of two pieces together.
fn merge<K: Hash + Eq>(left: HashMap<K, usize>, right: HashMap<K, usize>) -> HashMap<K, usize> {
    let (mut larger, smaller) = if left.len() >= right.len() {
        (left, right)
    } else {
        (right, left)
    };
    for (item, count) in smaller {
        *larger.entry(item).or_insert(0) += count;
    }
    larger
}

/// How many times each word occurs in `text` (words are separated by whitespace).
pub fn word_counts(text: &str) -> HashMap<&str, usize> {
    tally(text.par_split_whitespace())
}
