//! # From a sequential source: `par_bridge`
//!
//! `par_bridge` lets the pool's threads take lines from the channel as they arrive and
//! parse them at the same time. The values come out in an order that depends on which
//! thread took which line, so they are sorted afterwards (in parallel too: the values
//! are in a `Vec` by then, which rayon can split by index).

use rayon::prelude::*;
use std::sync::mpsc::Receiver;

/// Parses every line received until the channel closes, and returns the values that
/// parse (those for which `parse` gives `Some`), in ascending order.
pub fn parse_all<T, F>(lines: Receiver<String>, parse: F) -> Vec<T>
where
    T: Ord + Send,
    F: Fn(&str) -> Option<T> + Sync + Send,
{
    let mut values: Vec<T> = lines
        .into_iter()
        .par_bridge()
        .filter_map(|line| parse(&line))
        .collect();
    values.par_sort_unstable();
    values
}
