//! # `fold` and `reduce`: an identity and an associative combine
//!
//! `sum` is a special case of a general pattern. rayon cuts the items into pieces; each
//! piece is *folded* into a summary of its own, starting from an *identity* (the summary
//! of no items), and the summaries are *reduced* pairwise into one. How the items are
//! cut, and so how the summaries are grouped, depends on the number of threads and on
//! how work was stolen. The result is the same for every cut only if
//!
//! - the identity changes nothing: `combine(identity, s) == s`. For a (min, max) pair,
//!   `(0, 0)` is no identity: it claims that a 0 was seen. Here it is `None`;
//! - `combine` is associative: `combine(combine(a, b), c) == combine(a, combine(b, c))`.
//!   Subtraction is not: `(8 - 4) - 2 != 8 - (4 - 2)`, so a "parallel difference" would
//!   change with the cut.
//!
//! `min_max` works on any parallel iterator, so the checks can choose how it is cut.
//! Write `combine`, then make `min_max` fold each piece with `add` and reduce the
//! pieces' summaries with `combine`, in parallel.

use rayon::prelude::*;

/// The smallest and largest item seen, or `None` before any item.
pub type Summary<T> = Option<(T, T)>;

/// Adds one item to a summary.
pub fn add<T: Ord + Copy>(summary: Summary<T>, item: T) -> Summary<T> {
    match summary {
        None => Some((item, item)),
        Some((low, high)) => Some((low.min(item), high.max(item))),
    }
}

/// Combines the summaries of two neighbouring pieces.
pub fn combine<T: Ord + Copy>(left: Summary<T>, right: Summary<T>) -> Summary<T> {
    // TODO: the summary of both pieces together. `None` is the identity: combined with
    // any summary, it must give that summary back.
    let _ = (left, right);
    todo!("combine two summaries")
}

pub fn min_max<T, I>(items: I) -> Summary<T>
where
    T: Ord + Copy + Send,
    I: ParallelIterator<Item = T>,
{
    // TODO: this gathers every item and summarizes them on one thread. Fold each piece
    // into a summary in parallel, then reduce the summaries with `combine`.
    let all: Vec<T> = items.collect();
    all.into_iter().fold(None, add)
}
