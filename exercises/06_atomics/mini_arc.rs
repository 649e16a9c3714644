//! # A minimal `Arc`
//!
//! `MiniArc` shares one value between threads and frees it when the last owner goes.
//! Owners are counted in an atomic: `clone` adds one, `drop` takes one away, and the
//! owner that takes the count to zero drops the value and frees the memory.
//!
//! Everything but the count is done. Write `clone`, and give `drop` the orderings that
//! make it correct: every owner may read the value just before it lets go, and the
//! last owner's drop of the value must not race with any of those reads.

use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr::NonNull;
use threadlings::cell::UnsafeCell;
use threadlings::sync::atomic::{AtomicUsize, Ordering};

struct Inner<T> {
    count: AtomicUsize,
    value: UnsafeCell<ManuallyDrop<T>>,
}

pub struct MiniArc<T> {
    inner: NonNull<Inner<T>>,
    /// A `MiniArc<T>` owns (a share of) an `Inner<T>`, for the drop checker.
    _owns: PhantomData<Inner<T>>,
}

// SAFETY: every owner may read the value from its own thread (so `T: Sync`), and the
// last owner, on whichever thread, drops it (so `T: Send`), as with `std::sync::Arc`.
unsafe impl<T: Send + Sync> Send for MiniArc<T> {}
unsafe impl<T: Send + Sync> Sync for MiniArc<T> {}

impl<T> MiniArc<T> {
    pub fn new(value: T) -> Self {
        let inner = Box::new(Inner {
            count: AtomicUsize::new(1),
            value: UnsafeCell::new(ManuallyDrop::new(value)),
        });
        MiniArc {
            inner: NonNull::from(Box::leak(inner)),
            _owns: PhantomData,
        }
    }

    /// How many `MiniArc`s share the value. A snapshot: other threads may clone or drop
    /// theirs at any time.
    pub fn strong_count(this: &Self) -> usize {
        this.inner().count.load(Ordering::Relaxed)
    }

    fn inner(&self) -> &Inner<T> {
        // SAFETY: the allocation lives as long as any `MiniArc` to it, such as `self`.
        unsafe { self.inner.as_ref() }
    }
}

impl<T> Deref for MiniArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the value is dropped only after the last owner, `self` included,
        // lets go.
        self.inner().value.with(|value| unsafe { &**value })
    }
}

impl<T> Clone for MiniArc<T> {
    fn clone(&self) -> Self {
        // TODO: count one more owner, then return a `MiniArc` to the same allocation.
        // Which ordering does an increment need, when the new owner comes from an
        // existing one?
        todo!("count one more owner")
    }
}

impl<T> Drop for MiniArc<T> {
    fn drop(&mut self) {
        // TODO: with `Relaxed`, the last owner's drop of the value can race with another
        // owner's read of it made just before that owner let go. Which ordering must
        // each decrement have, and what must the last owner do before `destroy`?
        if self.inner().count.fetch_sub(1, Ordering::Relaxed) == 1 {
            // SAFETY: meant to hold because the count reached zero, so this was the
            // last owner; but nothing yet orders the other owners' reads before this.
            unsafe { destroy(self.inner) }
        }
    }
}

/// Drops the value and frees the allocation.
///
/// # Safety
///
/// `inner` comes from `MiniArc::new`, no `MiniArc` to it remains, and every use of the
/// value happened before this call.
unsafe fn destroy<T>(inner: NonNull<Inner<T>>) {
    // SAFETY: the allocation came from `Box::leak` in `MiniArc::new`.
    let inner = unsafe { Box::from_raw(inner.as_ptr()) };
    // Dropping the value writes to it. Under loom this write is checked against every
    // read of the value through every owner: a read that does not happen before it is
    // reported as a data race.
    // SAFETY: the value is dropped once, here, and nothing uses it afterwards.
    inner
        .value
        .with_mut(|value| unsafe { ManuallyDrop::drop(&mut *value) });
}
