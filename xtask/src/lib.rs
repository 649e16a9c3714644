//! The threadlings runner: checks exercises and reports verdicts.
//! `ARCHITECTURE.md` at the kit's root maps these modules.

#![deny(unsafe_code)]

pub mod commands;
pub mod engine;
pub mod model;
pub mod os;
pub mod report;
pub mod syntax;

/// How a command ended, as the process exit code says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything checked passed.
    Success = 0,
    /// Something checked failed.
    Failed = 1,
    /// The command could not run: bad usage, a missing file, a malformed catalog.
    Setup = 2,
}
