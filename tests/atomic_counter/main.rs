//! Checks for `atomic_counter`: increments from one thread count up from 0 (tests),
//! threads incrementing at once lose no increment and never get the same number (tests,
//! and loom in every interleaving).

#[path = "../../exercises/06_atomics/atomic_counter.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::Counter;
    use std::collections::HashSet;
    use std::sync::Barrier;
    use std::thread;
    use threadlings::check::anonymously;

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
            const THREADS: usize = 4;
            const EACH: usize = 10_000;
            let counter = Counter::new();
            let start = Barrier::new(THREADS);
            let returned: Vec<usize> = thread::scope(|scope| {
                let workers: Vec<_> = (0..THREADS)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            (0..EACH).map(|_| counter.increment()).collect::<Vec<_>>()
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|worker| worker.join().expect("a worker thread panicked"))
                    .collect()
            });
            let distinct: HashSet<usize> = returned.iter().copied().collect();
            assert_eq!(
                counter.get(),
                THREADS * EACH,
                "expected {THREADS} threads that each increment {EACH} times to count to {}, \
                 but the count is {}: increments were lost because two threads read the same \
                 count and both wrote it back plus one",
                THREADS * EACH,
                counter.get()
            );
            assert_eq!(
                distinct.len(),
                THREADS * EACH,
                "expected every `increment` to return a different number, but {} calls \
                 returned a number another call also got",
                THREADS * EACH - distinct.len()
            );
        })
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
