//! # From a sequential source: `par_bridge`
//!
//! A slice can be split by index; a channel cannot. Lines that arrive one by one from a
//! `Receiver` form an ordinary `Iterator`, and `par_bridge()` turns any `Iterator` that
//! is `Send` into a parallel iterator: the pool's threads take items from it one at a
//! time, as they arrive, and each thread processes the items it took. Work starts with
//! the first line, not after the last one.
//!
//! The price: the result no longer follows the order of the source (a `par_bridge`
//! iterator is not indexed, and which thread takes which line is a matter of timing).
//! When the order matters, restore it afterwards, for example by sorting.
//!
//! Make `parse_all` parse the lines in parallel as they arrive, and return the values
//! that parse in ascending order.

use std::sync::mpsc::Receiver;

/// Parses every line received until the channel closes, and returns the values that
/// parse (those for which `parse` gives `Some`), in ascending order.
pub fn parse_all<T, F>(lines: Receiver<String>, parse: F) -> Vec<T>
where
    T: Ord + Send,
    F: Fn(&str) -> Option<T> + Sync + Send,
{
    // TODO: this parses one line at a time, on this thread, and returns the values in
    // the order the lines arrived. Parse in parallel as the lines arrive, then sort.
    lines.iter().filter_map(|line| parse(&line)).collect()
}
