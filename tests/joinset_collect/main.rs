//! Checks for `joinset_collect`: every query runs as a task of its own; the first
//! `wanted` replies come back in the order they arrived, as soon as they have all
//! arrived, and meanwhile `first_replies` sleeps until a reply comes rather than looking
//! again and again; a panicking query is skipped; and the queries still running are
//! aborted, so they never finish. The queries sleep on the paused clock, so the timing is
//! exact; the runtime counts how often its thread wakes up, and runs on a thread of its
//! own, so that a blocked runtime is reported instead of hanging the check.

#[path = "../../exercises/09_task_parallelism/joinset_collect.rs"]
mod exercise;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use threadlings::check::{DeliberatePanic, anonymously, quiet_deliberate_panics, run_paused};
use tokio::task::Id;
use tokio::time::{Instant, sleep};

/// What every check here waits for.
const QUERIES: &str = "queries to five servers, of which the quickest answer within 400 ms";

/// Servers and how long each takes to reply: 2 replies first (100 ms), then 4 (250 ms),
/// then 1 (400 ms); 3 and 5 are slow.
const SERVERS: [(u32, u64); 5] = [(1, 400), (2, 100), (3, 10_000), (4, 250), (5, 20_000)];

fn delay_of(server: u32) -> Duration {
    let (_, millis) = SERVERS
        .iter()
        .find(|&&(id, _)| id == server)
        .expect("only the servers in SERVERS are queried");
    Duration::from_millis(*millis)
}

fn server_ids() -> Vec<u32> {
    SERVERS.iter().map(|&(id, _)| id).collect()
}

/// What the queries did. Shared with spawned tasks, so behind an `Arc<Mutex<..>>`.
#[derive(Default)]
struct Log {
    task_of: Vec<(u32, Option<Id>)>,
    finished: Vec<u32>,
    dropped: Vec<u32>,
}

#[derive(Clone, Default)]
struct SharedLog(Arc<Mutex<Log>>);

impl SharedLog {
    fn with<R>(&self, look: impl FnOnce(&mut Log) -> R) -> R {
        look(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// One query: records which task runs it, waits its server's delay, replies.
    fn query(&self, server: u32) -> impl Future<Output = String> + Send + 'static {
        let log = self.clone();
        async move {
            let _guard = DropGuard {
                log: log.clone(),
                server,
            };
            log.with(|log| log.task_of.push((server, tokio::task::try_id())));
            sleep(delay_of(server)).await;
            log.with(|log| log.finished.push(server));
            format!("reply from {server}")
        }
    }
}

/// Records that a query's future is gone, finished or not.
struct DropGuard {
    log: SharedLog,
    server: u32,
}

impl Drop for DropGuard {
    fn drop(&mut self) {
        let server = self.server;
        self.log.with(|log| log.dropped.push(server));
    }
}

#[test]
fn each_query_runs_as_a_task_of_its_own() {
    anonymously(|| {
        run_paused(QUERIES, |_| {
            each_query_runs_as_a_task_of_its_own_on_the_clock()
        });
    })
}

async fn each_query_runs_as_a_task_of_its_own_on_the_clock() {
    let log = SharedLog::default();
    exercise::first_replies(server_ids(), 2, |server| log.query(server)).await;
    let task_of = log.with(|log| log.task_of.clone());
    assert!(
        !task_of.is_empty(),
        "expected a query to be sent to every server, but none was"
    );
    assert!(
        task_of.iter().all(|(_, task)| task.is_some()),
        "expected every query to run as a task of its own, but a query ran directly in \
         the caller, outside any spawned task (`tokio::task::try_id()` inside it gave \
         None). `join_all` and `FuturesUnordered` poll futures inside the task that \
         awaits them; `JoinSet::spawn` hands each to the runtime as a separate task."
    );
    let mut tasks: Vec<Id> = task_of.iter().filter_map(|&(_, task)| task).collect();
    tasks.sort_unstable();
    tasks.dedup();
    assert_eq!(
        tasks.len(),
        task_of.len(),
        "expected each query in a task of its own, but some queries shared a task: \
         {task_of:?}"
    );
}

#[test]
fn returns_the_first_replies_in_the_order_they_arrive() {
    anonymously(|| {
        run_paused(QUERIES, |_| {
            returns_the_first_replies_in_the_order_they_arrive_on_the_clock()
        });
    })
}

async fn returns_the_first_replies_in_the_order_they_arrive_on_the_clock() {
    let log = SharedLog::default();
    let replies = exercise::first_replies(server_ids(), 2, |server| log.query(server)).await;
    assert_eq!(
        replies,
        ["reply from 2", "reply from 4"],
        "expected the two quickest replies, in the order they arrived (server 2 after 100 \
         ms, server 4 after 250 ms; the servers were asked in the order {:?}). \
         `join_next` gives each task's output as it finishes.",
        server_ids()
    );
}

#[test]
fn returns_as_soon_as_enough_replies_arrived() {
    anonymously(|| {
        run_paused(QUERIES, |_| {
            returns_as_soon_as_enough_replies_arrived_on_the_clock()
        });
    })
}

async fn returns_as_soon_as_enough_replies_arrived_on_the_clock() {
    let log = SharedLog::default();
    let start = Instant::now();
    exercise::first_replies(server_ids(), 2, |server| log.query(server)).await;
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_millis(300),
        "expected to return after 250 ms of runtime time, when the second reply arrived, \
         but it returned after {took:?}. Stop calling `join_next` once you have `wanted` \
         replies: the slow servers' answers are not needed."
    );
}

#[test]
fn aborts_the_queries_still_running() {
    anonymously(|| {
        run_paused(QUERIES, |_| aborts_the_queries_still_running_on_the_clock());
    })
}

async fn aborts_the_queries_still_running_on_the_clock() {
    let log = SharedLog::default();
    exercise::first_replies(server_ids(), 2, |server| log.query(server)).await;
    // Let far more than the slowest delay pass: a query left running would finish now.
    sleep(Duration::from_secs(60)).await;
    let (finished, dropped) = log.with(|log| (log.finished.clone(), log.dropped.clone()));
    for server in [1, 3, 5] {
        assert!(
            !finished.contains(&server),
            "expected the query to server {server} to be aborted once two replies had \
             arrived, but it kept running and finished later (finished: {finished:?}). \
             `JoinSet::abort_all` (or `shutdown().await`, or dropping the set) cancels \
             the tasks still in it; a task that is merely forgotten keeps running (dropping a \
             `JoinHandle` detaches its task, it does not cancel it)."
        );
        assert!(
            dropped.contains(&server),
            "expected the query to server {server} to be aborted, which drops its future, \
             but it is still alive, waiting to be polled again"
        );
    }
}

#[test]
fn with_fewer_servers_than_wanted_returns_every_reply() {
    anonymously(|| {
        run_paused(QUERIES, |_| {
            with_fewer_servers_than_wanted_returns_every_reply_on_the_clock()
        });
    })
}

async fn with_fewer_servers_than_wanted_returns_every_reply_on_the_clock() {
    let log = SharedLog::default();
    let replies = exercise::first_replies(vec![1, 2, 4], 10, |server| log.query(server)).await;
    assert_eq!(
        replies,
        ["reply from 2", "reply from 4", "reply from 1"],
        "expected all three replies, in the order they arrived, when 10 were wanted from \
         only three servers: `join_next` returns `None` once the set is empty"
    );
}

#[test]
fn a_query_that_panics_is_skipped() {
    anonymously(|| {
        run_paused(QUERIES, |_| a_query_that_panics_is_skipped_on_the_clock());
    })
}

async fn a_query_that_panics_is_skipped_on_the_clock() {
    // The query to server 9 panics on purpose, with a payload that is not text, so that
    // neither its panic nor one that quotes it hides what the check reports.
    // `first_replies` should skip it (`join_next` gives `Err(JoinError)` for a task that
    // panicked) and wait for the other replies.
    quiet_deliberate_panics();
    let log = SharedLog::default();
    let replies = exercise::first_replies(vec![1, 2, 4, 9], 2, |server| {
        let reply = log.query(server);
        async move {
            if server == 9 {
                std::panic::panic_any(DeliberatePanic);
            }
            reply.await
        }
    })
    .await;
    assert_eq!(
        replies,
        ["reply from 2", "reply from 4"],
        "expected the query that panicked (server 9) to be skipped and the two quickest \
         other replies to be returned"
    );
}

#[test]
fn sleeps_until_a_reply_comes() {
    anonymously(|| {
        let wakeups = run_paused(QUERIES, |wakeups| async move {
            let log = SharedLog::default();
            let before = wakeups.count();
            exercise::first_replies(server_ids(), 2, |server| log.query(server)).await;
            wakeups.count() - before
        });
        // Two replies come, at 100 and 250 ms: the idle runtime wakes a couple of times for
        // each.
        assert!(
            wakeups <= 10,
            "expected `first_replies` to sleep until a reply came (twice in 250 ms, a couple \
             of wake-ups of the runtime's thread each), but the thread woke {wakeups} times: \
             it kept looking for a finished task, with a short sleep in between \
             (`try_join_next` in a loop?). `join_next().await` sleeps until a task finishes"
        );
    })
}
