//! # Shared ownership across threads: `Rc` versus `Arc`
//!
//! `Rc<T>` lets several owners share one value and frees it when the last owner lets
//! go. It keeps the count of owners with ordinary, non-atomic arithmetic: fast, and
//! correct only while every clone lives on one thread. Two threads cloning or dropping
//! the same `Rc` at once could lose an update to the count and free the value while it
//! is still in use. So `Rc` is neither `Send` nor `Sync`, and the compiler refuses to
//! let one reach another thread. `Arc<T>` (atomically reference counted) updates its
//! count with atomic operations; it may cross threads when `T` is `Send + Sync`, since
//! every thread holding a clone can reach the same `T`.
//!
//! With `Arc`, clones made and dropped on many threads at once keep an exact count,
//! and no `unsafe impl` is needed: `SharedList<T>` is `Send` and `Sync` exactly when
//! `Arc<Vec<T>>` is, that is when `T: Send + Sync`. A list of `Cell`s stays on its
//! thread.

use std::sync::Arc;

pub struct SharedList<T> {
    items: Arc<Vec<T>>,
}

impl<T> SharedList<T> {
    pub fn new(items: Vec<T>) -> Self {
        SharedList {
            items: Arc::new(items),
        }
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// How many `SharedList`s share these items, this one included.
    pub fn owners(&self) -> usize {
        Arc::strong_count(&self.items)
    }
}

impl<T> Clone for SharedList<T> {
    /// Another owner of the same items: copies a pointer, not the items.
    fn clone(&self) -> Self {
        SharedList {
            items: Arc::clone(&self.items),
        }
    }
}
