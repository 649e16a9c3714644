//! Checks for `ticket_lock`: it excludes other threads, also over a value that is `Send`
//! but not `Sync` (tests), serves waiting threads in the order they took their tickets
//! (tests, and loom in every interleaving), and hands every holder the previous holder's
//! writes, in every interleaving, also on a value whose every access loom sees however
//! the lock keeps it (loom); a lock of values that are not `Send` cannot be shared
//! (compile-fail).

#[path = "../../exercises/06_atomics/ticket_lock.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::TicketLock;
    use std::cell::Cell;
    use std::thread;
    use std::time::Instant;
    use threadlings::check::{PATIENCE, anonymously};

    /// Waits, yielding, until `queue_len` shows `expected`; gives up after `PATIENCE`
    /// with a message, so a lock that never takes a ticket fails instead of hanging.
    fn wait_for_queue<T>(lock: &TicketLock<T>, expected: usize, who: &str) {
        let deadline = Instant::now() + PATIENCE;
        while lock.queue_len() != expected {
            assert!(
                Instant::now() < deadline,
                "expected {who} to take a ticket and wait (`queue_len()` = {expected}), but \
                 `queue_len()` stayed {}: does `lock` take its ticket from `next_ticket`?",
                lock.queue_len()
            );
            thread::yield_now();
        }
    }

    #[test]
    fn the_guard_gives_access_and_unlocks_when_dropped() {
        anonymously(|| {
            let lock = TicketLock::new(1);
            assert_eq!(lock.queue_len(), 0, "nobody holds a new lock");
            {
                let mut guard = lock.lock();
                assert_eq!(lock.queue_len(), 1, "one thread holds the lock");
                *guard += 1;
            }
            assert_eq!(
                lock.queue_len(),
                0,
                "dropping the guard must serve the next ticket"
            );
            // Taking the lock again would spin forever if the guard had not served the next
            // ticket.
            assert_eq!(*lock.lock(), 2);
        })
    }

    #[test]
    fn threads_sharing_the_lock_lose_no_update() {
        anonymously(|| {
            let lock = TicketLock::new(0u64);
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
                 updates were lost, so two threads held the lock at once (did two of them \
                 get the same ticket?)"
            );
        })
    }

    /// A `Cell` may move between threads but not be shared. The lock hands its value to
    /// one thread at a time, so a lock of one may be shared, as a `Mutex<Cell<i32>>` may.
    #[test]
    fn a_lock_of_values_that_are_send_but_not_sync_can_be_shared() {
        anonymously(|| {
            let lock = TicketLock::new(Cell::new(0));
            thread::scope(|scope| {
                for _ in 0..2 {
                    // If this does not compile, `Sync` for `TicketLock<T>` asks more of `T`
                    // than `T: Send`.
                    scope.spawn(|| {
                        for _ in 0..1000 {
                            let guard = lock.lock();
                            guard.set(guard.get() + 1);
                        }
                    });
                }
            });
            assert_eq!(
                lock.lock().get(),
                2000,
                "expected two threads that each add 1000 under the lock to reach 2000"
            );
        })
    }

    #[test]
    fn waiting_threads_are_served_in_ticket_order() {
        anonymously(|| {
            let lock = TicketLock::new(Vec::new());
            thread::scope(|scope| {
                let guard = lock.lock();
                // Each thread is started only once the one before it is queued, so the
                // ticket order is known: first, then second.
                scope.spawn(|| lock.lock().push("first"));
                wait_for_queue(&lock, 2, "the first thread");
                scope.spawn(|| lock.lock().push("second"));
                wait_for_queue(&lock, 3, "the second thread");
                drop(guard);
            });
            assert_eq!(
                *lock.lock(),
                ["first", "second"],
                "expected the thread that took its ticket first to get the lock first: a \
                 ticket lock is fair"
            );
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::TicketLock;
    use threadlings::check::Payload;
    use threadlings::sync::Arc;
    use threadlings::thread;

    #[test]
    fn two_threads_increment_under_the_lock() {
        loom::model(|| {
            let lock = Arc::new(TicketLock::new(0));
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
            let lock = Arc::new(TicketLock::new(Payload::new()));
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
                 holder's write. The lock does not order what it protects: serving the next \
                 ticket must release the holder's writes, and waiting for a ticket must \
                 acquire them, so the guard's `drop` increments `now_serving` with \
                 `Ordering::Release` and `lock` loads it with `Ordering::Acquire`"
            );
        });
    }

    #[test]
    fn a_waiting_thread_is_served_before_a_later_ticket() {
        loom::model(|| {
            let lock = Arc::new(TicketLock::new(Vec::new()));
            let holding = lock.lock();
            let other = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || lock.lock().push("other"))
            };
            // Two tickets taken, this thread's and the other's: the other thread is
            // waiting, and a ticket taken from now on comes after its ticket.
            let other_is_waiting = lock.queue_len() == 2;
            drop(holding);
            lock.lock().push("this");
            other.join().unwrap();
            let order = lock.lock().clone();
            if other_is_waiting {
                assert_eq!(
                    order,
                    ["other", "this"],
                    "a thread that was already waiting for the lock was overtaken by one \
                     that let go and locked again: a ticket lock serves tickets in the \
                     order they were taken, so a waiting thread is never overtaken"
                );
            }
        });
    }
}
