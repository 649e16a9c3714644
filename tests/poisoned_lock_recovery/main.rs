//! Checks for `poisoned_lock_recovery`: after a job panics on another thread while
//! holding the journal's lock, the journal keeps working on every thread (also on one
//! that was already waiting for the lock when the job panicked), the lines of the
//! unfinished job are rolled back, and the mutex is marked healthy again.

#[path = "../../exercises/03_shared_state/poisoned_lock_recovery.rs"]
mod exercise;

use exercise::Journal;
use std::sync::mpsc;
use std::thread;
use threadlings::check::{
    DeliberatePanic, LINGER, anonymously, panic_text, quiet_deliberate_panics,
    quiet_panics_on_this_thread,
};

/// A journal with one finished job, then one job that panicked halfway, on a thread of
/// its own, after writing a line.
fn journal_after_a_failed_job() -> Journal {
    quiet_deliberate_panics();
    let journal = Journal::new();
    journal.run(|lines| lines.push("first job".to_string()));
    thread::scope(|scope| {
        let journal = &journal;
        let failed = scope.spawn(move || {
            journal.run(|lines| {
                lines.push("half of the second job".to_string());
                // The second job panics on purpose, to poison the journal's lock.
                std::panic::panic_any(DeliberatePanic)
            })
        });
        assert!(failed.join().is_err(), "the second job was meant to panic");
    });
    assert!(
        journal.is_poisoned(),
        "a panic while holding a `MutexGuard` poisons the mutex"
    );
    journal
}

/// Runs `work` on another thread, and turns a panic into an explanation.
fn on_another_thread<R: Send>(what: &str, work: impl FnOnce() -> R + Send) -> R {
    thread::scope(|scope| match scope.spawn(work).join() {
        Ok(result) => result,
        Err(panic) => panic!(
            "expected the journal to keep working after a job panicked while holding its \
             lock, but {what} panicked too: \"{}\". A panic poisons the mutex, and then \
             `lock()` returns `Err(PoisonError)` to every thread; `unwrap()` passes the \
             panic on. `PoisonError::into_inner` gives the guard back instead.",
            panic_text(&*panic).unwrap_or("(no message)")
        ),
    })
}

#[test]
fn finished_jobs_are_kept_in_order() {
    anonymously(|| {
        let journal = Journal::new();
        journal.run(|lines| lines.push("one".to_string()));
        let len = journal.run(|lines| {
            lines.push("two".to_string());
            lines.len()
        });
        assert_eq!(len, 2, "a job sees the lines written before it");
        assert_eq!(journal.lines(), ["one", "two"]);
        assert!(!journal.is_poisoned());
    })
}

#[test]
fn the_next_job_runs_after_a_job_panicked() {
    anonymously(|| {
        let journal = journal_after_a_failed_job();
        on_another_thread("the next job's `run`", || {
            journal.run(|lines| lines.push("third job".to_string()))
        });
        let lines = on_another_thread("`lines()`", || journal.lines());
        assert_eq!(
            lines,
            ["first job", "third job"],
            "expected only the lines of the jobs that finished, but the journal holds \
             {lines:?}: the line that the panicking job wrote before it stopped was kept. \
             Before using the data of a poisoned mutex, repair it: drop the lines after \
             `committed`."
        );
    })
}

#[test]
fn reading_a_poisoned_journal_shows_only_finished_jobs() {
    anonymously(|| {
        let journal = journal_after_a_failed_job();
        let lines = on_another_thread("`lines()`", || journal.lines());
        assert_eq!(lines, ["first job"]);
    })
}

#[test]
fn the_repaired_lock_is_healthy_again() {
    anonymously(|| {
        let journal = journal_after_a_failed_job();
        on_another_thread("`lines()`", || journal.lines());
        assert!(
            !journal.is_poisoned(),
            "expected the mutex to be marked healthy once the journal was repaired, but it \
             is still poisoned: every later `lock()` will report the old panic again, and a \
             new one cannot be told apart. Call `clear_poison()` on the mutex after the repair."
        );
    })
}

#[test]
fn a_thread_waiting_for_the_lock_when_a_job_panics_recovers_it() {
    anonymously(|| {
        quiet_deliberate_panics();
        let journal = Journal::new();
        journal.run(|lines| lines.push("first job".to_string()));
        let lines = thread::scope(|scope| {
            let (holding, holds) = mpsc::channel();
            let (waiting, waits) = mpsc::channel();
            let journal = &journal;
            let failed = scope.spawn(move || {
                journal.run(|lines| {
                    lines.push("half of the second job".to_string());
                    holding.send(()).unwrap();
                    waits.recv().unwrap();
                    // The other thread is now on its way into `run`, where it must wait for
                    // this lock. This job keeps the lock a while longer, so that the other
                    // thread is already waiting (past any check it makes first) when the
                    // job panics; a correct journal does not care how long this is.
                    thread::sleep(LINGER);
                    std::panic::panic_any(DeliberatePanic)
                })
            });
            holds.recv().unwrap();
            let waiter = scope.spawn(move || {
                // This check reports a panic here itself.
                quiet_panics_on_this_thread();
                waiting.send(()).unwrap();
                journal.run(|lines| lines.push("third job".to_string()));
            });
            assert!(failed.join().is_err(), "the second job was meant to panic");
            if let Err(panic) = waiter.join() {
                panic!(
                    "expected a thread that was waiting for the journal's lock when a job \
                     panicked to get the lock, repair the journal and run its job, but it \
                     panicked: \"{}\". It checked for poison before it had the lock (with \
                     `is_poisoned`), and the lock it then got was poisoned. Only the result \
                     of `lock()` tells: handle its `Err(PoisonError)` whenever it comes.",
                    panic_text(&*panic).unwrap_or("(no message)")
                );
            }
            journal.lines()
        });
        assert_eq!(
            lines,
            ["first job", "third job"],
            "expected only the lines of the jobs that finished"
        );
    })
}
