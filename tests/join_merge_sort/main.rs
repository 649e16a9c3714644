//! Checks for `join_merge_sort`: slices of every shape come out sorted, and the two
//! halves are sorted on two threads at the same time.

#[path = "../../exercises/08_data_parallelism/join_merge_sort.rs"]
mod exercise;

use std::cmp::Ordering;
use threadlings::check::{Rendezvous, two_thread_pool};

/// `0..len` in a scrambled but fixed order, with every value twice.
fn scrambled(len: u64) -> Vec<u64> {
    (0..len).map(|n| (n * 7919) % len / 2).collect()
}

#[test]
fn sorts_slices_of_every_length() {
    for len in [0, 1, 2, 63, 64, 65, 100, 1000, 4097] {
        let mut items = scrambled(len);
        let mut expected = items.clone();
        expected.sort();
        exercise::merge_sort(&mut items);
        assert_eq!(items, expected, "a slice of {len} items was not sorted");
    }
}

/// A number whose comparisons meet at a rendezvous: comparing waits until another
/// thread is comparing at the same time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Probe(u64);

static MEETING: Rendezvous = Rendezvous::new(2);

impl Ord for Probe {
    fn cmp(&self, other: &Probe) -> Ordering {
        MEETING.inside(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Probe {
    fn partial_cmp(&self, other: &Probe) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[test]
fn sorts_both_halves_at_once() {
    let mut probes: Vec<Probe> = scrambled(1000).into_iter().map(Probe).collect();
    let pool = two_thread_pool();
    pool.install(|| exercise::merge_sort(&mut probes));
    assert!(
        probes.windows(2).all(|pair| pair[0].0 <= pair[1].0),
        "expected 1000 numbers to be sorted"
    );
    assert!(
        MEETING.opened(),
        "expected the two halves to be sorted on two threads at the same time, but only one \
         thread was ever comparing ({} comparison(s), one after another): the halves are \
         sorted one after the other. `rayon::join` runs two closures potentially in parallel.",
        MEETING.arrivals()
    );
}
