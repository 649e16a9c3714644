//! A counter handle that stays on one thread: `Cell` makes it `!Sync`.
use std::cell::Cell;

pub struct Counter(pub Cell<u32>);
