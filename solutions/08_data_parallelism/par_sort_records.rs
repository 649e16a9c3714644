//! # Sorting in parallel: stable or unstable
//!
//! `par_sort_by_key` is stable: equal scores keep their order, which ranking needs.
//! `Reverse` turns "highest first" into an ascending key without reversing the result
//! afterwards (reversing would also reverse the order of ties). Ids are unique, so no
//! two keys are ever equal and stability cannot show: `par_sort_unstable_by_key` gives
//! the same result without the merge sort's buffer.

use rayon::prelude::*;
use std::cmp::Reverse;

/// Sorts `records` from the highest score to the lowest; records with equal scores keep
/// their order.
pub fn rank_by_score<T, S>(records: &mut [T], score: S)
where
    T: Send,
    S: Fn(&T) -> u32 + Sync,
{
    records.par_sort_by_key(|record| Reverse(score(record)));
}

/// Sorts `records` by their id; no two records have the same id.
pub fn sort_by_id<T, K, I>(records: &mut [T], id: I)
where
    T: Send,
    K: Ord + Send,
    I: Fn(&T) -> K + Sync,
{
    records.par_sort_unstable_by_key(id);
}
