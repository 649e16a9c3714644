//! Checks for `once_init`: the first initializer's value is kept (tests); a caller that
//! arrives while another thread initializes waits for that value instead of running
//! its own (tests); exactly one initializer runs and every thread that sees the cell
//! ready sees its value, and what the initializer wrote into it, in every interleaving,
//! however the cell keeps it (loom).

#[path = "../../exercises/06_atomics/once_init.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::OnceCell;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Barrier, mpsc};
    use std::thread;
    use std::time::{Duration, Instant};
    use threadlings::check::anonymously;

    #[test]
    fn keeps_the_first_value() {
        anonymously(|| {
            let cell = OnceCell::new();
            assert_eq!(cell.get(), None, "a new cell is empty");
            assert_eq!(*cell.get_or_init(|| 1), 1, "the first initializer's value");
            assert_eq!(
                *cell.get_or_init(|| 2),
                1,
                "an initialized cell keeps its value: the second initializer must not run"
            );
            assert_eq!(cell.get(), Some(&1));
        })
    }

    #[test]
    fn a_caller_waits_for_the_running_initializer() {
        anonymously(|| {
            let cell = OnceCell::new();
            let runs = AtomicUsize::new(0);
            let (started, has_started) = mpsc::channel();
            let (finish, may_finish) = mpsc::channel::<()>();
            thread::scope(|scope| {
                let (cell, runs) = (&cell, &runs);
                let first = scope.spawn(move || {
                    *cell.get_or_init(move || {
                        runs.fetch_add(1, Ordering::SeqCst);
                        started.send(()).unwrap();
                        // Holds the cell in RUNNING until the test lets it finish.
                        may_finish.recv().unwrap();
                        "first"
                    })
                });
                has_started.recv().unwrap();
                assert_eq!(
                    cell.get(),
                    None,
                    "while the initializer is still running, `get` must return None"
                );
                // This caller arrives while the first initializer runs; it must wait.
                let second = scope.spawn(move || {
                    *cell.get_or_init(|| {
                        runs.fetch_add(1, Ordering::SeqCst);
                        "second"
                    })
                });
                // Give the second caller time to reach the cell while the initializer still
                // runs. A correct `get_or_init` keeps it waiting however long this is, so
                // the length only decides how surely a caller that does not wait is caught.
                let deadline = Instant::now() + Duration::from_millis(200);
                while !second.is_finished() && Instant::now() < deadline {
                    thread::yield_now();
                }
                finish.send(()).unwrap();
                assert_eq!(first.join().unwrap(), "first");
                let seen = second.join().expect(
                    "the second caller panicked: while another thread runs the initializer, \
                     `get_or_init` must wait for it and return its value",
                );
                assert_eq!(
                    seen, "first",
                    "a caller that arrived while the first initializer was running must wait \
                     and get its value, not run an initializer of its own"
                );
            });
            assert_eq!(
                runs.load(Ordering::SeqCst),
                1,
                "exactly one initializer may run"
            );
        })
    }

    #[test]
    fn four_threads_at_once_run_one_initializer() {
        anonymously(|| {
            const THREADS: usize = 4;
            let cell = OnceCell::new();
            let runs = AtomicUsize::new(0);
            let start = Barrier::new(THREADS);
            let seen: Vec<usize> = thread::scope(|scope| {
                let callers: Vec<_> = (0..THREADS)
                    .map(|id| {
                        let (cell, runs, start) = (&cell, &runs, &start);
                        scope.spawn(move || {
                            start.wait();
                            *cell.get_or_init(|| {
                                runs.fetch_add(1, Ordering::SeqCst);
                                id
                            })
                        })
                    })
                    .collect();
                callers
                    .into_iter()
                    .map(|caller| caller.join().expect("a caller panicked"))
                    .collect()
            });
            assert_eq!(
                runs.load(Ordering::SeqCst),
                1,
                "{THREADS} threads called `get_or_init` at once and more than one initializer ran"
            );
            assert!(
                seen.iter().all(|&id| id == seen[0]),
                "every caller must get the same value, but they got {seen:?}"
            );
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::OnceCell;
    use threadlings::check::Payload;
    use threadlings::sync::Arc;
    use threadlings::sync::atomic::{AtomicUsize, Ordering};
    use threadlings::thread;

    /// What a failure to see an initializer's writes asks the student to look at.
    const ORDER_THE_VALUE: &str = "READY does not order the value it publishes: storing \
        READY must release the initializer's writes, and reading READY must acquire them, \
        so `get_or_init` stores READY with `Ordering::Release`, and every load that can \
        read READY before the value is used (in `get`, and in `get_or_init` if it uses the \
        value without `get`) is `Ordering::Acquire`";

    #[test]
    fn two_threads_race_to_initialize() {
        loom::model(|| {
            let cell = Arc::new(OnceCell::new());
            let runs = Arc::new(AtomicUsize::new(0));
            let initialize = |cell: &OnceCell<usize>, runs: &AtomicUsize, id: usize| {
                *cell.get_or_init(|| {
                    runs.fetch_add(1, Ordering::Relaxed);
                    id
                })
            };
            let other = {
                let (cell, runs) = (Arc::clone(&cell), Arc::clone(&runs));
                thread::spawn(move || initialize(&cell, &runs, 1))
            };
            let mine = initialize(&cell, &runs, 0);
            let theirs = other.join().unwrap();
            assert_eq!(
                runs.load(Ordering::Relaxed),
                1,
                "two threads each ran an initializer: both found the cell UNINIT before \
                 either claimed it"
            );
            assert_eq!(mine, theirs, "the two threads got different values");
        });
    }

    #[test]
    fn a_reader_that_sees_ready_sees_the_value() {
        loom::model(|| {
            let cell = Arc::new(OnceCell::new());
            let writer = {
                let cell = Arc::clone(&cell);
                thread::spawn(move || {
                    cell.get_or_init(|| 42);
                })
            };
            if let Some(value) = cell.get() {
                assert_eq!(*value, 42, "the cell was READY but held no value");
            }
            writer.join().unwrap();
        });
    }

    /// A value that the initializer writes into before returning it, with a `Relaxed`
    /// write that loom sees however the cell keeps the value: only the state's orderings
    /// make that write visible to a thread that finds the cell READY. The reader waits
    /// for READY, so that every interleaving reads the value, on a thread of its own:
    /// loom never shows a thread, after it yields, a value it had already seen, and this
    /// thread has seen none.
    #[test]
    fn a_reader_that_sees_ready_sees_what_the_initializer_wrote() {
        loom::model(|| {
            let cell = Arc::new(OnceCell::<Payload>::new());
            let value = Payload::new();
            let reading = {
                let cell = Arc::clone(&cell);
                thread::spawn(move || {
                    loop {
                        if let Some(value) = cell.get() {
                            break value.read();
                        }
                        threadlings::hint::spin_loop();
                    }
                })
            };
            cell.get_or_init(move || {
                value.write(42);
                value
            });
            let seen = reading.join().unwrap();
            assert!(
                seen == 42,
                "`get` found the cell READY, but read {seen} from its value, where the \
                 initializer wrote 42 before returning it. {ORDER_THE_VALUE}"
            );
        });
    }

    /// Two threads race, each with an initializer that writes its own number into the
    /// value before returning it; the thread that loses gets the winner's value, and must
    /// see what the winner's initializer wrote.
    #[test]
    fn the_thread_that_loses_the_race_sees_what_the_winner_wrote() {
        loom::model(|| {
            let cell = Arc::new(OnceCell::new());
            let initialize = |cell: &OnceCell<Payload>, value: Payload, number: usize| {
                let seen = cell
                    .get_or_init(move || {
                        value.write(number);
                        value
                    })
                    .read();
                assert!(
                    seen != 0,
                    "`get_or_init` returned a value that read 0, where the initializer that \
                     made it wrote its number before returning it: the thread found the cell \
                     initialized by the other thread without seeing that thread's writes. \
                     {ORDER_THE_VALUE}"
                );
                seen
            };
            let (mine, theirs) = (Payload::new(), Payload::new());
            let other = {
                let cell = Arc::clone(&cell);
                thread::spawn(move || initialize(&cell, theirs, 2))
            };
            let mine = initialize(&cell, mine, 1);
            let theirs = other.join().unwrap();
            assert_eq!(mine, theirs, "the two threads got different values");
        });
    }
}
