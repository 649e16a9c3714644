//! Checks for `spawn_tasks`: spawned downloads run in the background before anyone
//! awaits them, they overlap in time, the sizes keep the downloads' order when the last
//! finishes first, `sizes` sleeps until they are done rather than looking again and
//! again, and a download that panics comes back as `None` without taking the caller
//! down. The paused clock makes the timing exact; the runtime counts how often its
//! thread wakes up, and runs on a thread of its own, so that a blocked runtime is
//! reported instead of hanging the check.

#[path = "../../exercises/07_async/spawn_tasks.rs"]
mod exercise;

use futures::FutureExt;
use futures::future::BoxFuture;
use std::time::Duration;
use threadlings::check::{Wakeups, anonymously, quiet_deliberate_panics, run_paused};
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

#[test]
fn tasks_run_in_the_background_before_anyone_awaits_them() {
    anonymously(|| {
        run_paused("three one-second downloads", |_| {
            tasks_run_in_the_background_before_anyone_awaits_them_on_the_clock()
        });
    })
}

async fn tasks_run_in_the_background_before_anyone_awaits_them_on_the_clock() {
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

#[test]
fn the_downloads_run_at_the_same_time() {
    anonymously(|| {
        let (sizes, took, _) = run_paused("three one-second downloads", |wakeups| {
            downloads_and_sizes(wakeups, vec![download(10), download(20), download(30)])
        });
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
    })
}

/// A download of `size` that takes `seconds` of runtime time.
fn download_taking(seconds: u64, size: u32) -> BoxFuture<'static, u32> {
    async move {
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        size
    }
    .boxed()
}

#[test]
fn the_sizes_keep_the_order_of_the_downloads_when_the_last_finishes_first() {
    anonymously(|| {
        let downloads = vec![
            download_taking(3, 10),
            download_taking(2, 20),
            download_taking(1, 30),
        ];
        let (sizes, _, _) = run_paused("downloads of three, two and one second", |wakeups| {
            downloads_and_sizes(wakeups, downloads)
        });
        assert!(
            sizes == [Some(10), Some(20), Some(30)],
            "expected the sizes in the order of the downloads, [Some(10), Some(20), \
             Some(30)], but `sizes` returned {sizes:?}, while the downloads took 3, 2 and 1 \
             seconds, the last finishing first: the sizes came in the order the tasks \
             finished. Await the handles one after another, in their order: awaiting a \
             handle whose task has already finished returns at once."
        );
    })
}

/// Starts the downloads and waits for their sizes: returns the sizes, the runtime time
/// they took, and how often the runtime's thread woke up meanwhile.
async fn downloads_and_sizes(
    wakeups: Wakeups,
    downloads: Vec<BoxFuture<'static, u32>>,
) -> (Vec<Option<u32>>, Duration, usize) {
    let start = Instant::now();
    let before = wakeups.count();
    let handles = exercise::start_downloads(downloads);
    let sizes = exercise::sizes(handles).await;
    (sizes, start.elapsed(), wakeups.count() - before)
}

#[test]
fn sizes_sleeps_until_the_downloads_are_done() {
    anonymously(|| {
        let (_, _, wakeups) = run_paused("three one-second downloads", |wakeups| {
            downloads_and_sizes(wakeups, vec![download(1), download(2), download(3)])
        });
        // The downloads' timers fire together after 1 s: the idle runtime wakes a couple of
        // times for that. A `sizes` that looks at the handles every few milliseconds wakes it
        // at each look.
        assert!(
            wakeups <= 6,
            "expected `sizes` to sleep until the downloads were done, so that the runtime's \
             thread woke a couple of times in the one second they took, but it woke {wakeups} \
             times: `sizes` kept looking (a loop on `is_finished` with a short sleep?). \
             `handle.await` sleeps until the task is done, and its task wakes the waiter"
        );
    })
}

#[test]
fn a_panicked_download_is_reported_as_none() {
    anonymously(|| {
        run_paused("three one-second downloads", |_| {
            a_panicked_download_is_reported_as_none_on_the_clock()
        });
    })
}

async fn a_panicked_download_is_reported_as_none_on_the_clock() {
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
