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
//! Make `SpinLock` shareable between threads (for the right `T` only) and give its
//! atomic operations the orderings that make it correct.

use std::ops::{Deref, DerefMut};
use threadlings::cell::UnsafeCell;
use threadlings::sync::atomic::{AtomicBool, Ordering};

pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// TODO: a `SpinLock<T>` gives `&mut T` to one thread at a time, so sharing it between
// threads can be sound. Tell the compiler with `unsafe impl ... Sync for SpinLock<T>`,
// bounded so that it holds only for the `T` it is sound for.

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
        // TODO: which ordering makes the previous holder's writes visible here?
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Relaxed, Ordering::Relaxed)
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
        // TODO: which ordering publishes this holder's writes to the next holder?
        self.lock.locked.store(false, Ordering::Relaxed);
    }
}
