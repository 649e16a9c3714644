//! # A ticket lock
//!
//! Chapter 1's spin lock lets every waiting thread race for one flag, and the fastest
//! wins, again and again: a thread can wait forever while others keep taking the lock.
//! A ticket lock is fair, like the queue at a bakery counter: each thread takes a
//! numbered ticket, and the lock serves tickets in order.
//!
//! `next_ticket` hands out tickets; `now_serving` is the ticket whose holder may use
//! the value. Write `lock` and the guard's `drop`: taking a ticket must never give two
//! threads the same number, and handing the lock over must publish the holder's writes
//! to the next holder.

use std::ops::{Deref, DerefMut};
use threadlings::cell::UnsafeCell;
use threadlings::sync::atomic::{AtomicUsize, Ordering};

pub struct TicketLock<T> {
    next_ticket: AtomicUsize,
    now_serving: AtomicUsize,
    value: UnsafeCell<T>,
}

// SAFETY: only the thread whose ticket is being served reaches the value, and it may
// be a different thread each time, so the value must be allowed to move between them.
unsafe impl<T: Send> Sync for TicketLock<T> {}

impl<T> TicketLock<T> {
    pub fn new(value: T) -> Self {
        TicketLock {
            next_ticket: AtomicUsize::new(0),
            now_serving: AtomicUsize::new(0),
            value: UnsafeCell::new(value),
        }
    }

    /// Takes the next ticket, waits until it is served, and returns a guard that gives
    /// access to the value and serves the next ticket when dropped.
    pub fn lock(&self) -> TicketLockGuard<'_, T> {
        // TODO: take a ticket (no two threads may get the same one), then wait, calling
        // `threadlings::hint::spin_loop()` each time round, until `now_serving` shows it.
        // Which ordering makes the previous holder's writes visible here?
        todo!("take the next ticket, then wait until it is served")
    }

    /// How many threads hold the lock or wait for it: the tickets taken and not yet
    /// done with. A snapshot, which may be stale as soon as it is returned.
    pub fn queue_len(&self) -> usize {
        // Reading `now_serving` first, with `Acquire`, means `next_ticket` is read at
        // least as new, so the difference never goes below zero.
        let serving = self.now_serving.load(Ordering::Acquire);
        let next = self.next_ticket.load(Ordering::Relaxed);
        next.wrapping_sub(serving)
    }
}

pub struct TicketLockGuard<'a, T> {
    lock: &'a TicketLock<T>,
}

impl<T> Deref for TicketLockGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard exists only while this thread's ticket is being served.
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> DerefMut for TicketLockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard exists only while this thread's ticket is being served.
        self.lock.value.with_mut(|value| unsafe { &mut *value })
    }
}

impl<T> Drop for TicketLockGuard<'_, T> {
    fn drop(&mut self) {
        // TODO: serve the next ticket, with the ordering that publishes this holder's
        // writes to the next holder.
        todo!("serve the next ticket")
    }
}
