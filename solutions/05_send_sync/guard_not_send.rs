//! # A guard that must stay on its thread: a `!Send` marker
//!
//! Some locks must be released by the very thread that took them. An operating-system
//! mutex is one (unlocking a pthread mutex from another thread is undefined behaviour);
//! `OwnerLock` here is another: it records which thread holds it and checks that
//! thread on release. Releasing is what the guard's `drop` does, so a guard must never
//! move to another thread: it must not be `Send`. That is why `std::sync::MutexGuard`
//! is not `Send`.
//!
//! The compiler derives `Send` from the fields. `OwnerGuard` holds only a
//! `&OwnerLock<T>`, which may cross threads whenever the lock is `Sync`, so the guard is
//! `Send` too, wrongly. Stable Rust has no `impl !Send`; a type opts out by holding a
//! field whose type is not `Send`, usually a zero-sized `PhantomData` marker that
//! costs nothing at run time.
//!
//! A `PhantomData<*const ()>` field makes the guard neither `Send` nor `Sync`, since raw
//! pointers are neither, and takes no space. A marker that is only `!Sync`, such as
//! `PhantomData<Cell<()>>`, would not do: the guard would still be `Send`.

use std::cell::UnsafeCell;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};

/// A lock that only the thread holding it may release.
pub struct OwnerLock<T> {
    owner: Mutex<Option<ThreadId>>,
    released: Condvar,
    value: UnsafeCell<T>,
}

// SAFETY: the value is reached only through a guard, and one thread at a time holds
// one; that thread may differ from the last, so the value must be allowed to move.
unsafe impl<T: Send> Sync for OwnerLock<T> {}

impl<T> OwnerLock<T> {
    pub fn new(value: T) -> Self {
        OwnerLock {
            owner: Mutex::new(None),
            released: Condvar::new(),
            value: UnsafeCell::new(value),
        }
    }

    /// Waits until no thread holds the lock, then takes it for this thread.
    pub fn lock(&self) -> OwnerGuard<'_, T> {
        let mut owner = self.owner();
        while owner.is_some() {
            owner = self
                .released
                .wait(owner)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *owner = Some(thread::current().id());
        OwnerGuard {
            lock: self,
            _stays_on_its_thread: PhantomData,
        }
    }

    /// The thread that holds the lock, if any.
    pub fn holder(&self) -> Option<ThreadId> {
        *self.owner()
    }

    fn owner(&self) -> MutexGuard<'_, Option<ThreadId>> {
        self.owner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Access to the value of an `OwnerLock`; dropping it releases the lock.
pub struct OwnerGuard<'a, T> {
    lock: &'a OwnerLock<T>,
    /// Raw pointers are not `Send`: neither is the guard. The drop must run on the
    /// thread that locked.
    _stays_on_its_thread: PhantomData<*const ()>,
}

impl<T> Deref for OwnerGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this guard exists only while its thread holds the lock.
        unsafe { &*self.lock.value.get() }
    }
}

impl<T> DerefMut for OwnerGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: this guard exists only while its thread holds the lock.
        unsafe { &mut *self.lock.value.get() }
    }
}

impl<T> Drop for OwnerGuard<'_, T> {
    fn drop(&mut self) {
        let mut owner = self.lock.owner();
        assert_eq!(
            *owner,
            Some(thread::current().id()),
            "an OwnerLock was released by a thread that does not hold it"
        );
        *owner = None;
        self.lock.released.notify_one();
    }
}
