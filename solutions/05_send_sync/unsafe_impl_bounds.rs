//! # Promising `Send` and `Sync` yourself: `unsafe impl` with the right bounds
//!
//! A raw pointer is neither `Send` nor `Sync`: the compiler cannot know who owns what it
//! points to, or who else may be using it. A struct with a raw-pointer field loses both,
//! even when it owns its data as surely as a `Box` does. Its author must then promise,
//! with `unsafe impl`, what the compiler cannot check, and the promise must carry
//! bounds: it holds only for some `T`.
//!
//! `RawBox<T>` owns one heap value through a raw pointer: a hand-made `Box<T>`. Moving
//! a `RawBox<T>` to another thread moves its `T` there, which is sound when `T: Send`.
//! Sharing a `&RawBox<T>` between threads shares a `&T`, which is sound when
//! `T: Sync`. A promise without those bounds would let an `Rc` or a `Cell` cross
//! threads inside the box.
//!
//! So `Send` is promised for `T: Send` and `Sync` for `T: Sync`, exactly as `Box<T>`
//! has them. Each bound is the weakest that is sound: `Sync` does not need `T: Send`,
//! because a shared `&RawBox<T>` can neither move nor drop the `T`.

use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// Owns one `T` on the heap, like `Box<T>`.
pub struct RawBox<T> {
    value: NonNull<T>,
}

// SAFETY: a `RawBox<T>` owns its `T` and nothing else points to it, so sending the box
// sends the `T`.
unsafe impl<T: Send> Send for RawBox<T> {}

// SAFETY: through `&RawBox<T>` a thread reaches only `&T`.
unsafe impl<T: Sync> Sync for RawBox<T> {}

impl<T> RawBox<T> {
    pub fn new(value: T) -> Self {
        RawBox {
            value: NonNull::from(Box::leak(Box::new(value))),
        }
    }

    /// Gives back the value and frees its heap memory.
    pub fn into_inner(self) -> T {
        let this = ManuallyDrop::new(self);
        // SAFETY: the pointer came from `Box::leak` and is given back to a `Box` once:
        // `ManuallyDrop` keeps `drop` below from freeing it a second time.
        *unsafe { Box::from_raw(this.value.as_ptr()) }
    }
}

impl<T> Deref for RawBox<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the box owns a live value, and `&self` allows only shared access.
        unsafe { self.value.as_ref() }
    }
}

impl<T> DerefMut for RawBox<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the box owns a live value, and `&mut self` makes this access unique.
        unsafe { self.value.as_mut() }
    }
}

impl<T> Drop for RawBox<T> {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `Box::leak` and is freed only here, once.
        drop(unsafe { Box::from_raw(self.value.as_ptr()) });
    }
}
