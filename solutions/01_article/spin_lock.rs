//! # A spin lock
//!
//! Every example in the article shares nothing between threads. Sharing is where the
//! hard part starts: a lock must let one thread at a time reach the value, the compiler
//! must be told when the lock may be shared between threads, and the atomic operations
//! must make the writes of one holder visible to the next.
//!
//! This lock spins on an atomic flag. It imports its atomics and its `UnsafeCell` from
//! `threadlings`, not from `std`: they are std's types in a normal build, and loom's
//! when the loom check explores every interleaving of the threads.
//!
//! `Sync` needs `T: Send`: sharing the lock hands `&mut T` from thread to thread, as
//! `std::sync::Mutex` does. Taking the lock with `Acquire` pairs with releasing it with
//! `Release`, so everything the last holder wrote happens-before the next holder reads.

use std::ops::{Deref, DerefMut};
use threadlings::cell::UnsafeCell;
use threadlings::sync::atomic::{AtomicBool, Ordering};

pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: only one thread at a time reaches the value, and it may be a different
// thread each time, so the value must be allowed to move between threads.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    pub fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Waits until the lock is free, takes it, and returns a guard that gives access to
    /// the value and releases the lock when dropped.
    pub fn lock(&self) -> SpinLockGuard<'_, T> {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            threadlings::hint::spin_loop();
        }
        SpinLockGuard { lock: self }
    }
}

pub struct SpinLockGuard<'a, T> {
    lock: &'a SpinLock<T>,
}

impl<T> Deref for SpinLockGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard exists only while this thread holds the lock.
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> DerefMut for SpinLockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard exists only while this thread holds the lock.
        self.lock.value.with_mut(|value| unsafe { &mut *value })
    }
}

impl<T> Drop for SpinLockGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.locked.store(false, Ordering::Release);
    }
}
