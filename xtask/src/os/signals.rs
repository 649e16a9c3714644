//! Interrupts. Ctrl-C (SIGINT), SIGTERM, and SIGHUP when the terminal closes (on
//! Windows: Ctrl-C, Ctrl-Break and the console closing) stop every process tree the
//! command started, put the terminal back as it was, and end the command with the
//! conventional status: 128 plus the signal's number (130 for Ctrl-C) on unix,
//! `STATUS_CONTROL_C_EXIT` on Windows.
//!
//! Test processes run in process trees of their own, so the terminal's Ctrl-C never
//! reaches them, and a deadlocked test uses no CPU, so its CPU limit never ends it:
//! without this, every interrupted check would leave its tests behind.

use std::sync::Mutex;

use crate::os;
use crate::os::process;

/// What must be undone before the command exits on a signal (the terminal's raw mode,
/// for `watch`).
static CLEANUPS: Mutex<Vec<fn()>> = Mutex::new(Vec::new());

/// Handles interrupts on a thread of their own for the rest of the command.
pub fn install() -> anyhow::Result<()> {
    os::on_interrupt(|exit_code| stop(exit_code))
}

/// Runs `cleanup` if the command is interrupted.
pub fn on_interrupt(cleanup: fn()) {
    CLEANUPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(cleanup);
}

fn stop(exit_code: i32) -> ! {
    process::stop_all();
    for cleanup in CLEANUPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
    {
        cleanup();
    }
    eprintln!();
    std::process::exit(exit_code)
}
