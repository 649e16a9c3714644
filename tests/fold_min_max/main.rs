//! Checks for `fold_min_max`: `combine` treats `None` as an identity and gives the same
//! result however the items are cut into pieces (one piece, pieces of one item, pieces
//! of three); the pieces are summarized, and their summaries reduced, on two threads of
//! the caller's rayon pool at once.

#[path = "../../exercises/08_data_parallelism/fold_min_max.rs"]
mod exercise;

use rayon::prelude::*;
use std::cmp::Ordering;
use threadlings::check::{PoolWitness, Rendezvous, anonymously, two_thread_pool};

/// Numbers whose smallest and largest sit in the middle, away from both ends.
const READINGS: [i64; 12] = [7, 3, 9, 12, -4, 25, 8, 0, 14, 6, 11, 5];

#[test]
fn none_is_the_identity_of_combine() {
    anonymously(|| {
        let summary = Some((2, 5));
        assert_eq!(
            exercise::combine(None, summary),
            summary,
            "expected `combine(None, Some((2, 5)))` to be `Some((2, 5))`: `None` summarizes no \
             items, so combining with it must change nothing"
        );
        assert_eq!(
            exercise::combine(summary, None),
            summary,
            "expected `combine(Some((2, 5)), None)` to be `Some((2, 5))`: `None` summarizes no \
             items, so combining with it must change nothing"
        );
        assert_eq!(exercise::combine::<i64>(None, None), None);
    })
}

#[test]
fn combines_two_summaries() {
    anonymously(|| {
        assert_eq!(
            exercise::combine(Some((3, 9)), Some((-4, 6))),
            Some((-4, 9)),
            "expected the pieces' summaries (3, 9) and (-4, 6) to combine into (-4, 9)"
        );
    })
}

#[test]
fn no_items_have_no_summary() {
    anonymously(|| {
        let empty: Vec<i64> = Vec::new();
        assert_eq!(exercise::min_max(empty.into_par_iter()), None);
    })
}

/// Runs `min_max` on `READINGS` cut into pieces of `min_len..=max_len` items.
fn min_max_in_pieces(min_len: usize, max_len: usize) -> Option<(i64, i64)> {
    two_thread_pool().install(|| {
        exercise::min_max(
            READINGS
                .par_iter()
                .copied()
                .with_min_len(min_len)
                .with_max_len(max_len),
        )
    })
}

#[test]
fn gives_the_same_answer_for_every_cut() {
    anonymously(|| {
        for (cut, min_len, max_len) in [
            ("one piece of 12 items", READINGS.len(), READINGS.len()),
            ("12 pieces of one item", 1, 1),
            ("pieces of at most three items", 1, 3),
        ] {
            let summary = min_max_in_pieces(min_len, max_len);
            assert_eq!(
                summary,
                Some((-4, 25)),
                "expected (min, max) = (-4, 25) for {READINGS:?} cut into {cut}, but got \
                 {summary:?}. Every cut must give the same answer; a summary was lost or mixed \
                 up when the pieces were reduced: check that `combine` keeps both sides, that \
                 `None` is its identity, and that `combine` is what reduces the pieces"
            );
        }
    })
}

/// A number whose comparisons meet at a rendezvous: comparing waits until another
/// thread is comparing at the same time. Comparisons also tell the witness where they
/// ran.
#[derive(Clone, Copy, Debug)]
struct Probe<'a> {
    value: i64,
    meeting: &'a Rendezvous,
    witness: &'a PoolWitness,
}

impl Ord for Probe<'_> {
    fn cmp(&self, other: &Probe) -> Ordering {
        self.witness.note();
        self.meeting.inside(|| self.value.cmp(&other.value))
    }
}

impl PartialOrd for Probe<'_> {
    fn partial_cmp(&self, other: &Probe) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Probe<'_> {
    fn eq(&self, other: &Probe) -> bool {
        self.value == other.value
    }
}

impl Eq for Probe<'_> {}

/// Says, when `calls` comparisons ran outside the check's pool, why that is wrong.
fn ran_outside(calls: usize) -> String {
    format!(
        "expected every comparison to run on a thread of the rayon pool that `min_max` was \
         called in, but {calls} ran on other threads: a pool built inside `min_max` (its size \
         is the machine's, not the caller's choice) ignores the caller's pool. A parallel \
         iterator's `fold` and `reduce` run on the current pool"
    )
}

/// The probes of a shuffle of 0..1000.
fn probes<'a>(meeting: &'a Rendezvous, witness: &'a PoolWitness) -> Vec<Probe<'a>> {
    (0..1000)
        .map(|n| Probe {
            value: (n * 7919) % 1000,
            meeting,
            witness,
        })
        .collect()
}

static SUMMARIZING: Rendezvous = Rendezvous::new(2);

#[test]
fn summarizes_pieces_on_two_threads_at_once() {
    anonymously(|| {
        let witness = PoolWitness::two_threads();
        let probes = probes(&SUMMARIZING, &witness);
        let summary = witness.install(|| exercise::min_max(probes.par_iter().copied()));
        let values = summary.map(|(low, high)| (low.value, high.value));
        assert_eq!(
            values,
            Some((0, 999)),
            "expected (min, max) = (0, 999) for a shuffle of 0..1000"
        );
        assert!(
            SUMMARIZING.opened(),
            "expected the pieces to be summarized on two threads at the same time, but only \
             one thread was ever comparing items ({} comparison(s), one after another): the \
             summary is built sequentially. Fold each piece in parallel with `fold`, then \
             `reduce` the pieces' summaries.",
            SUMMARIZING.arrivals()
        );
        let outside = witness.calls_outside();
        assert!(outside == 0, "{}", ran_outside(outside));
    })
}

static REDUCING: Rendezvous = Rendezvous::new(2);

#[test]
fn reduces_the_summaries_on_two_threads_at_once() {
    anonymously(|| {
        // In pieces of one item, `add` only ever adds an item to `None`, which compares
        // nothing: every comparison here is made by `combine`, reducing the summaries.
        let witness = PoolWitness::two_threads();
        let probes = probes(&REDUCING, &witness);
        let summary =
            witness.install(|| exercise::min_max(probes.par_iter().copied().with_max_len(1)));
        let values = summary.map(|(low, high)| (low.value, high.value));
        assert_eq!(
            values,
            Some((0, 999)),
            "expected (min, max) = (0, 999) for a shuffle of 0..1000 cut into pieces of one item"
        );
        assert!(
            REDUCING.opened(),
            "expected the summaries of 1000 pieces to be combined on two threads at the same \
             time, but only one thread was ever combining them ({} comparison(s), one after \
             another): the reduction is sequential (summaries collected, then combined in a \
             loop, or every item added to one shared summary). rayon's `reduce` combines the \
             pieces' summaries in parallel, pairwise.",
            REDUCING.arrivals()
        );
        let outside = witness.calls_outside();
        assert!(outside == 0, "{}", ran_outside(outside));
    })
}
