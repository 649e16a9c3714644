//! Checks for `fold_word_counts`: the counts are right however the input is cut into
//! pieces (so the merge adds counts); items are counted, and the pieces' maps merged,
//! on two threads of the caller's rayon pool at the same time (so no lock makes the
//! threads take turns, and no merge waits for all the counting to end).

#[path = "../../exercises/08_data_parallelism/fold_word_counts.rs"]
mod exercise;

use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;
use threadlings::check::{PoolWitness, Rendezvous, anonymously, two_thread_pool};

#[test]
fn counts_the_words_of_a_sentence() {
    anonymously(|| {
        let counts = exercise::word_counts("the cat and the hat and the bat");
        let expected = HashMap::from([("the", 3), ("and", 2), ("cat", 1), ("hat", 1), ("bat", 1)]);
        assert_eq!(counts, expected, "wrong word counts for a short sentence");
    })
}

#[test]
fn counts_are_the_same_for_every_cut() {
    anonymously(|| {
        // Every word occurs in several places, so every piece shares words with the others.
        let text = "one two three two three three ".repeat(20);
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut expected = HashMap::new();
        for word in &words {
            *expected.entry(*word).or_insert(0) += 1;
        }
        let pool = two_thread_pool();
        for (cut, min_len, max_len) in [
            ("one piece", words.len(), words.len()),
            ("pieces of one word", 1, 1),
            ("pieces of at most seven words", 1, 7),
        ] {
            let counts = pool.install(|| {
                exercise::tally(
                    words
                        .par_iter()
                        .copied()
                        .with_min_len(min_len)
                        .with_max_len(max_len),
                )
            });
            assert_eq!(
                counts, expected,
                "wrong counts for 120 words cut into {cut}: the merge of two pieces' maps must \
                 add the counts of a word that both pieces contain, not keep one of them"
            );
        }
    })
}

/// Says, when `calls` callbacks ran outside the check's pool, why that is wrong.
fn ran_outside(calls: usize) -> String {
    format!(
        "expected every word to be counted on a thread of the rayon pool that `tally` was \
         called in, but {calls} hash(es) or comparison(s) ran on other threads: a pool built \
         inside `tally` (its size is the machine's, not the caller's choice) ignores the \
         caller's pool. A parallel iterator's `fold` and `reduce` run on the current pool"
    )
}

/// The witness of where words are counted, one per test.
fn witness(of: &'static OnceLock<PoolWitness>) -> &'static PoolWitness {
    of.get_or_init(PoolWitness::two_threads)
}

static COUNTING: Rendezvous = Rendezvous::new(2);
static COUNTING_WITNESS: OnceLock<PoolWitness> = OnceLock::new();

/// A word whose hashing meets at a rendezvous: counting it waits until another thread
/// is counting a word at the same time. Hashing also tells the witness where it ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Word(u32);

impl Hash for Word {
    fn hash<H: Hasher>(&self, state: &mut H) {
        witness(&COUNTING_WITNESS).note();
        COUNTING.inside(|| self.0.hash(state));
    }
}

#[test]
fn counts_on_two_threads_at_once() {
    anonymously(|| {
        let witness = witness(&COUNTING_WITNESS);
        let words: Vec<Word> = (0..1000).map(|n| Word(n % 10)).collect();
        let counts = witness.install(|| exercise::tally(words.par_iter().copied()));
        // Taken now: the lookup below hashes on this thread.
        let outside = witness.calls_outside();
        assert_eq!(
            counts.get(&Word(3)),
            Some(&100),
            "expected each of the 10 words to be counted 100 times"
        );
        assert!(
            COUNTING.opened(),
            "expected words to be counted on two threads at the same time, but only one thread \
             was ever counting ({} count(s), one after another). A shared `Mutex<HashMap>` lets \
             only one thread count at a time, and collecting first counts on one thread: give \
             each piece a map of its own with `fold`, and merge the maps with `reduce`.",
            COUNTING.arrivals()
        );
        assert!(outside == 0, "{}", ran_outside(outside));
    })
}

static MERGING: Rendezvous = Rendezvous::new(2);
static MERGING_WITNESS: OnceLock<PoolWitness> = OnceLock::new();

/// A word whose comparisons meet at a rendezvous. A map compares keys only to find a
/// key it already holds, so counting a piece of one word into an empty map compares
/// nothing: with pieces of one word, every comparison is made by a merge.
#[derive(Clone, Copy, Debug)]
struct MergedWord(u32);

impl Hash for MergedWord {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialEq for MergedWord {
    fn eq(&self, other: &MergedWord) -> bool {
        witness(&MERGING_WITNESS).note();
        MERGING.inside(|| self.0 == other.0)
    }
}

impl Eq for MergedWord {}

#[test]
fn merges_the_maps_on_two_threads_at_once() {
    anonymously(|| {
        let witness = witness(&MERGING_WITNESS);
        // One word, 1000 times, in pieces of one word each: 1000 maps of one entry.
        let words: Vec<MergedWord> = (0..1000).map(|_| MergedWord(7)).collect();
        let counts = witness.install(|| exercise::tally(words.par_iter().copied().with_max_len(1)));
        let counted: Vec<usize> = counts.values().copied().collect();
        assert_eq!(
            counted,
            [1000],
            "expected one word counted 1000 times when every piece holds one word"
        );
        assert!(
            MERGING.opened(),
            "expected the maps of 1000 pieces to be merged on two threads at the same time, \
             but only one thread was ever merging ({} comparison(s) of keys, one after \
             another): the merge is sequential (maps collected, then merged in a loop, or every \
             word counted into one shared map). rayon's `reduce` merges the pieces' maps in \
             parallel, pairwise.",
            MERGING.arrivals()
        );
        let outside = witness.calls_outside();
        assert!(outside == 0, "{}", ran_outside(outside));
    })
}
