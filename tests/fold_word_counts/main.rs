//! Checks for `fold_word_counts`: the counts are right however the input is cut into
//! pieces (so the merge adds counts), and items are counted on two threads at the same
//! time (so no lock makes the threads take turns).

#[path = "../../exercises/08_data_parallelism/fold_word_counts.rs"]
mod exercise;

use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use threadlings::check::{Rendezvous, two_thread_pool};

#[test]
fn counts_the_words_of_a_sentence() {
    let counts = exercise::word_counts("the cat and the hat and the bat");
    let expected = HashMap::from([("the", 3), ("and", 2), ("cat", 1), ("hat", 1), ("bat", 1)]);
    assert_eq!(counts, expected, "wrong word counts for a short sentence");
}

#[test]
fn counts_are_the_same_for_every_cut() {
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
}

/// A word whose hashing meets at a rendezvous: counting it waits until another thread
/// is counting a word at the same time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Word(u32);

static MEETING: Rendezvous = Rendezvous::new(2);

impl Hash for Word {
    fn hash<H: Hasher>(&self, state: &mut H) {
        MEETING.inside(|| self.0.hash(state));
    }
}

#[test]
fn counts_on_two_threads_at_once() {
    let words: Vec<Word> = (0..1000).map(|n| Word(n % 10)).collect();
    let counts = two_thread_pool().install(|| exercise::tally(words.par_iter().copied()));
    assert_eq!(
        counts.get(&Word(3)),
        Some(&100),
        "expected each of the 10 words to be counted 100 times"
    );
    assert!(
        MEETING.opened(),
        "expected words to be counted on two threads at the same time, but only one thread \
         was ever counting ({} count(s), one after another). A shared `Mutex<HashMap>` lets \
         only one thread count at a time, and collecting first counts on one thread: give \
         each piece a map of its own with `fold`, and merge the maps with `reduce`.",
        MEETING.arrivals()
    );
}
