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
//! `SharedList` shares one list of items between all its clones: cloning it copies a
//! pointer, never the items. The checks hand clones to several threads, which does not
//! compile yet. Make `SharedList` shareable across threads, still without copying the
//! items.

use std::rc::Rc;

pub struct SharedList<T> {
    // TODO: `Rc` keeps a non-atomic count, so it cannot cross threads. Use the
    // reference-counted pointer whose count is atomic (here and in the methods below).
    items: Rc<Vec<T>>,
}

impl<T> SharedList<T> {
    pub fn new(items: Vec<T>) -> Self {
        SharedList {
            items: Rc::new(items),
        }
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// How many `SharedList`s share these items, this one included.
    pub fn owners(&self) -> usize {
        Rc::strong_count(&self.items)
    }
}

impl<T> Clone for SharedList<T> {
    /// Another owner of the same items: copies a pointer, not the items.
    fn clone(&self) -> Self {
        SharedList {
            items: Rc::clone(&self.items),
        }
    }
}
