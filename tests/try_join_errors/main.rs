//! Checks for `try_join_errors`: when all fetches succeed, the items come back in id
//! order; when some fail, the function returns the error that happened first, at the
//! moment it happened, and the fetches still running are cancelled (dropped before they
//! finish); meanwhile it sleeps until a fetch finishes, rather than polling them again
//! and again. Drop guards record cancellation; the paused clock makes the timing exact;
//! the runtime counts how often its thread wakes up, and runs on a thread of its own, so
//! that a blocked runtime is reported instead of hanging the check.

#[path = "../../exercises/09_task_parallelism/try_join_errors.rs"]
mod exercise;

use std::cell::RefCell;
use std::time::Duration;
use threadlings::check::{anonymously, run_paused};
use tokio::time::{Instant, sleep};

/// What every check here waits for.
const FETCHES: &str = "fetches of at most 10 s";

/// What happened to each fetch.
#[derive(Default)]
struct Log {
    started: RefCell<Vec<u32>>,
    finished: RefCell<Vec<u32>>,
    dropped: RefCell<Vec<u32>>,
}

/// Lives as long as one fetch's future: dropping the future, whether it finished or
/// not, drops the guard.
struct DropGuard<'a> {
    log: &'a Log,
    id: u32,
}

impl Drop for DropGuard<'_> {
    fn drop(&mut self) {
        self.log.dropped.borrow_mut().push(self.id);
    }
}

/// How each id's fetch goes in the failing scenario: its delay, and whether it fails.
fn plan(id: u32) -> (Duration, Result<String, String>) {
    match id {
        1 => (Duration::from_millis(100), Ok("item 1".into())),
        2 => (Duration::from_millis(400), Err("id 2: not found".into())),
        3 => (Duration::from_secs(10), Ok("item 3".into())),
        4 => (Duration::from_millis(200), Err("id 4: timed out".into())),
        _ => unreachable!("only ids 1 to 4 are fetched"),
    }
}

/// Id 4 fails first (at 200 ms), although id 2 comes first in the list; id 3 is slow.
const FAILING_IDS: [u32; 4] = [1, 2, 3, 4];

impl Log {
    async fn fetch(&self, id: u32) -> Result<String, String> {
        let _guard = DropGuard { log: self, id };
        self.started.borrow_mut().push(id);
        let (delay, outcome) = plan(id);
        sleep(delay).await;
        self.finished.borrow_mut().push(id);
        outcome
    }

    /// Where fetch `id` stands now, in words, if it was not cancelled.
    fn not_cancelled(&self, id: u32) -> Option<&'static str> {
        if !self.started.borrow().contains(&id) {
            Some("was never started: every fetch should be running at once")
        } else if self.finished.borrow().contains(&id) {
            Some("ran to the end although its result was no longer needed")
        } else if !self.dropped.borrow().contains(&id) {
            Some("is still alive, waiting to be polled again")
        } else {
            None
        }
    }
}

#[test]
fn returns_every_item_in_id_order_when_all_succeed() {
    anonymously(|| {
        run_paused(FETCHES, |_| {
            returns_every_item_in_id_order_when_all_succeed_on_the_clock()
        });
    })
}

async fn returns_every_item_in_id_order_when_all_succeed_on_the_clock() {
    let start = Instant::now();
    // Later ids answer sooner, so completion order is the reverse of the ids' order.
    let items = exercise::fetch_all_or_first_error(&[1, 2, 3], |id| async move {
        sleep(Duration::from_millis(400 - 100 * u64::from(id))).await;
        Ok::<_, String>(id * 10)
    })
    .await;
    let took = start.elapsed();
    assert_eq!(
        items,
        Ok(vec![10, 20, 30]),
        "expected every item, in the order of the ids. They finished in reverse order: \
         collecting results as they finish gives that order, while `try_join_all` keeps \
         one slot per input future."
    );
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_millis(350),
        "expected the three fetches to overlap and be done after 300 ms (the slowest), \
         but they took {took:?}: were they awaited one after another?"
    );
}

#[test]
fn returns_as_soon_as_a_fetch_fails() {
    anonymously(|| {
        run_paused(FETCHES, |_| returns_as_soon_as_a_fetch_fails_on_the_clock());
    })
}

async fn returns_as_soon_as_a_fetch_fails_on_the_clock() {
    let log = Log::default();
    let start = Instant::now();
    let _ = exercise::fetch_all_or_first_error(&FAILING_IDS, |id| log.fetch(id)).await;
    let took = start.elapsed();
    let why = if took >= Duration::from_secs(10) {
        "It waited for every fetch, the slow one too, although the result was already \
         known to be an error: `join_all` always waits for all of them."
    } else {
        "Were the fetches awaited one after another, each starting when the previous \
         one had finished?"
    };
    assert!(
        took >= Duration::from_millis(200) && took < Duration::from_millis(250),
        "expected to return after 200 ms of runtime time, when id 4 failed (the first \
         failure), but it returned after {took:?}. {why} `try_join_all` runs them all at \
         once and returns at the first `Err`."
    );
}

#[test]
fn returns_the_error_that_happened_first() {
    anonymously(|| {
        run_paused(FETCHES, |_| {
            returns_the_error_that_happened_first_on_the_clock()
        });
    })
}

async fn returns_the_error_that_happened_first_on_the_clock() {
    let log = Log::default();
    let result = exercise::fetch_all_or_first_error(&FAILING_IDS, |id| log.fetch(id)).await;
    assert_eq!(
        result,
        Err("id 4: timed out".to_string()),
        "expected the error of id 4, which failed after 200 ms, before id 2 failed (400 \
         ms). The first error in the list is not the first to happen: collecting the \
         results of `join_all` finds id 2's error first because it looks in list order."
    );
}

#[test]
fn cancels_the_fetches_still_running() {
    anonymously(|| {
        run_paused(FETCHES, |_| {
            cancels_the_fetches_still_running_on_the_clock()
        });
    })
}

async fn cancels_the_fetches_still_running_on_the_clock() {
    let log = Log::default();
    let _ = exercise::fetch_all_or_first_error(&FAILING_IDS, |id| log.fetch(id)).await;
    // Checked as soon as the function returns: futures owned by the function are
    // dropped by then, or never.
    for (id, what) in [(2, "id 2 (failing at 400 ms)"), (3, "id 3 (slow, 10 s)")] {
        if let Some(problem) = log.not_cancelled(id) {
            panic!(
                "expected the fetch of {what} to be cancelled when id 4 failed at 200 ms: \
                 started, then dropped before it finished. Instead it {problem}. When \
                 `try_join_all` meets the first `Err` it returns, and the futures still \
                 inside it are dropped, which cancels them."
            );
        }
    }
}

#[test]
fn sleeps_until_a_fetch_finishes() {
    anonymously(|| {
        let wakeups = run_paused(FETCHES, |wakeups| async move {
            let log = Log::default();
            let before = wakeups.count();
            let _ = exercise::fetch_all_or_first_error(&FAILING_IDS, |id| log.fetch(id)).await;
            wakeups.count() - before
        });
        // Id 1 succeeds at 100 ms and id 4 fails at 200 ms: the idle runtime wakes a couple of
        // times for each.
        assert!(
            wakeups <= 10,
            "expected the function to sleep until a fetch finished (twice before the first \
             error, at 100 and 200 ms, a couple of wake-ups of the runtime's thread each), but \
             the thread woke {wakeups} times: the fetches were polled again and again with a \
             short sleep in between (`now_or_never` in a loop?). `try_join_all` polls a fetch \
             only when its waker says it can make progress"
        );
    })
}
