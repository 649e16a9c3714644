//! Checks for `par_sort_records`: ranking keeps tied records in their order (a stable
//! sort); sorting by id needs no buffer (an unstable sort); both sorts give the right
//! order, and both compare on two threads of the caller's rayon pool at once.

#[path = "../../exercises/08_data_parallelism/par_sort_records.rs"]
mod exercise;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cmp::Ordering;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering as MemoryOrdering};
use threadlings::check::{PoolWitness, Rendezvous, anonymously, two_thread_pool};

/// Says, when `calls` key lookups ran outside the check's pool, why that is wrong.
fn ran_outside(calls: usize) -> String {
    format!(
        "expected every key to be read on a thread of the rayon pool that the sort was \
         called in, but {calls} were read on other threads: a pool built inside the \
         function (its size is the machine's, not the caller's choice) ignores the caller's \
         pool. `par_sort*` runs on the current pool"
    )
}

/// Enough records for rayon to sort in parallel: it sorts short slices sequentially.
const MANY: u32 = 10_000;

/// `0..MANY` in a scrambled but fixed order.
fn scrambled() -> impl Iterator<Item = u32> {
    (0..MANY).map(|n| (n * 7919) % MANY)
}

#[derive(Debug, Clone, PartialEq)]
struct Player {
    name: &'static str,
    score: u32,
}

#[test]
fn ranks_the_highest_score_first_and_keeps_ties_in_order() {
    anonymously(|| {
        let mut players = [("ann", 5), ("bob", 7), ("cy", 5), ("dee", 9), ("eve", 7)]
            .map(|(name, score)| Player { name, score });
        exercise::rank_by_score(&mut players, |player| player.score);
        let names = players.map(|player| player.name);
        assert_eq!(
            names,
            ["dee", "bob", "eve", "ann", "cy"],
            "expected the highest score first, and players with equal scores in the order they \
             had (bob before eve, ann before cy)"
        );
    })
}

#[test]
fn keeps_every_tie_in_order_in_a_large_ranking() {
    anonymously(|| {
        // Ten scores shared by 10 000 records, each with a unique id.
        let mut records: Vec<(u32, u32)> = scrambled().map(|n| (n, n % 10)).collect();
        // Where each id was before sorting, indexed by id.
        let mut position_before = vec![0; MANY as usize];
        for (position, &(id, _)) in records.iter().enumerate() {
            position_before[id as usize] = position;
        }
        two_thread_pool().install(|| exercise::rank_by_score(&mut records, |&(_, score)| score));
        for pair in records.windows(2) {
            let ((first, first_score), (second, second_score)) = (pair[0], pair[1]);
            assert!(
                first_score >= second_score,
                "expected scores from highest to lowest, but {first_score} came before \
                 {second_score}"
            );
            if first_score == second_score {
                let (was_first, was_second) = (
                    position_before[first as usize],
                    position_before[second as usize],
                );
                assert!(
                    was_first < was_second,
                    "expected records with equal scores to keep their order, but two records \
                     with score {first_score} were swapped (they were at positions \
                     {was_first} and {was_second}): an unstable sort may reorder equal \
                     keys, and reversing a sorted slice reverses its ties. Ranking needs a \
                     stable sort by a descending key."
                );
            }
        }
    })
}

static RANKING: Rendezvous = Rendezvous::new(2);

#[test]
fn ranks_on_two_threads_at_once() {
    anonymously(|| {
        let mut scores: Vec<u32> = scrambled().collect();
        let witness = PoolWitness::two_threads();
        witness.install(|| {
            exercise::rank_by_score(&mut scores, |&score| {
                witness.note();
                RANKING.inside(|| score)
            })
        });
        assert!(
            scores.iter().copied().eq((0..MANY).rev()),
            "expected the scores from {} down to 0",
            MANY - 1
        );
        assert!(
            RANKING.opened(),
            "expected the ranking to compare scores on two threads at the same time, but only \
             one thread was ever reading scores ({} score(s) read, one after another): the \
             sort is sequential. rayon's parallel sorts start with `par_sort`.",
            RANKING.arrivals()
        );
        let outside = witness.calls_outside();
        assert!(outside == 0, "{}", ran_outside(outside));
    })
}

#[test]
fn sorts_by_id() {
    anonymously(|| {
        let mut records: Vec<(u32, &str)> = scrambled().map(|id| (id, "record")).collect();
        exercise::sort_by_id(&mut records, |&(id, _)| id);
        assert!(
            records.iter().map(|&(id, _)| id).eq(0..MANY),
            "expected the records in order of their ids 0..{MANY}"
        );
    })
}

static SORTING: Rendezvous = Rendezvous::new(2);
static COMPARISONS: AtomicUsize = AtomicUsize::new(0);

/// An id whose comparisons meet at a rendezvous, once the sort is well under way. A
/// quicksort first splits the whole slice around a pivot on one thread (about one
/// comparison per record), and only then sorts the two sides at once; the comparisons
/// after the first `2 * MANY` come from that parallel part.
#[derive(Debug, PartialEq, Eq)]
struct Id(u32);

impl Ord for Id {
    fn cmp(&self, other: &Id) -> Ordering {
        if COMPARISONS.fetch_add(1, MemoryOrdering::Relaxed) < 2 * MANY as usize {
            self.0.cmp(&other.0)
        } else {
            SORTING.inside(|| self.0.cmp(&other.0))
        }
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[test]
fn sorts_by_id_on_two_threads_at_once() {
    anonymously(|| {
        let mut records: Vec<u32> = scrambled().collect();
        let witness = PoolWitness::two_threads();
        witness.install(|| {
            exercise::sort_by_id(&mut records, |&id| {
                witness.note();
                Id(id)
            })
        });
        assert!(
            records.iter().copied().eq(0..MANY),
            "expected the records in order of their ids 0..{MANY}"
        );
        assert!(
            SORTING.opened(),
            "expected the sort to compare ids on two threads at the same time, but only one \
             thread was ever comparing ({} comparison(s) watched, one after another): the sort \
             is sequential. rayon's unstable parallel sorts start with `par_sort_unstable`.",
            SORTING.arrivals()
        );
        let outside = witness.calls_outside();
        assert!(outside == 0, "{}", ran_outside(outside));
    })
}

/// The allocator of this test program: std's, watched. While `WATCHING` is set, it
/// records the largest block asked for, which tells whether a sort kept a buffer the
/// size of the slice.
struct Watched;

static WATCHING: AtomicBool = AtomicBool::new(false);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

fn record(size: usize) {
    if WATCHING.load(MemoryOrdering::SeqCst) {
        LARGEST.fetch_max(size, MemoryOrdering::SeqCst);
    }
}

// SAFETY: every call is passed on, unchanged, to std's own allocator.
unsafe impl GlobalAlloc for Watched {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: the caller's promises about `layout` are passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: `block` was allocated by `System` with `layout`.
        unsafe { System.dealloc(block, layout) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        // SAFETY: the caller's promises are passed on.
        unsafe { System.realloc(block, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Watched = Watched;

#[test]
fn sorts_by_id_in_place() {
    anonymously(|| {
        let mut records: Vec<u64> = scrambled().map(u64::from).collect();
        let bytes = std::mem::size_of_val(records.as_slice());
        let pool = two_thread_pool();
        // The pool's threads start before the watch begins.
        pool.broadcast(|_| ());
        WATCHING.store(true, MemoryOrdering::SeqCst);
        pool.install(|| exercise::sort_by_id(&mut records, |&id| id));
        WATCHING.store(false, MemoryOrdering::SeqCst);
        assert!(
            records.iter().copied().eq((0..MANY).map(u64::from)),
            "expected the records in order of their ids 0..{MANY}"
        );
        let largest = LARGEST.load(MemoryOrdering::SeqCst);
        assert!(
            largest < bytes / 4,
            "expected `sort_by_id` to sort the records in place, but while it sorted {bytes} \
             bytes of records it allocated a block of {largest} bytes: room for a copy of the \
             records (or of their keys), which is what a stable sort keeps to merge into. Ids \
             never tie, so keeping ties in order buys nothing here: an unstable sort \
             (`par_sort_unstable_by_key`) needs no extra memory."
        );
    })
}
