//! Checks for `guard_not_send`: the lock gives access through its guard, records the
//! thread that holds it, and lets threads take turns, also over a value that is `Send`
//! but not `Sync` (tests); its guard can neither be sent to another thread nor come back
//! from one, since it must be dropped on the thread that locked, nor be shared when it
//! guards a `Cell`; and a lock of values that are not `Send` cannot be shared
//! (compile-fail).

#[path = "../../exercises/05_send_sync/guard_not_send.rs"]
mod exercise;

use exercise::OwnerLock;
use std::cell::Cell;
use std::thread;
use threadlings::check::anonymously;

#[test]
fn the_guard_gives_access_and_releases_the_lock_when_dropped() {
    anonymously(|| {
        let lock = OwnerLock::new(1);
        {
            let mut guard = lock.lock();
            assert_eq!(
                lock.holder(),
                Some(thread::current().id()),
                "expected the lock to record this thread as its holder while the guard lives"
            );
            *guard += 1;
        }
        assert_eq!(
            lock.holder(),
            None,
            "expected dropping the guard to release the lock"
        );
        assert_eq!(
            *lock.lock(),
            2,
            "expected the change made through the guard"
        );
    })
}

#[test]
fn threads_take_turns_and_each_releases_its_own_hold() {
    anonymously(|| {
        let lock = OwnerLock::new(0u64);
        thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    for _ in 0..1000 {
                        let mut guard = lock.lock();
                        assert_eq!(
                            lock.holder(),
                            Some(thread::current().id()),
                            "expected the lock to record the thread that holds the guard"
                        );
                        *guard += 1;
                    }
                });
            }
        });
        assert_eq!(
            *lock.lock(),
            2000,
            "expected two threads that each add 1000 under the lock to reach 2000"
        );
    })
}

/// A `Cell` may move between threads but not be shared. The lock hands its value to one
/// thread at a time, so a lock of one may be shared, as a `Mutex<Cell<i32>>` may.
#[test]
fn a_lock_of_values_that_are_send_but_not_sync_can_be_shared() {
    anonymously(|| {
        let lock = OwnerLock::new(Cell::new(0));
        thread::scope(|scope| {
            for _ in 0..2 {
                // If this does not compile, `Sync` for `OwnerLock<T>` asks more of `T` than
                // `T: Send`.
                scope.spawn(|| {
                    let guard = lock.lock();
                    guard.set(guard.get() + 1);
                });
            }
        });
        assert_eq!(
            lock.lock().get(),
            2,
            "expected two threads that each add 1 under the lock to reach 2"
        );
    })
}
