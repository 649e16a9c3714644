//! The threadlings runner: checks exercises and reports verdicts.
//! `ARCHITECTURE.md` at the kit's root maps these modules.

#![deny(unsafe_code)]

// Every module's `print!`, `println!`, `eprint!` and `eprintln!`: std's, but for a
// stream closed early (`| head`), which ends the writing rather than panicking
// (`os/output.rs`). Defined before the modules, so that they shadow std's in each.
macro_rules! print {
    ($($text:tt)*) => {
        $crate::os::output::stdout(format_args!($($text)*))
    };
}
macro_rules! println {
    () => {
        $crate::os::output::stdout(format_args!("\n"))
    };
    ($($text:tt)*) => {
        $crate::os::output::stdout(format_args!("{}\n", format_args!($($text)*)))
    };
}
macro_rules! eprint {
    ($($text:tt)*) => {
        $crate::os::output::stderr(format_args!($($text)*))
    };
}
macro_rules! eprintln {
    () => {
        $crate::os::output::stderr(format_args!("\n"))
    };
    ($($text:tt)*) => {
        $crate::os::output::stderr(format_args!("{}\n", format_args!($($text)*)))
    };
}

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
