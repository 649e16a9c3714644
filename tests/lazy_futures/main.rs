//! Checks for `lazy_futures`: every awaited step runs, in order, and a future does no
//! work before it is awaited.

#[path = "../../exercises/07_async/lazy_futures.rs"]
mod exercise;

use exercise::Journal;

#[tokio::test]
async fn every_step_runs_in_order() {
    let journal = Journal::new();
    exercise::open_read_close(&journal).await;
    assert_eq!(
        journal.entries(),
        ["open", "read", "close"],
        "expected the three steps in order. A step that is missing was turned into a \
         future that nobody awaited: calling an `async fn` only builds the future, and \
         `.await` is what runs it"
    );
}

#[tokio::test]
async fn nothing_runs_before_the_future_is_awaited() {
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
}

#[tokio::test]
async fn a_future_dropped_unawaited_does_nothing() {
    let journal = Journal::new();
    drop(exercise::deferred_note(&journal, "never"));
    assert!(
        journal.entries().is_empty(),
        "expected a future that was dropped without being awaited to record nothing, but \
         the journal holds {:?}: the work ran when the future was created. Futures are \
         lazy: do the work inside the `async` block that `deferred_note` returns",
        journal.entries()
    );
}
