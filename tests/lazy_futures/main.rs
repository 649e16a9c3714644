//! Checks for `lazy_futures`: every awaited step runs, in order, each finished before the
//! next starts (the journal is read halfway through each step), and a future does no
//! work before it is awaited. Each step's write takes 10 ms on the paused clock, so the
//! timing is exact; the steps run on a runtime of their own, so that a blocked runtime is
//! reported instead of hanging the check.

#[path = "../../exercises/07_async/lazy_futures.rs"]
mod exercise;

use exercise::Journal;
use std::time::Duration;
use threadlings::check::{Clock, PATIENCE, anonymously, anonymously_async, run_paused_within};
use tokio::time::Instant;

/// What the journal held at 5, 15 and 25 ms (halfway through each 10 ms step, when they
/// run one after another), what it held at the end, and when the steps were done.
struct Steps {
    halfway: Vec<Vec<String>>,
    at_the_end: Vec<String>,
    took: Duration,
}

/// Runs `open_read_close` on the paused clock, reading the journal while it runs.
fn run_steps() -> Steps {
    run_paused_within(PATIENCE, |_| async {
        let journal = Journal::new();
        let start = Instant::now();
        let steps = exercise::open_read_close(&journal);
        tokio::pin!(steps);
        let mut halfway = Vec::new();
        let mut done = false;
        for millis in [5, 15, 25] {
            // Runs the steps until then (or until they are done, if sooner).
            let until = start + Duration::from_millis(millis);
            if !done {
                done = tokio::time::timeout_at(until, &mut steps).await.is_ok();
            }
            tokio::time::sleep_until(until).await;
            halfway.push(journal.entries());
        }
        if !done {
            steps.await;
        }
        Steps {
            halfway,
            at_the_end: journal.entries(),
            took: start.elapsed(),
        }
    })
    .unwrap_or_else(|| {
        panic!(
            "expected `open_read_close` to be done after 30 ms of runtime time, which on the \
             paused clock takes next to no real time, but it had not returned after \
             {PATIENCE:?}: the runtime's thread was blocked. A blocking call such as \
             `futures::executor::block_on(..)` inside async code waits for a timer that \
             only the (blocked) runtime can fire. Use `.await`"
        )
    })
}

#[test]
fn note_keeps_its_delay() {
    anonymously_async(Clock::Paused, || async {
        // The checks below rely on this delay: `note` is not to be changed.
        let journal = Journal::new();
        let start = Instant::now();
        exercise::note(&journal, "one").await;
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(10) && took < Duration::from_millis(11),
            "expected `note` to take 10 ms of runtime time as shipped, but it took {took:?}: \
             leave `note` as it is"
        );
        assert_eq!(
            journal.entries(),
            ["one"],
            "expected `note` to record its entry"
        );
    })
}

#[test]
fn every_step_runs_in_order() {
    anonymously(|| {
        let steps = run_steps();
        assert_eq!(
            steps.at_the_end,
            ["open", "read", "close"],
            "expected the three steps in order. A step that is missing was turned into a \
             future that nobody awaited: calling an `async fn` only builds the future, and \
             `.await` is what runs it"
        );
    })
}

#[test]
fn each_step_finishes_before_the_next_starts() {
    anonymously(|| {
        let steps = run_steps();
        let expected: [&[&str]; 3] = [&[], &["open"], &["open", "read"]];
        let all_at_once = steps.halfway.get(1).is_some_and(|seen| seen.len() == 3);
        let why = if all_at_once {
            " All three writes were under way at the same time and ended together: the steps \
             ran concurrently, as `join!` (or `join_all`) runs its futures. That suits \
             independent work, not steps that build on each other: await each step before \
             starting the next."
        } else {
            ""
        };
        assert!(
            steps.halfway == expected,
            "expected each 10 ms step to finish before the next started, so that halfway \
             through each step (at 5, 15 and 25 ms of runtime time) the journal held {expected:?}, \
             but it held {:?}.{why}",
            steps.halfway
        );
        assert!(
            steps.took >= Duration::from_millis(30) && steps.took < Duration::from_millis(31),
            "expected the three 10 ms steps, one after another, to take 30 ms of runtime time, \
             but they took {:?}",
            steps.took
        );
    })
}

#[test]
fn nothing_runs_before_the_future_is_awaited() {
    anonymously_async(Clock::Running, || async {
        let journal = Journal::new();
        let future = exercise::deferred_note(&journal, "later");
        assert!(
            journal.entries().is_empty(),
            "expected no entry before the future is awaited, but `deferred_note` recorded \
             {:?} as soon as it was called. Futures are lazy: move the work inside the \
             `async` block so that it runs when the future is polled",
            journal.entries()
        );
        future.await;
        assert_eq!(
            journal.entries(),
            ["later"],
            "expected the entry to be recorded once the future was awaited: is a future inside \
             the `async` block left without `.await`?"
        );
    })
}

#[test]
fn a_future_dropped_unawaited_does_nothing() {
    anonymously_async(Clock::Running, || async {
        let journal = Journal::new();
        drop(exercise::deferred_note(&journal, "never"));
        assert!(
            journal.entries().is_empty(),
            "expected a future that was dropped without being awaited to record nothing, but \
             the journal holds {:?}: the work ran when the future was created. Futures are \
             lazy: do the work inside the `async` block that `deferred_note` returns",
            journal.entries()
        );
    })
}
