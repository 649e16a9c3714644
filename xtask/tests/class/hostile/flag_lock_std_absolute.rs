//! A racy lock on std's atomic and cell, by absolute paths, with `Relaxed` everywhere:
//! loom cannot see std's types, so without the refusal its model check would pass.
use ::std::cell::UnsafeCell;
use ::std::sync::atomic::{AtomicBool, Ordering};

pub struct FlagLock {
    locked: AtomicBool,
    value: UnsafeCell<u32>,
}

unsafe impl Sync for FlagLock {}

impl FlagLock {
    pub fn new() -> Self {
        FlagLock { locked: AtomicBool::new(false), value: UnsafeCell::new(0) }
    }

    pub fn increment(&self) {
        while self.locked.swap(true, Ordering::Relaxed) {
            std::hint::spin_loop();
        }
        unsafe { *self.value.get() += 1 };
        self.locked.store(false, Ordering::Relaxed);
    }

    pub fn get(&self) -> u32 {
        unsafe { *self.value.get() }
    }
}
