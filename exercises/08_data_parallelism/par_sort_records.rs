//! # Sorting in parallel: stable or unstable
//!
//! rayon sorts a mutable slice in parallel with the same methods as std, prefixed with
//! `par_`: `par_sort`, `par_sort_by_key`, `par_sort_unstable_by_key`, ... The *stable*
//! ones (a parallel merge sort) keep records with equal keys in the order they had; the
//! *unstable* ones (a parallel quicksort) may swap them, but need no extra memory and
//! are usually faster. Choose by asking: can two records have the same key, and does
//! their order then matter?
//!
//! - `rank_by_score` orders records from the highest score to the lowest. Scores tie
//!   often, and then the record that came first must stay first.
//! - `sort_by_id` orders records by their id. Ids are unique: no two keys are equal.
//!
//! Make both sort in parallel, each with the right kind of sort.

use std::cmp::Reverse;

/// Sorts `records` from the highest score to the lowest; records with equal scores keep
/// their order.
pub fn rank_by_score<T, S>(records: &mut [T], score: S)
where
    T: Send,
    S: Fn(&T) -> u32 + Sync,
{
    // TODO: this sorts on one thread. Sort in parallel, keeping equal scores in order.
    records.sort_by_key(|record| Reverse(score(record)));
}

/// Sorts `records` by their id; no two records have the same id.
pub fn sort_by_id<T, K, I>(records: &mut [T], id: I)
where
    T: Send,
    K: Ord + Send,
    I: Fn(&T) -> K + Sync,
{
    // TODO: this sorts on one thread. Sort in parallel; with unique keys the order of
    // equal keys cannot matter.
    records.sort_unstable_by_key(id);
}
