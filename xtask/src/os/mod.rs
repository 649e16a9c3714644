//! The runner's operating-system layer: one small API over process trees, the test
//! sandbox, interrupts and the terminal, with one implementation per family (`unix.rs`,
//! with a Linux-only part, and `windows.rs`). Those two files hold every `unsafe` of the
//! runner: the crate denies `unsafe_code` everywhere else.
//!
//! What each system enforces on a test process is the README's table ("For
//! instructors"); what one cannot is `unenforced`, under `check`'s table.

pub mod editor;
pub mod output;
pub mod process;
pub mod sandbox;
pub mod signals;
pub mod terminal;

use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus};

#[cfg(unix)]
#[allow(unsafe_code)]
mod unix;
#[cfg(unix)]
use unix as platform;

#[cfg(windows)]
#[allow(unsafe_code)]
mod windows;
#[cfg(windows)]
use windows as platform;

// Windows' own logic, kept apart from its system calls so that Linux tests it too.
#[cfg(any(windows, all(test, target_os = "linux")))]
mod exit_codes;
#[cfg(any(windows, all(test, target_os = "linux")))]
mod job;

/// A running child and every process it starts, stopped together: a process group of
/// its own on unix, a job object that kills its processes when closed on Windows.
pub struct Tree(platform::Tree);

impl Tree {
    /// Starts `command` as the root of a new tree. On Windows it runs no code outside
    /// its job: it starts suspended and is resumed once assigned.
    pub fn spawn(command: &mut Command) -> std::io::Result<(Child, Tree)> {
        let (child, tree) = platform::Tree::spawn(command)?;
        Ok((child, Tree(tree)))
    }

    /// Kills every process of the tree that is still running.
    pub fn kill(&self) {
        self.0.kill();
    }
}

/// How a process ended, in this system's terms: "exit code 3", "killed by signal 6
/// (SIGABRT: …)", or on Windows "exit code 0xC0000005 (an access violation: …)".
pub fn describe_exit(status: ExitStatus) -> String {
    platform::describe_exit(status)
}

/// The limits a test process runs under, where the system can enforce them.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub memory_bytes: u64,
    pub cpu_seconds: u64,
    pub file_size_bytes: u64,
    /// Processes (and, where the system counts them so, threads) a test may start.
    pub new_tasks: u64,
}

/// What the memory limit caps on this system, for a verdict on a test that ran out of
/// memory; `None` where it is not capped.
pub const MEMORY_CAPPED: Option<&str> = platform::MEMORY_CAPPED;

/// What a sandboxed process may do: `limits`; where the system can, reading only
/// `readable`, writing only `writable` (and `write_only`, whose files it cannot read);
/// and, unless `programs`, no program started, socket opened or process outside
/// signalled.
#[derive(Debug, Clone)]
pub struct Confinement {
    pub limits: Limits,
    pub readable: Vec<PathBuf>,
    pub writable: Vec<PathBuf>,
    pub write_only: Vec<PathBuf>,
    pub programs: bool,
}

/// Confines this process and everything it starts as `confinement` says, with an end
/// with the runner that started it and where the system can, namespaces of its own;
/// then runs `command` in the sandbox. Returns only if something cannot be set up or
/// the command cannot start.
pub fn enter_sandbox(confinement: &Confinement, command: Command) -> String {
    platform::enter(confinement, command)
}

/// What this system cannot enforce on a test process, in one line for `check`'s
/// footnote; `None` where everything is enforced.
pub fn unenforced() -> Option<String> {
    platform::unenforced()
}

/// Calls `stop`, on a thread of its own, with the exit status the command ends with
/// when it is interrupted: Ctrl-C, SIGTERM or SIGHUP on unix (128 plus the signal's
/// number), a console event on Windows (`STATUS_CONTROL_C_EXIT`).
pub fn on_interrupt(stop: fn(i32)) -> anyhow::Result<()> {
    platform::on_interrupt(stop)
}

/// The terminal's input settings, to put back after single-key mode.
pub struct TerminalSettings(platform::TerminalSettings);

impl TerminalSettings {
    /// The settings as they are; `None` when standard input is not a terminal.
    pub fn read() -> Option<TerminalSettings> {
        platform::TerminalSettings::read().map(TerminalSettings)
    }

    /// Single keys without Enter and without echo, from these settings; Ctrl-C still
    /// interrupts and output is unchanged.
    pub fn enter_single_keys(&self) {
        self.0.enter_single_keys();
    }

    /// Puts these settings back.
    pub fn restore(&self) {
        self.0.restore();
    }
}
