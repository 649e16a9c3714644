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
//! Make `RawBox<T>` `Send` and `Sync` exactly when `Box<T>` is.

use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// Owns one `T` on the heap, like `Box<T>`.
pub struct RawBox<T> {
    value: NonNull<T>,
}

// TODO: the raw pointer makes `RawBox<T>` neither `Send` nor `Sync`. Promise both with
// `unsafe impl`, each bounded so that it holds only for the `T` it is sound for.

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
