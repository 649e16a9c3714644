//! Checks for `par_sum`: the sum is right, and it was computed on two threads at once.

#[path = "../../exercises/01_article/par_sum.rs"]
mod exercise;

use std::iter::Sum;
use threadlings::check::{Rendezvous, two_thread_pool};

#[test]
fn sums_the_article_example() {
    let data: Vec<i32> = (1..=10).collect();
    assert_eq!(exercise::sum(&data), 55);
}

/// A number whose additions meet at a rendezvous: summing a run of them waits until
/// another thread is summing another run at the same time.
#[derive(Debug, PartialEq)]
struct Probe(u64);

static MEETING: Rendezvous = Rendezvous::new(2);

impl<'a> Sum<&'a Probe> for Probe {
    fn sum<I: Iterator<Item = &'a Probe>>(iter: I) -> Probe {
        let mut iter = iter.peekable();
        if iter.peek().is_none() {
            return Probe(0);
        }
        MEETING.inside(|| Probe(iter.map(|probe| probe.0).sum()))
    }
}

impl Sum<Probe> for Probe {
    fn sum<I: Iterator<Item = Probe>>(iter: I) -> Probe {
        Probe(iter.map(|probe| probe.0).sum())
    }
}

#[test]
fn adds_on_two_threads_at_once() {
    let data: Vec<Probe> = (1..=1000).map(Probe).collect();
    let pool = two_thread_pool();
    let total = pool.install(|| exercise::sum(&data));
    assert_eq!(total, Probe(500_500), "expected the sum of 1..=1000");
    assert!(
        MEETING.opened(),
        "expected the slice to be summed on two threads at the same time, but only one \
         thread was ever adding ({} run(s) of numbers were summed, one after another): \
         the sum is still sequential. rayon's `par_iter()` splits the work between threads.",
        MEETING.arrivals()
    );
}
