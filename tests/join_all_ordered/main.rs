//! Checks for `join_all_ordered`: every id is fetched once, all fetches start together
//! and overlap, `fetch_all` sleeps until a fetch finishes rather than polling them again
//! and again, and the items come back in the order of the ids even though later ids
//! finish first. The fetches sleep on the paused clock, so the timing is exact; the
//! runtime counts how often its thread wakes up, and runs on a thread of its own, so that
//! a blocked runtime is reported instead of hanging the check.

#[path = "../../exercises/09_task_parallelism/join_all_ordered.rs"]
mod exercise;

use std::cell::RefCell;
use std::time::Duration;
use threadlings::check::{Spans, anonymously, run_paused};
use tokio::time::{Instant, sleep};

/// What every check here waits for.
const FETCHES: &str = "five fetches of at most 500 ms";

/// Later ids answer sooner: id 1 takes 500 ms, id 5 takes 100 ms. Completion order is
/// the reverse of the ids' order.
fn delay_of(id: u32) -> Duration {
    Duration::from_millis(600 - 100 * u64::from(id))
}

const IDS: [u32; 5] = [1, 2, 3, 4, 5];

/// What the fetches did: when each id started and when it finished, and each fetch's
/// span on the runtime's clock.
#[derive(Default)]
struct Log {
    started: RefCell<Vec<(u32, Duration)>>,
    finished: RefCell<Vec<u32>>,
    spans: Spans,
}

impl Log {
    async fn fetch(&self, start: Instant, id: u32) -> String {
        self.started.borrow_mut().push((id, start.elapsed()));
        self.spans
            .run(format!("fetch {id}"), sleep(delay_of(id)))
            .await;
        self.finished.borrow_mut().push(id);
        format!("item {id}")
    }
}

#[test]
fn an_empty_list_gives_no_items() {
    anonymously(|| {
        run_paused(FETCHES, |_| an_empty_list_gives_no_items_on_the_clock());
    })
}

async fn an_empty_list_gives_no_items_on_the_clock() {
    let items = exercise::fetch_all(&[], |id| async move { id }).await;
    assert!(
        items.is_empty(),
        "expected no items for no ids, got {items:?}"
    );
}

#[test]
fn fetches_each_id_once() {
    anonymously(|| {
        run_paused(FETCHES, |_| fetches_each_id_once_on_the_clock());
    })
}

async fn fetches_each_id_once_on_the_clock() {
    let log = Log::default();
    let start = Instant::now();
    exercise::fetch_all(&IDS, |id| log.fetch(start, id)).await;
    let mut fetched: Vec<u32> = log.started.borrow().iter().map(|&(id, _)| id).collect();
    fetched.sort_unstable();
    assert_eq!(
        fetched, IDS,
        "expected `fetch` to be called exactly once for each id"
    );
}

#[test]
fn returns_the_items_in_the_order_of_the_ids() {
    anonymously(|| {
        run_paused(FETCHES, |_| {
            returns_the_items_in_the_order_of_the_ids_on_the_clock()
        });
    })
}

async fn returns_the_items_in_the_order_of_the_ids_on_the_clock() {
    let log = Log::default();
    let start = Instant::now();
    let items = exercise::fetch_all(&IDS, |id| log.fetch(start, id)).await;
    let expected: Vec<String> = IDS.iter().map(|id| format!("item {id}")).collect();
    assert_eq!(
        items,
        expected,
        "expected item i to be the result of fetching ids[i]. The fetches finished in the \
         order {:?} (later ids are quicker): collecting results as they finish gives that \
         order, while `join_all` keeps one slot per input future and returns the results \
         in input order.",
        log.finished.borrow()
    );
}

// One thread (a current-thread runtime): the overlap is concurrency, not parallelism.
#[test]
fn starts_every_fetch_at_once_and_waits_for_the_slowest() {
    anonymously(|| {
        run_paused(FETCHES, |_| {
            starts_every_fetch_at_once_and_waits_for_the_slowest_on_the_clock()
        });
    })
}

async fn starts_every_fetch_at_once_and_waits_for_the_slowest_on_the_clock() {
    let log = Log::default();
    let start = Instant::now();
    exercise::fetch_all(&IDS, |id| log.fetch(start, id)).await;
    let took = start.elapsed();
    let started = log.started.borrow();
    let late: Vec<_> = started
        .iter()
        .filter(|&&(_, at)| at > Duration::ZERO)
        .collect();
    assert!(
        late.is_empty(),
        "expected all {} fetches to start at once, at 0 ms, but these (id, start time) \
         started later: {late:?}. A fetch that starts only when the previous one has \
         finished means the futures were awaited one after another; hand them all to \
         `join_all` and await that once. Each fetch on the runtime's clock: {}",
        IDS.len(),
        log.spans
    );
    assert!(
        took >= Duration::from_millis(500) && took < Duration::from_millis(550),
        "expected the fetches to overlap and all be done after 500 ms of runtime time (the \
         slowest fetch), but `fetch_all` took {took:?} (the sum of the delays is 1.5 s)"
    );
}

#[test]
fn sleeps_until_a_fetch_finishes() {
    anonymously(|| {
        let wakeups = run_paused(FETCHES, |wakeups| async move {
            let log = Log::default();
            let start = Instant::now();
            let before = wakeups.count();
            exercise::fetch_all(&IDS, |id| log.fetch(start, id)).await;
            wakeups.count() - before
        });
        // Five fetches end at 100, 200, 300, 400 and 500 ms: the idle runtime wakes a couple
        // of times for each.
        assert!(
            wakeups <= 3 * IDS.len() + 4,
            "expected `fetch_all` to sleep until a fetch finished (five times in 500 ms, a \
             couple of wake-ups of the runtime's thread each), but the thread woke {wakeups} \
             times: the fetches were polled again and again with a short sleep in between \
             (`now_or_never` in a loop?). `join_all` polls a fetch only when its waker says \
             it can make progress"
        );
    })
}
