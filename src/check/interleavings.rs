//! Proof that a check's worker threads really ran interleaved before it judges a race:
//! the workers call the code under test until they have seen one another get in
//! between their calls [`INTERLEAVINGS`] times, rather than a fixed number of times.
//!
//! A fixed count is not enough on a busy machine: each thread may finish its calls
//! inside one time slice, the threads then run one after another, and a racy
//! read-then-write loses nothing. The race shows only when another thread runs while
//! one is between its read and its write: on a second core (true parallelism), or
//! because the scheduler preempted it inside that window. Each interleaving seen is
//! one such switch between the workers, and lands in the window with some probability
//! `p`, the share of a call's time that lies between its read and its write (for a
//! load followed by a store in a debug build, a sizeable share). `n` interleavings all
//! missing it has probability `(1 - p)^n`: with `n` = 400 that is below 1e-9 even for
//! a `p` as small as 5%. Counting interleavings rather than calls makes that bound
//! hold however busy the machine is; a quiet one just gets there sooner.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::rendezvous::PATIENCE;

/// How many times, together, a check's workers must see another thread get in between
/// two of their calls before the check judges what the calls did.
pub const INTERLEAVINGS: usize = 400;

/// How many calls a worker makes between two looks at the clock.
const CALLS_BETWEEN_CLOCK_READS: usize = 1024;

/// What a check's workers share: how many interleavings they have seen and how many
/// they look for, whose call came last, and when they stop trying ([`PATIENCE`] after
/// the workers' `Interleavings` was made).
#[derive(Debug)]
pub struct Interleavings {
    goal: usize,
    seen: AtomicUsize,
    last_turn: AtomicUsize,
    workers: AtomicUsize,
    deadline: Instant,
}

impl Default for Interleavings {
    fn default() -> Self {
        Interleavings::new()
    }
}

impl Interleavings {
    /// Workers that look for [`INTERLEAVINGS`] together.
    pub fn new() -> Self {
        Interleavings::at_least(INTERLEAVINGS)
    }

    /// Workers that look for `goal` interleavings together: fewer than
    /// [`INTERLEAVINGS`] where each one is likelier to show a race, and the code under
    /// test interleaves less readily (a lock changes hands only when its holder is
    /// preempted outside it: on a busy machine, a few tens of times a second).
    pub fn at_least(goal: usize) -> Self {
        Interleavings {
            goal,
            seen: AtomicUsize::new(0),
            last_turn: AtomicUsize::new(usize::MAX),
            workers: AtomicUsize::new(0),
            deadline: Instant::now() + PATIENCE,
        }
    }

    /// A worker's view, for one thread to use.
    pub fn worker(&self) -> Worker<'_> {
        Worker {
            shared: self,
            id: self.workers.fetch_add(1, Ordering::Relaxed),
            calls_since_clock: 0,
        }
    }

    /// How many interleavings the workers have seen.
    pub fn seen(&self) -> usize {
        self.seen.load(Ordering::SeqCst)
    }

    /// Fails the check when its workers never interleaved often enough to show a race
    /// (a machine too busy to run them together within [`PATIENCE`], or calls so slow
    /// that few were made): a pass would then prove nothing. `what` says what the
    /// threads were doing, as the failure message shows it.
    #[track_caller]
    pub fn assert_overlapped(&self, what: &str) {
        let (seen, goal) = (self.seen(), self.goal);
        assert!(
            seen >= goal,
            "expected the threads that {what} to run at the same time, each getting in \
             between the others' calls, but in {} s that was seen only {seen} times (of \
             the {goal} this check waits for): the threads ran one after \
             another, so whether a call can lose another's update could not be shown. \
             Each call must return promptly; if it does, the machine was too busy, and \
             the check is worth running again.",
            PATIENCE.as_secs()
        );
    }
}

/// One worker thread's side of [`Interleavings`].
#[derive(Debug)]
pub struct Worker<'a> {
    shared: &'a Interleavings,
    id: usize,
    calls_since_clock: usize,
}

impl Worker<'_> {
    /// To call after each call under test, saying whether another thread got in since
    /// this worker's previous call (as the call's result shows it, for example a count
    /// that went up by more than one). Whether to go on calling: false once the workers
    /// have seen as many as they look for together, or once patience has run out.
    pub fn carry_on(&mut self, another_thread_got_in: bool) -> bool {
        let seen = if another_thread_got_in {
            self.shared.seen.fetch_add(1, Ordering::SeqCst) + 1
        } else {
            self.shared.seen.load(Ordering::Relaxed)
        };
        if seen >= self.shared.goal {
            return false;
        }
        self.calls_since_clock += 1;
        if self.calls_since_clock >= CALLS_BETWEEN_CLOCK_READS {
            self.calls_since_clock = 0;
            return Instant::now() < self.shared.deadline;
        }
        true
    }

    /// [`Worker::carry_on`] for calls whose result does not show whether another thread
    /// got in: this worker marks each of its calls as its turn, and another thread got
    /// in when the last turn before this one was another worker's.
    pub fn carry_on_after_turn(&mut self) -> bool {
        let previous = self.shared.last_turn.swap(self.id, Ordering::SeqCst);
        self.carry_on(previous != self.id && previous != usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_taking_turns_stop_once_they_have_interleaved_enough() {
        let interleavings = Interleavings::new();
        let mut first = interleavings.worker();
        let mut second = interleavings.worker();
        assert!(
            first.carry_on_after_turn(),
            "the first turn is no interleaving"
        );
        assert!(first.carry_on_after_turn(), "nor is a second turn in a row");
        assert_eq!(interleavings.seen(), 0);
        let mut turns = 0;
        while first.carry_on_after_turn() && second.carry_on_after_turn() {
            turns += 1;
        }
        assert_eq!(interleavings.seen(), INTERLEAVINGS);
        assert!(turns < INTERLEAVINGS, "each alternation is counted");
        interleavings.assert_overlapped("take turns");
    }

    #[test]
    fn a_worker_alone_never_shows_an_overlap() {
        let interleavings = Interleavings::new();
        let mut alone = interleavings.worker();
        for _ in 0..10 * CALLS_BETWEEN_CLOCK_READS {
            assert!(alone.carry_on(false));
        }
        crate::check::quiet_panics_on_this_thread();
        let failed = std::panic::catch_unwind(|| interleavings.assert_overlapped("work alone"));
        let payload = failed.expect_err("no overlap was seen");
        let message = crate::check::panic_text(&*payload).unwrap_or_default();
        assert!(message.contains("only 0 times"), "{message}");
    }
}
