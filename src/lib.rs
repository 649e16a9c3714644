//! Support code shared by threadlings' exercises and their checks.
//!
//! - [`sync`], [`cell`], [`thread`] and [`hint`] are the shim that synchronization
//!   exercises import instead of `std`: they are std's types in a normal build and
//!   loom's under the `loom` feature, so a model check sees every atomic access.
//! - [`check`] holds helpers that the checks under `tests/` use to observe concurrent
//!   behaviour (for example, that two threads really ran at the same time).

pub mod check;
mod shim;

pub use shim::{cell, hint, sync, thread};
