//! Checks for `spin_lock`: it excludes other threads and can be shared between them,
//! even around a value that is `Send` but not `Sync` (tests); it is `Sync` only for
//! `Send` values and never `Send` for a value that is not (compile-fail: an `Rc`, which
//! is neither, and a `MutexGuard`, which is `Sync` but not `Send`); and its orderings
//! make every holder see the previous holder's writes (loom), also on a value whose
//! every access loom sees however the lock keeps it.

#[path = "../../exercises/01_article/spin_lock.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::SpinLock;
    use std::cell::Cell;
    use std::thread;
    use threadlings::check::anonymously;

    #[test]
    fn the_guard_gives_access_and_unlocks_when_dropped() {
        anonymously(|| {
            let lock = SpinLock::new(1);
            *lock.lock() += 1;
            // Taking the lock again would spin forever if dropping the guard left it locked.
            assert_eq!(*lock.lock(), 2);
        })
    }

    #[test]
    fn threads_sharing_the_lock_lose_no_update() {
        anonymously(|| {
            // If this does not compile, `SpinLock<u64>` is not `Sync`: it cannot be shared.
            let lock = SpinLock::new(0u64);
            thread::scope(|scope| {
                for _ in 0..2 {
                    scope.spawn(|| {
                        for _ in 0..10_000 {
                            *lock.lock() += 1;
                        }
                    });
                }
            });
            assert_eq!(
                *lock.lock(),
                20_000,
                "expected two threads that each add 10 000 under the lock to reach 20 000; \
                 updates were lost, so two threads held the lock at once"
            );
        })
    }

    #[test]
    fn a_value_that_is_send_but_not_sync_can_be_shared_through_the_lock() {
        anonymously(|| {
            // If this does not compile, `SpinLock<Cell<u64>>` is not `Sync`: the bound asks
            // for more than the lock needs. A `Cell` may move between threads (`Send`), and
            // the lock lets one thread at a time reach it, so it need not be `Sync` itself,
            // just as `Mutex<Cell<u64>>` is `Sync`. The bound is `T: Send`.
            let lock = SpinLock::new(Cell::new(0u64));
            thread::scope(|scope| {
                for _ in 0..2 {
                    scope.spawn(|| {
                        for _ in 0..10_000 {
                            let counter = lock.lock();
                            counter.set(counter.get() + 1);
                        }
                    });
                }
            });
            assert_eq!(
                lock.lock().get(),
                20_000,
                "expected two threads that each add 10 000 under the lock to reach 20 000; \
                 updates were lost, so two threads held the lock at once"
            );
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::SpinLock;
    use threadlings::check::Payload;
    use threadlings::sync::Arc;
    use threadlings::thread;

    #[test]
    fn two_threads_increment_under_the_lock() {
        loom::model(|| {
            let lock = Arc::new(SpinLock::new(0));
            let other = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || *lock.lock() += 1)
            };
            *lock.lock() += 1;
            other.join().unwrap();
            assert_eq!(*lock.lock(), 2, "an increment made under the lock was lost");
        });
    }

    /// The same two increments, on a counter whose reads and writes loom sees however the
    /// lock keeps it, and which are `Relaxed`: only the lock's orderings make one
    /// holder's write visible to the next holder's read.
    #[test]
    fn a_holder_sees_the_writes_of_the_holder_before() {
        loom::model(|| {
            let lock = Arc::new(SpinLock::new(Payload::new()));
            let other = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || lock.lock().increment())
            };
            lock.lock().increment();
            other.join().unwrap();
            let count = lock.lock().read();
            assert_eq!(
                count, 2,
                "two threads each added one to a counter under the lock, but it ends at \
                 {count}: the second holder read the counter as it was before the first \
                 holder's write. The lock does not order what it protects: taking it must \
                 acquire what the last holder released, so `lock` takes the flag with \
                 `Ordering::Acquire` and the guard's `drop` stores it with \
                 `Ordering::Release`"
            );
        });
    }
}
