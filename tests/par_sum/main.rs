//! Checks for `par_sum`: the sum is right, and it was computed on two threads at once,
//! both of them threads of the rayon pool that the caller runs it in (not of a pool or
//! of threads of its own, whose number would depend on the machine).

#[path = "../../exercises/01_article/par_sum.rs"]
mod exercise;

use std::iter::Sum;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use threadlings::check::{Rendezvous, anonymously, two_thread_pool};

#[test]
fn sums_the_article_example() {
    anonymously(|| {
        let data: Vec<i32> = (1..=10).collect();
        assert_eq!(exercise::sum(&data), 55);
    })
}

/// A number whose additions meet at a rendezvous: summing a run of them waits until
/// another thread is summing another run at the same time.
#[derive(Debug, PartialEq)]
struct Probe(u64);

static MEETING: Rendezvous = Rendezvous::new(2);

/// The pool the check runs the sum in.
static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();

/// How many runs of numbers were summed on a thread that is not one of [`POOL`]'s.
static OFF_THE_POOL: AtomicUsize = AtomicUsize::new(0);

impl<'a> Sum<&'a Probe> for Probe {
    fn sum<I: Iterator<Item = &'a Probe>>(iter: I) -> Probe {
        let mut iter = iter.peekable();
        if iter.peek().is_none() {
            return Probe(0);
        }
        let on_the_pool = POOL
            .get()
            .is_some_and(|pool| pool.current_thread_index().is_some());
        if !on_the_pool {
            OFF_THE_POOL.fetch_add(1, Ordering::SeqCst);
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
    anonymously(|| {
        let data: Vec<Probe> = (1..=1000).map(Probe).collect();
        let pool = POOL.get_or_init(two_thread_pool);
        let total = pool.install(|| exercise::sum(&data));
        assert_eq!(total, Probe(500_500), "expected the sum of 1..=1000");
        let off_the_pool = OFF_THE_POOL.load(Ordering::SeqCst);
        assert!(
            off_the_pool == 0,
            "expected the slice to be summed on the threads of the rayon pool that `sum` was \
             called in (the check's pool of two threads), but {off_the_pool} of {} run(s) of \
             numbers were summed on other threads: `sum` starts threads or a pool of its own. \
             A new pool on every call costs its start-up each time and has as many threads as \
             the machine has cores, so the work would depend on the machine. `par_iter()` \
             runs on the pool it is called in.",
            MEETING.arrivals()
        );
        assert!(
            MEETING.opened(),
            "expected the slice to be summed on two threads at the same time, but only one \
             thread was ever adding ({} run(s) of numbers were summed, one after another): \
             the sum is still sequential. rayon's `par_iter()` splits the work between threads.",
            MEETING.arrivals()
        );
    })
}
