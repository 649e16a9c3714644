//! # A minimal `Arc`
//!
//! `MiniArc` shares one value between threads and frees it when the last owner goes.
//! Owners are counted in an atomic: `clone` adds one, `drop` takes one away, and the
//! owner that takes the count to zero drops the value and frees the memory.
//!
//! Cloning only needs the increment to be atomic: the new owner comes from an existing
//! one, so the value cannot be freed meanwhile, and `Relaxed` is enough. Dropping is
//! where the orderings matter. Every owner may have read the value before letting go,
//! and the last owner's drop of the value must come after all of those reads. Each
//! `fetch_sub` is a `Release`, so an owner's reads come before its decrement; the last
//! owner's `Acquire` fence, after it sees the count reach zero, makes every earlier
//! decrement (and the reads before it) come before the drop. An `AcqRel` `fetch_sub`
//! would also be correct; the fence pays for the acquire only once, on the last drop.

use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr::NonNull;
use threadlings::cell::UnsafeCell;
use threadlings::sync::atomic::{AtomicUsize, Ordering, fence};

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
        self.inner().count.fetch_add(1, Ordering::Relaxed);
        MiniArc {
            inner: self.inner,
            _owns: PhantomData,
        }
    }
}

impl<T> Drop for MiniArc<T> {
    fn drop(&mut self) {
        if self.inner().count.fetch_sub(1, Ordering::Release) == 1 {
            fence(Ordering::Acquire);
            // SAFETY: the count reached zero, so this was the last owner, and the
            // fence orders every other owner's use of the value before what follows.
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
