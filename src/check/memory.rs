//! Memory that code under test leaks or frees: an allocator that counts what is live,
//! [`Bulky`] values whose allocations it counts exactly, and [`DropCounter`].

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes allocated through [`CountingAllocator`] and not yet freed.
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

/// How many allocations that hold a [`Bulky`] are live.
static LIVE_BULKY: AtomicUsize = AtomicUsize::new(0);

fn holds_a_bulky(size: usize) -> bool {
    (BULKY_SIZE..BULKY_SIZE + 64).contains(&size)
}

fn allocated(size: usize) {
    LIVE_BYTES.fetch_add(size, Ordering::SeqCst);
    if holds_a_bulky(size) {
        LIVE_BULKY.fetch_add(1, Ordering::SeqCst);
    }
}

/// Counts a new allocation of `size` bytes at `memory`, unless it failed (null).
fn counted(memory: *mut u8, size: usize) -> *mut u8 {
    if !memory.is_null() {
        allocated(size);
    }
    memory
}

fn freed(size: usize) {
    LIVE_BYTES.fetch_sub(size, Ordering::SeqCst);
    if holds_a_bulky(size) {
        LIVE_BULKY.fetch_sub(1, Ordering::SeqCst);
    }
}

/// std's own allocator (`System`), counting what is allocated and not yet freed, so that a
/// check can see memory that code under test leaks, without any tool of the operating
/// system. A test target installs it with
/// `#[global_allocator] static ALLOCATOR: CountingAllocator = CountingAllocator;` and
/// reads, before and after the call, either [`live_bytes`] (every allocation: other
/// threads allocate too, so a check compares with a margin far below what it makes the
/// code leak) or [`live_bulky_allocations`] (only the allocations that hold a [`Bulky`],
/// which nothing else makes, so the count is exact).
#[derive(Debug)]
pub struct CountingAllocator;

// SAFETY: every call is passed on to `System` unchanged; the counts are only bookkeeping.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which `System` has.
        counted(unsafe { System.alloc(layout) }, layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        counted(unsafe { System.alloc_zeroed(layout) }, layout.size())
    }

    unsafe fn dealloc(&self, memory: *mut u8, layout: Layout) {
        // SAFETY: `memory` came from this allocator, that is from `System`, with `layout`.
        unsafe { System.dealloc(memory, layout) };
        freed(layout.size());
    }

    unsafe fn realloc(&self, memory: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; the caller upholds `realloc`'s contract.
        let moved = unsafe { System.realloc(memory, layout, new_size) };
        if !moved.is_null() {
            allocated(new_size);
            freed(layout.size());
        }
        moved
    }
}

/// How many bytes allocated through [`CountingAllocator`] are not yet freed (always 0
/// in a program that does not install it).
pub fn live_bytes() -> usize {
    LIVE_BYTES.load(Ordering::SeqCst)
}

/// How many allocations that hold a [`Bulky`] are live, when [`CountingAllocator`] is the
/// global allocator (always 0 otherwise).
pub fn live_bulky_allocations() -> usize {
    LIVE_BULKY.load(Ordering::SeqCst)
}

/// The size in bytes of a [`Bulky`]: large and odd, so that no allocation but one made
/// to hold a `Bulky` has a size from `BULKY_SIZE` to `BULKY_SIZE + 63`.
pub const BULKY_SIZE: usize = 77_777;

/// A value whose heap allocations [`CountingAllocator`] counts: the allocation that holds
/// one, alone (a `Box<Bulky>`) or beside a few words of bookkeeping (the count of a
/// reference-counted box), is between `BULKY_SIZE` and `BULKY_SIZE + 63` bytes long.
#[derive(Debug)]
pub struct Bulky(pub [u8; BULKY_SIZE]);

impl Bulky {
    /// A `Bulky` whose every byte is `fill`.
    pub fn filled_with(fill: u8) -> Bulky {
        Bulky([fill; BULKY_SIZE])
    }
}

/// Counts how many times it is dropped, into the counter it shares.
#[derive(Debug)]
pub struct DropCounter(pub Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The library's test binary has this one global allocator, for the tests below.
    #[global_allocator]
    static ALLOCATOR: CountingAllocator = CountingAllocator;

    #[test]
    fn the_counting_allocator_counts_what_is_not_yet_freed() {
        // Other tests allocate meanwhile, so the count is compared with a margin far
        // below what is allocated here.
        const BIG: usize = 64 << 20;
        const NOISE: usize = 8 << 20;
        let before = live_bytes();
        let big = vec![1u8; BIG];
        let during = live_bytes();
        assert!(during + NOISE >= before + BIG, "{before} then {during}");
        drop(big);
        let after = live_bytes();
        assert!(after + BIG <= during + NOISE, "{during} then {after}");
    }

    #[test]
    fn the_counting_allocator_counts_only_live_bulky_allocations() {
        let before = live_bulky_allocations();
        let boxed = Box::new(Bulky::filled_with(1));
        let beside_a_count = Arc::new(Bulky::filled_with(2));
        let small = vec![0u8; 1000];
        assert_eq!(live_bulky_allocations(), before + 2);
        assert_eq!(boxed.0[BULKY_SIZE - 1] + beside_a_count.0[0] + small[0], 3);
        drop((boxed, beside_a_count, small));
        assert_eq!(live_bulky_allocations(), before);
    }
}
