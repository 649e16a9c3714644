//! Checks for `spawn_tasks`: spawned downloads run in the background before anyone
//! awaits them, they overlap in time, and a download that panics comes back as `None`
//! without taking the caller down. The paused clock makes the timing exact.

#[path = "../../exercises/07_async/spawn_tasks.rs"]
mod exercise;

use futures::FutureExt;
use futures::future::BoxFuture;
use std::time::Duration;
use threadlings::check::quiet_deliberate_panics;
use tokio::time::Instant;

fn download(size: u32) -> BoxFuture<'static, u32> {
    async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        size
    }
    .boxed()
}

fn failing_download() -> BoxFuture<'static, u32> {
    async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        panic!(
            "this download panics on purpose: its task must end in a JoinError that \
             `sizes` reports as None"
        )
    }
    .boxed()
}

#[tokio::test(start_paused = true)]
async fn tasks_run_in_the_background_before_anyone_awaits_them() {
    let handles = exercise::start_downloads(vec![download(1), download(2), download(3)]);
    // The caller does something else for two seconds; the one-second downloads must
    // finish meanwhile, although nobody awaits their handles yet.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let finished = handles.iter().filter(|handle| handle.is_finished()).count();
    assert_eq!(
        finished, 3,
        "expected all three downloads to have finished in the background while the \
         caller was busy, but {finished} had: a spawned task runs on its own, without \
         being awaited"
    );
}

#[tokio::test(start_paused = true)]
async fn the_downloads_run_at_the_same_time() {
    let start = Instant::now();
    let handles = exercise::start_downloads(vec![download(10), download(20), download(30)]);
    let sizes = exercise::sizes(handles).await;
    let took = start.elapsed();
    assert_eq!(
        sizes,
        [Some(10), Some(20), Some(30)],
        "expected the sizes in order"
    );
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1100),
        "expected three one-second downloads started together to finish after one second \
         of runtime time, but they took {took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_panicked_download_is_reported_as_none() {
    quiet_deliberate_panics();
    let handles = exercise::start_downloads(vec![download(1), failing_download(), download(3)]);
    // Run `sizes` as a task of its own, so that a panic in it is caught and explained.
    let outcome = tokio::spawn(exercise::sizes(handles)).await;
    let sizes = outcome.unwrap_or_else(|_| {
        panic!(
            "expected `sizes` to report the download that panicked as `None`, but `sizes` \
             itself panicked: awaiting a panicked task's handle gives `Err(JoinError)`, and \
             unwrapping it spreads the panic to the caller"
        )
    });
    assert_eq!(
        sizes,
        [Some(1), None, Some(3)],
        "expected `None` for the download that panicked and the other sizes in order"
    );
}
