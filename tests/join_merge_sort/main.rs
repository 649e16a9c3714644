//! Checks for `join_merge_sort`: slices of every shape come out sorted, and the two
//! halves are sorted at the same time, on two threads of the caller's rayon pool (not on
//! threads spawned, or pools built, for each split).

#[path = "../../exercises/08_data_parallelism/join_merge_sort.rs"]
mod exercise;

use std::cmp::Ordering;
use threadlings::check::{PoolWitness, Rendezvous, anonymously};

/// `0..len` in a scrambled but fixed order, with every value twice.
fn scrambled(len: u64) -> Vec<u64> {
    (0..len).map(|n| (n * 7919) % len / 2).collect()
}

#[test]
fn sorts_slices_of_every_length() {
    anonymously(|| {
        for len in [0, 1, 2, 63, 64, 65, 100, 1000, 4097] {
            let mut items = scrambled(len);
            let mut expected = items.clone();
            expected.sort();
            exercise::merge_sort(&mut items);
            assert_eq!(items, expected, "a slice of {len} items was not sorted");
        }
    })
}

/// A number whose comparisons meet at a rendezvous: comparing waits until another
/// thread is comparing at the same time. Comparisons also tell the witness where they
/// ran.
#[derive(Clone, Copy, Debug)]
struct Probe<'a> {
    value: u64,
    witness: &'a PoolWitness,
}

static MEETING: Rendezvous = Rendezvous::new(2);

impl PartialEq for Probe<'_> {
    fn eq(&self, other: &Probe) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Probe<'_> {}

impl Ord for Probe<'_> {
    fn cmp(&self, other: &Probe) -> Ordering {
        self.witness.note();
        MEETING.inside(|| self.value.cmp(&other.value))
    }
}

impl PartialOrd for Probe<'_> {
    fn partial_cmp(&self, other: &Probe) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[test]
fn sorts_both_halves_at_once() {
    anonymously(|| {
        let witness = PoolWitness::two_threads();
        let mut probes: Vec<Probe> = scrambled(1000)
            .into_iter()
            .map(|value| Probe {
                value,
                witness: &witness,
            })
            .collect();
        witness.install(|| exercise::merge_sort(&mut probes));
        let outside = witness.calls_outside();
        assert!(
            probes.windows(2).all(|pair| pair[0].value <= pair[1].value),
            "expected 1000 numbers to be sorted"
        );
        assert!(
            MEETING.opened(),
            "expected the two halves to be sorted on two threads at the same time, but only one \
             thread was ever comparing ({} comparison(s), one after another): the halves are \
             sorted one after the other. `rayon::join` runs two closures potentially in parallel.",
            MEETING.arrivals()
        );
        assert!(
            outside == 0,
            "expected the halves to be sorted by the threads of the rayon pool that `merge_sort` \
             was called in, but {outside} comparison(s) ran on other threads: a thread spawned \
             (or a pool built) at every split costs far more than sorting a small half, and \
             they pile up with the depth of the recursion. `rayon::join` offers the second \
             half to an idle thread of the current pool, and runs it itself if none is idle"
        );
    })
}
