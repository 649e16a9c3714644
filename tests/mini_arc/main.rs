//! Checks for `mini_arc`: clones share one value and count their owners (tests); the
//! value is dropped exactly once, when the last owner goes, also when threads clone and
//! drop at once, and its memory is given back then, on whichever thread (tests); the
//! last owner's drop of the value never races with another owner's read of it, and sees
//! what every owner did with the value before letting go, whichever thread lets go last,
//! however `MiniArc` keeps the value (loom).

#[path = "../../exercises/06_atomics/mini_arc.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::MiniArc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier, Mutex, MutexGuard, PoisonError, mpsc};
    use std::thread;

    use threadlings::check::{
        Bulky, CountingAllocator, DropCounter, anonymously, live_bulky_allocations,
    };

    // Counts the heap allocations that hold a `Bulky`, so that a leak shows.
    #[global_allocator]
    static ALLOCATOR: CountingAllocator = CountingAllocator;

    /// Held by each test that counts allocations, so that tests run as threads of one
    /// process (a plain `cargo test`) do not count each other's.
    fn counting_alone() -> MutexGuard<'static, ()> {
        static COUNTING: Mutex<()> = Mutex::new(());
        COUNTING.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[test]
    fn the_last_owner_gives_the_memory_back() {
        anonymously(|| {
            let _alone = counting_alone();
            let before = live_bulky_allocations();
            let first = MiniArc::new(Bulky::filled_with(3));
            let second = first.clone();
            assert_eq!(
                live_bulky_allocations(),
                before + 1,
                "expected a `MiniArc` and its clone to share one heap allocation"
            );
            drop(first);
            drop(second);
            assert_eq!(
                live_bulky_allocations(),
                before,
                "expected the last owner to give back the heap memory that held the count and \
                 the value, but it is still allocated: the allocation leaks. Dropping the value \
                 in place is not enough; `destroy` turns the pointer back into a `Box`, whose \
                 drop frees the memory."
            );

            // The last owner may be on another thread.
            let first = MiniArc::new(Bulky::filled_with(4));
            let second = first.clone();
            let (first_is_gone, wait_for_the_first) = mpsc::channel();
            let last = thread::spawn(move || {
                let value = second.0[0];
                // Lets go once the first owner has.
                wait_for_the_first
                    .recv()
                    .expect("the test tells when the first owner is gone");
                drop(second);
                value
            });
            drop(first);
            first_is_gone.send(()).unwrap();
            assert_eq!(last.join().expect("the last owner's thread panicked"), 4);
            assert_eq!(
                live_bulky_allocations(),
                before,
                "expected the last owner, on another thread, to give back the heap memory, but \
                 it is still allocated: the allocation leaks"
            );
        })
    }

    #[test]
    fn clones_share_one_value() {
        anonymously(|| {
            let first = MiniArc::new(5);
            let second = first.clone();
            assert!(
                std::ptr::eq(&*first, &*second),
                "a clone must point at the same value, not a copy of it"
            );
            assert_eq!(*second, 5);
            assert_eq!(
                MiniArc::strong_count(&first),
                2,
                "two owners after one clone"
            );
            drop(second);
            assert_eq!(
                MiniArc::strong_count(&first),
                1,
                "dropping a clone must count one owner fewer"
            );
        })
    }

    #[test]
    fn the_last_owner_drops_the_value_once() {
        anonymously(|| {
            let drops = Arc::new(AtomicUsize::new(0));
            let first = MiniArc::new(DropCounter(Arc::clone(&drops)));
            let second = first.clone();
            drop(first);
            assert_eq!(
                drops.load(Ordering::SeqCst),
                0,
                "the value was dropped while a clone still owned it"
            );
            drop(second);
            assert_eq!(
                drops.load(Ordering::SeqCst),
                1,
                "when the last owner goes, the value must be dropped exactly once"
            );
        })
    }

    #[test]
    fn threads_that_clone_and_drop_at_once_keep_the_count() {
        anonymously(|| {
            const THREADS: usize = 4;
            let drops = Arc::new(AtomicUsize::new(0));
            let shared = MiniArc::new(DropCounter(Arc::clone(&drops)));
            let start = Arc::new(Barrier::new(THREADS));
            let workers: Vec<_> = (0..THREADS)
                .map(|_| {
                    // Moving a `MiniArc` into a thread needs it to be `Send`.
                    let mine = shared.clone();
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        for _ in 0..10_000 {
                            let _another = mine.clone();
                        }
                    })
                })
                .collect();
            for worker in workers {
                worker.join().expect("a worker thread panicked");
            }
            assert_eq!(
                MiniArc::strong_count(&shared),
                1,
                "{THREADS} threads cloned and dropped 10 000 times each, all at once, and then \
                 let go of their own clones: one owner should remain, but the count is {}. \
                 Counts were lost between threads.",
                MiniArc::strong_count(&shared)
            );
            assert_eq!(
                drops.load(Ordering::SeqCst),
                0,
                "the value was dropped while an owner remained"
            );
            drop(shared);
            assert_eq!(
                drops.load(Ordering::SeqCst),
                1,
                "the value must be dropped once"
            );
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::MiniArc;
    use threadlings::check::Payload;
    use threadlings::sync::Arc;
    use threadlings::sync::atomic::{AtomicUsize, Ordering};
    use threadlings::thread;

    /// A value that counts its drops.
    struct Counted {
        number: u32,
        drops: Arc<AtomicUsize>,
    }

    impl Drop for Counted {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// What `Marked` reports when it was never dropped.
    const NOT_DROPPED: usize = usize::MAX;

    /// A value that each of two owners marks before letting go, and whose drop counts
    /// the marks it sees. The marks are written `Relaxed`, and loom sees them however
    /// `MiniArc` keeps the value: only the count's orderings make an owner's mark,
    /// written before it let go, visible to the drop.
    struct Marked {
        marks: [Payload; 2],
        marks_seen_when_dropped: Arc<AtomicUsize>,
    }

    impl Drop for Marked {
        fn drop(&mut self) {
            let seen = self.marks.iter().filter(|mark| mark.read() == 1).count();
            self.marks_seen_when_dropped.store(seen, Ordering::Relaxed);
        }
    }

    #[test]
    fn clones_made_at_once_are_all_counted() {
        loom::model(|| {
            let drops = Arc::new(AtomicUsize::new(0));
            let first = MiniArc::new(Counted {
                number: 7,
                drops: Arc::clone(&drops),
            });
            let second = first.clone();
            let other = thread::spawn(move || {
                let third = second.clone();
                (second, third)
            });
            let fourth = first.clone();
            let (second, third) = other.join().unwrap();
            let count = MiniArc::strong_count(&first);
            if count != 4 {
                // With a count this wrong, dropping the clones would free the value
                // while one still points at it; keep them alive and report.
                std::mem::forget((first, second, third, fourth));
                panic!(
                    "two threads each cloned a `MiniArc` at the same time, making four \
                     owners, but the count is {count}: an increment was lost between a \
                     load and a store. Dropping the owners would now free the value while \
                     one still points at it."
                );
            }
            drop((first, second, third, fourth));
            assert_eq!(
                drops.load(Ordering::Relaxed),
                1,
                "the value must be dropped once"
            );
        });
    }

    #[test]
    fn owners_on_two_threads_read_then_let_go() {
        loom::model(|| {
            let drops = Arc::new(AtomicUsize::new(0));
            let first = MiniArc::new(Counted {
                number: 7,
                drops: Arc::clone(&drops),
            });
            let second = first.clone();
            // Each owner reads the value and then lets go; either may be the last.
            let other = thread::spawn(move || {
                assert_eq!(second.number, 7);
                drop(second);
            });
            assert_eq!(first.number, 7);
            drop(first);
            other.join().unwrap();
            assert_eq!(
                drops.load(Ordering::Relaxed),
                1,
                "both owners let go, so the value must have been dropped exactly once"
            );
        });
    }

    #[test]
    fn ownership_moves_to_a_clone_on_another_thread() {
        loom::model(|| {
            let drops = Arc::new(AtomicUsize::new(0));
            let first = MiniArc::new(Counted {
                number: 7,
                drops: Arc::clone(&drops),
            });
            let second = first.clone();
            let other = thread::spawn(move || {
                let third = second.clone();
                drop(second);
                assert_eq!(third.number, 7);
            });
            drop(first);
            other.join().unwrap();
            assert_eq!(
                drops.load(Ordering::Relaxed),
                1,
                "every owner let go, so the value must have been dropped exactly once"
            );
        });
    }

    #[test]
    fn the_drop_sees_what_every_owner_did_before_letting_go() {
        loom::model(|| {
            let marks_seen = Arc::new(AtomicUsize::new(NOT_DROPPED));
            let first = MiniArc::new(Marked {
                marks: [Payload::new(), Payload::new()],
                marks_seen_when_dropped: Arc::clone(&marks_seen),
            });
            let second = first.clone();
            // Each owner uses the value and then lets go; either may be the last.
            let other = thread::spawn(move || {
                second.marks[1].write(1);
                drop(second);
            });
            first.marks[0].write(1);
            drop(first);
            other.join().unwrap();
            let seen = marks_seen.load(Ordering::Relaxed);
            assert!(
                seen != NOT_DROPPED,
                "both owners let go, but the value was never dropped"
            );
            assert!(
                seen == 2,
                "each of two owners wrote a mark into the value and then let go, but the \
                 value's drop saw {seen} of the 2 marks: the last owner dropped the value \
                 without seeing what the other owner did with it before letting go. The drop \
                 is not ordered after the other owners' uses: each decrement must release \
                 its owner's uses (`fetch_sub` with `Ordering::Release`), and the last owner \
                 must acquire them all before `destroy` (`fence(Ordering::Acquire)`)"
            );
        });
    }
}
