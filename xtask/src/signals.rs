//! Interrupts. Ctrl-C (SIGINT), SIGTERM, and SIGHUP when the terminal closes stop every
//! process group the command started, put the terminal back as it was, and end the
//! command with the conventional status, 128 plus the signal's number (130 for Ctrl-C).
//!
//! Test processes run in process groups of their own, so the terminal's Ctrl-C never
//! reaches them, and a deadlocked test uses no CPU, so its CPU limit never ends it:
//! without this, every interrupted check would leave its tests behind.

use std::sync::Mutex;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::process;

/// What must be undone before the command exits on a signal (the terminal's raw mode,
/// for `watch`).
static CLEANUPS: Mutex<Vec<fn()>> = Mutex::new(Vec::new());

/// Handles SIGINT, SIGTERM and SIGHUP on a thread of their own for the rest of the
/// command.
pub fn install() -> Result<(), String> {
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|err| format!("cannot handle interrupts: {err}"))?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                stop(signal);
            }
        })
        .map_err(|err| format!("cannot handle interrupts: {err}"))?;
    Ok(())
}

/// Runs `cleanup` if the command is interrupted.
pub fn on_interrupt(cleanup: fn()) {
    CLEANUPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(cleanup);
}

fn stop(signal: i32) -> ! {
    process::stop_all();
    for cleanup in CLEANUPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
    {
        cleanup();
    }
    eprintln!();
    std::process::exit(128 + signal)
}
