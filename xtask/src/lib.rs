//! The threadlings runner: checks exercises and reports verdicts.
//! `ARCHITECTURE.md` at the kit's root maps these modules.

pub mod cargo;
pub mod catalog;
pub mod commands;
pub mod compile_fail;
pub mod editor;
pub mod kit;
pub mod libtest;
pub mod loom;
pub mod mutants;
pub mod os;
pub mod outcome;
pub mod policy;
pub mod process;
pub mod progress;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod shipped;
pub mod signals;
pub mod style;
pub mod submission;

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
