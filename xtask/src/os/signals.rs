//! Interrupts. Ctrl-C (SIGINT), SIGTERM, and SIGHUP when the terminal closes (on
//! Windows: Ctrl-C, Ctrl-Break and the console closing) stop every process tree the
//! command started, put the terminal back as it was, and end the command with the
//! conventional status: 128 plus the signal's number (130 for Ctrl-C) on unix,
//! `STATUS_CONTROL_C_EXIT` on Windows.
//!
//! Test processes run in process trees of their own, so the terminal's Ctrl-C never
//! reaches them, and a deadlocked test uses no CPU, so its CPU limit never ends it:
//! without this, every interrupted check would leave its tests behind.
//!
//! Grading a class asks to finish first ([`finish_before_exiting`]): the first
//! interrupt then stops every process tree and refuses new ones, and the class loop,
//! which asks [`interrupted`] after each student, writes the reports of the students
//! graded so far and exits with the same status. A second interrupt exits at once.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use crate::os;
use crate::os::process;

/// What must be undone before the command exits on a signal (the terminal's raw mode,
/// for `watch`).
static CLEANUPS: Mutex<Vec<fn()>> = Mutex::new(Vec::new());

/// The command finishes its work (its reports) before it exits on an interrupt.
static FINISH_FIRST: AtomicBool = AtomicBool::new(false);

/// The exit status of the interrupt the command is finishing for; 0 while none came.
static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

/// Handles interrupts on a thread of their own for the rest of the command.
pub fn install() -> anyhow::Result<()> {
    os::on_interrupt(stop)
}

/// Runs `cleanup` if the command is interrupted.
pub fn on_interrupt(cleanup: fn()) {
    CLEANUPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(cleanup);
}

/// From now on, an interrupt stops every process tree and is left to the command to
/// end on (see [`interrupted`]); a second one still exits at once.
pub fn finish_before_exiting() {
    FINISH_FIRST.store(true, Ordering::SeqCst);
}

/// The exit status the command must end with, if it was interrupted while finishing
/// first.
pub fn interrupted() -> Option<i32> {
    match INTERRUPTED.load(Ordering::SeqCst) {
        0 => None,
        code => Some(code),
    }
}

fn stop(exit_code: i32) {
    let first = INTERRUPTED
        .compare_exchange(0, exit_code, Ordering::SeqCst, Ordering::SeqCst)
        .is_ok();
    if first && FINISH_FIRST.load(Ordering::SeqCst) {
        process::stop_all();
        eprintln!(
            "\ninterrupted: every test stopped; the reports of the students graded so far \
             are written, marked incomplete (interrupt again to stop at once)"
        );
        return;
    }
    exit_now(exit_code)
}

/// Stops every process tree, undoes what must be undone, and exits with `exit_code`.
pub fn exit_now(exit_code: i32) -> ! {
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
