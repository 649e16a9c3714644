//! Checks for `buffer_unordered_limit`: never more than `limit` fetches are in flight,
//! a new fetch starts as soon as one finishes (so exactly `limit` are busy while ids are
//! waiting), results come back in completion order, and meanwhile `fetch_bounded` sleeps
//! until a fetch finishes rather than polling them again and again. Each fetch counts
//! itself in and out; the delays are known and the paused clock is exact, so the
//! completion order and the total time of a correct schedule are known in advance; the
//! runtime counts how often its thread wakes up, and runs on a thread of its own, so that
//! a blocked runtime is reported instead of hanging the check.

#[path = "../../exercises/09_task_parallelism/buffer_unordered_limit.rs"]
mod exercise;

use std::cell::{Cell, RefCell};
use std::time::Duration;
use threadlings::check::{Wakeups, anonymously, run_paused};
use tokio::time::{Instant, sleep};

/// What every check here waits for.
const FETCHES: &str = "a few fetches of at most 710 ms, a few at a time";

/// One run: the delay of each id (id = index), the limit, and what a bounded, unordered
/// schedule gives: the completion order and the total time.
struct Scenario {
    delays_ms: &'static [u64],
    limit: usize,
    completion_order: &'static [u32],
    total_ms: u64,
}

/// Limit 2. At 0 ms ids 0 (500 ms) and 1 (100 ms) start; id 1 ends at 100 and id 2
/// starts (ends 300); then id 3 starts (ends 450); id 0 ends last, at 500.
const SMALL: Scenario = Scenario {
    delays_ms: &[500, 100, 200, 150],
    limit: 2,
    completion_order: &[1, 2, 3, 0],
    total_ms: 500,
};

/// Limit 3, eight ids, worked out the same way.
const LARGER: Scenario = Scenario {
    delays_ms: &[310, 130, 710, 230, 470, 50, 290, 170],
    limit: 3,
    completion_order: &[1, 0, 3, 5, 6, 2, 4, 7],
    total_ms: 870,
};

/// Counts fetches in and out and records the order they finish in.
#[derive(Default)]
struct Tracker {
    in_flight: Cell<usize>,
    most_in_flight: Cell<usize>,
    finished: RefCell<Vec<u32>>,
}

/// Counts one fetch out when its future ends or is dropped.
struct InFlight<'a>(&'a Tracker);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.set(self.0.in_flight.get() - 1);
    }
}

impl Tracker {
    async fn fetch(&self, delay: Duration, id: u32) -> u32 {
        self.in_flight.set(self.in_flight.get() + 1);
        self.most_in_flight
            .set(self.most_in_flight.get().max(self.in_flight.get()));
        let _counted = InFlight(self);
        sleep(delay).await;
        self.finished.borrow_mut().push(id);
        id
    }
}

/// Runs the student's `fetch_bounded` over a scenario.
struct Run {
    results: Vec<u32>,
    took: Duration,
    most_in_flight: usize,
    wakeups: usize,
}

async fn run(scenario: &Scenario, wakeups: &Wakeups) -> Run {
    let tracker = Tracker::default();
    let before = wakeups.count();
    let ids: Vec<u32> = (0..scenario.delays_ms.len() as u32).collect();
    let start = Instant::now();
    let results = exercise::fetch_bounded(ids, scenario.limit, |id| {
        let delay = Duration::from_millis(scenario.delays_ms[id as usize]);
        tracker.fetch(delay, id)
    })
    .await;
    Run {
        results,
        took: start.elapsed(),
        most_in_flight: tracker.most_in_flight.get(),
        wakeups: wakeups.count() - before,
    }
}

#[test]
fn no_ids_give_no_results() {
    anonymously(|| {
        run_paused(FETCHES, no_ids_give_no_results_on_the_clock);
    })
}

async fn no_ids_give_no_results_on_the_clock(_wakeups: Wakeups) {
    let results = exercise::fetch_bounded(Vec::new(), 2, |id| async move { id }).await;
    assert!(results.is_empty(), "expected no results for no ids");
}

#[test]
fn never_more_than_limit_fetches_in_flight() {
    anonymously(|| {
        run_paused(
            FETCHES,
            never_more_than_limit_fetches_in_flight_on_the_clock,
        );
    })
}

async fn never_more_than_limit_fetches_in_flight_on_the_clock(wakeups: Wakeups) {
    for scenario in [SMALL, LARGER] {
        let run = run(&scenario, &wakeups).await;
        assert!(
            run.most_in_flight <= scenario.limit,
            "expected at most {} fetches in flight at once, but {} of the {} were running \
             at the same time (`join_all` starts every fetch at once). \
             `buffer_unordered(limit)` on a stream of fetches starts a new one only when \
             fewer than `limit` are running.",
            scenario.limit,
            run.most_in_flight,
            scenario.delays_ms.len()
        );
    }
}

#[test]
fn starts_the_next_fetch_as_soon_as_one_finishes() {
    anonymously(|| {
        run_paused(
            FETCHES,
            starts_the_next_fetch_as_soon_as_one_finishes_on_the_clock,
        );
    })
}

async fn starts_the_next_fetch_as_soon_as_one_finishes_on_the_clock(wakeups: Wakeups) {
    for scenario in [SMALL, LARGER] {
        let run = run(&scenario, &wakeups).await;
        assert!(
            run.most_in_flight >= scenario.limit,
            "expected {} fetches in flight at once while ids were waiting, but never more \
             than {} ran at the same time: the fetches were (partly) awaited one after \
             another",
            scenario.limit,
            run.most_in_flight
        );
        let expected = Duration::from_millis(scenario.total_ms);
        let why = if run.took < expected {
            "Sooner: more than the limit ran at once."
        } else {
            "Longer: a slot stayed idle while ids were waiting, for example while waiting \
             for a whole batch (a chunk) to finish before starting the next one, or while \
             a finished result was held back to keep submission order (`buffered` does \
             that: the result still takes its slot)."
        };
        assert!(
            run.took >= expected && run.took < expected + Duration::from_millis(50),
            "expected {} ids with delays {:?} ms and at most {} in flight to take {:?} of \
             runtime time when a new fetch starts the moment any one finishes, but it \
             took {:?}. {why}",
            scenario.delays_ms.len(),
            scenario.delays_ms,
            scenario.limit,
            expected,
            run.took
        );
    }
}

#[test]
fn returns_the_results_in_the_order_they_finish() {
    anonymously(|| {
        run_paused(
            FETCHES,
            returns_the_results_in_the_order_they_finish_on_the_clock,
        );
    })
}

async fn returns_the_results_in_the_order_they_finish_on_the_clock(wakeups: Wakeups) {
    for scenario in [SMALL, LARGER] {
        let run = run(&scenario, &wakeups).await;
        assert_eq!(
            run.results,
            scenario.completion_order,
            "expected the results in the order the fetches finished (ids {:?} with delays \
             {:?} ms, at most {} at once), not in the order of the ids: `buffered` and \
             `join_all` hold finished results back to keep submission order; \
             `buffer_unordered` yields each one as soon as it is ready.",
            (0..scenario.delays_ms.len()).collect::<Vec<_>>(),
            scenario.delays_ms,
            scenario.limit
        );
    }
}

#[test]
fn sleeps_until_a_fetch_finishes() {
    anonymously(|| {
        run_paused(FETCHES, sleeps_until_a_fetch_finishes_on_the_clock);
    })
}

async fn sleeps_until_a_fetch_finishes_on_the_clock(wakeups: Wakeups) {
    for scenario in [SMALL, LARGER] {
        let run = run(&scenario, &wakeups).await;
        // Each fetch's timer wakes the idle runtime a couple of times when it fires.
        let fetches = scenario.delays_ms.len();
        assert!(
            run.wakeups <= 3 * fetches + 4,
            "expected `fetch_bounded` to sleep until a fetch finished ({fetches} times, a \
             couple of wake-ups of the runtime's thread each), but the thread woke {} \
             times: the fetches were polled again and again with a short sleep in between \
             (`now_or_never` in a loop?). `buffer_unordered` polls a fetch only when its \
             waker says it can make progress",
            run.wakeups
        );
    }
}
