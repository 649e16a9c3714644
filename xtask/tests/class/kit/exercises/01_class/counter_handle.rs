//! A counter handle that claims, wrongly, to be shareable between threads.
use std::cell::Cell;

pub struct Counter(pub Cell<u32>);

unsafe impl Sync for Counter {}
