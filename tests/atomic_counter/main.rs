//! Checks for `atomic_counter`: increments from one thread count up from 0 (tests),
//! threads incrementing at once lose no increment and never get the same number (tests,
//! and loom in every interleaving).

#[path = "../../exercises/06_atomics/atomic_counter.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::Counter;
    use std::sync::Barrier;
    use std::thread;
    use threadlings::check::{Interleavings, Worker, anonymously};

    #[test]
    fn counts_up_from_zero() {
        anonymously(|| {
            let counter = Counter::new();
            assert_eq!(counter.get(), 0, "a new counter starts at 0");
            let returned: Vec<usize> = (0..3).map(|_| counter.increment()).collect();
            assert_eq!(
                returned,
                [0, 1, 2],
                "each `increment` returns the count from before it added one"
            );
            assert_eq!(counter.get(), 3, "three increments make 3");
        })
    }

    #[test]
    fn four_threads_lose_no_increment() {
        anonymously(|| {
            // The threads increment until they have got in between one another's calls
            // often (`Interleavings`): a load then a store loses an increment when
            // another thread runs between the two, and on a busy machine four fixed
            // runs of calls may each finish inside one time slice, never overlapping.
            const THREADS: usize = 4;
            let counter = Counter::new();
            let interleavings = Interleavings::new();
            let start = Barrier::new(THREADS);
            let mut runs: Vec<Run> = thread::scope(|scope| {
                let workers: Vec<_> = (0..THREADS)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            increment_until_interleaved(&counter, interleavings.worker())
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|worker| worker.join().expect("a worker thread panicked"))
                    .collect()
            });
            let calls: usize = runs.iter().map(|run| run.len).sum();
            assert_eq!(
                counter.get(),
                calls,
                "expected {THREADS} threads that incremented {calls} times in all, at the \
                 same time, to count to {calls}, but the count is {}: increments were lost \
                 because two threads read the same count and both wrote it back plus one",
                counter.get()
            );
            interleavings.assert_overlapped("increment the counter");
            let repeated = calls - numbers_covered(&mut runs);
            assert_eq!(
                repeated, 0,
                "expected every `increment` to return a different number, but {repeated} \
                 calls returned a number another call also got"
            );
        })
    }

    /// Numbers that one thread got back from consecutive calls: `start`, `start + 1`…
    /// A thread starts a new run when another thread got in between two of its calls,
    /// so a check keeps a few hundred runs where it would keep millions of numbers.
    #[derive(Debug, Clone, Copy)]
    struct Run {
        start: usize,
        len: usize,
    }

    fn increment_until_interleaved(counter: &Counter, mut worker: Worker) -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        loop {
            let returned = counter.increment();
            let another_thread_got_in = match runs.last_mut() {
                Some(run) if run.start + run.len == returned => {
                    run.len += 1;
                    false
                }
                previous => {
                    let interleaved = previous.is_some();
                    runs.push(Run {
                        start: returned,
                        len: 1,
                    });
                    interleaved
                }
            };
            if !worker.carry_on(another_thread_got_in) {
                return runs;
            }
        }
    }

    /// How many different numbers the runs hold together.
    fn numbers_covered(runs: &mut [Run]) -> usize {
        runs.sort_by_key(|run| run.start);
        let mut covered = 0;
        let mut next_uncovered = 0;
        for run in runs.iter() {
            let end = run.start + run.len;
            covered += end.saturating_sub(run.start.max(next_uncovered));
            next_uncovered = next_uncovered.max(end);
        }
        covered
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::Counter;
    use threadlings::sync::Arc;
    use threadlings::thread;

    #[test]
    fn two_threads_increment_at_once() {
        loom::model(|| {
            let counter = Arc::new(Counter::new());
            let other = {
                let counter = Arc::clone(&counter);
                thread::spawn(move || counter.increment())
            };
            let mine = counter.increment();
            let theirs = other.join().unwrap();
            assert_eq!(
                counter.get(),
                2,
                "two threads incremented at once and the count is {} instead of 2: each \
                 read the count before the other wrote it back, so one increment was lost \
                 between a load and a store",
                counter.get()
            );
            assert_ne!(
                mine, theirs,
                "two threads incremented at once and both got {mine} back: the number an \
                 increment returns must be the count it replaced, read in the same atomic \
                 step as the addition (a separate load afterwards may see the other \
                 thread's increment too)"
            );
        });
    }
}
