//! std in a normal build, loom under the `loom` feature; the API is loom's, which std
//! matches everywhere but in `UnsafeCell`, so `cell` adds loom's `with`/`with_mut` to it.
//! Under the feature the types are loom's wrapped (`traced.rs`), so that the runner can
//! show the interleaving of a failed model (`record.rs`).

#[cfg(feature = "loom")]
mod record;
#[cfg(feature = "loom")]
mod traced;
#[cfg(feature = "loom")]
pub mod traced_atomic;

#[cfg(not(feature = "loom"))]
pub use std::{hint, sync, thread};
#[cfg(feature = "loom")]
pub use traced::{hint, sync, thread};

/// Interior mutability that loom can track.
pub mod cell {
    #[cfg(feature = "loom")]
    pub use super::traced::cell::UnsafeCell;

    /// `std::cell::UnsafeCell` with loom's closure-based API.
    ///
    /// Loom checks every access made through `with`/`with_mut` for data races; std's
    /// `get()` would hand out a raw pointer that loom never sees.
    #[cfg(not(feature = "loom"))]
    #[derive(Debug, Default)]
    pub struct UnsafeCell<T: ?Sized>(std::cell::UnsafeCell<T>);

    #[cfg(not(feature = "loom"))]
    impl<T> UnsafeCell<T> {
        pub const fn new(data: T) -> Self {
            Self(std::cell::UnsafeCell::new(data))
        }

        pub fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }

    #[cfg(not(feature = "loom"))]
    impl<T: ?Sized> UnsafeCell<T> {
        /// Reads through a shared pointer to the contents.
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        /// Writes through a mutable pointer to the contents.
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}
