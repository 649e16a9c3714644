//! # `fold` and `reduce`: an identity and an associative combine
//!
//! Each piece is folded with `add` from `None`, the summary of no items; the pieces'
//! summaries are then reduced with `combine`, again from `None`. `combine` returns the
//! other side when one side is `None` (so `None` is an identity) and otherwise takes
//! the smaller low and the larger high. `min` and `max` are associative, so grouping
//! the pieces differently cannot change the result: any cut gives the same answer.

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
    match (left, right) {
        (None, summary) | (summary, None) => summary,
        (Some((left_low, left_high)), Some((right_low, right_high))) => {
            Some((left_low.min(right_low), left_high.max(right_high)))
        }
    }
}

pub fn min_max<T, I>(items: I) -> Summary<T>
where
    T: Ord + Copy + Send,
    I: ParallelIterator<Item = T>,
{
    items.fold(|| None, add).reduce(|| None, combine)
}
