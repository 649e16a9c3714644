//! A lock on a flag, taken with Acquire and released with Release.
use threadlings::cell::UnsafeCell;
use threadlings::sync::atomic::{AtomicBool, Ordering};

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
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            threadlings::hint::spin_loop();
        }
        self.value.with_mut(|value| unsafe { *value += 1 });
        self.locked.store(false, Ordering::Release);
    }

    pub fn get(&self) -> u32 {
        self.value.with(|value| unsafe { *value })
    }
}
