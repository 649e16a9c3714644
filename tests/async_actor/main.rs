//! Checks for `async_actor`: each `add` is answered with the new total, at once; tasks
//! on two worker threads that share the counter lose no update, and every `add` sees a
//! total of its own (the actor applies them one at a time); the actor ends, with the
//! final total, once every handle is dropped, and not before, however long no request
//! comes. An `add` sent while the mailbox is full waits for room, asleep, and is
//! answered once the actor runs. Nobody polls: `add`, polled by hand, stays asleep
//! until the reply wakes it, and an idle actor does not wake the runtime's thread
//! (which counts its wake-ups on the paused clock).

#[path = "../../exercises/07_async/async_actor.rs"]
mod exercise;

use std::collections::BTreeSet;
use std::panic;
use std::task::Poll;
use std::time::Duration;
use threadlings::check::{
    Clock, PATIENCE, WakeCounter, anonymously, anonymously_async, panic_text, paused_runtime,
    poll_once, run_paused,
};
use tokio::time::Instant;

#[test]
fn add_replies_with_the_new_total() {
    anonymously_async(Clock::Paused, || async {
        let (counter, _task) = exercise::start_counter();
        // The first `add` runs as a task of its own, so that a panic in it can be explained.
        let first = {
            let counter = counter.clone();
            tokio::spawn(async move { counter.add(2).await })
        };
        let first = first.await.unwrap_or_else(|_| {
            panic!(
                "expected `add(2)` to be answered, but it panicked waiting for the reply. A \
                 oneshot receiver gets `Err(RecvError)` when its sender is dropped unused: the \
                 actor must answer each `Add` with `reply.send(new_total)`"
            )
        });
        assert_eq!(first, 2, "expected the total after adding 2 to 0");
        assert_eq!(
            counter.add(3).await,
            5,
            "expected the total after adding 3 to 2"
        );
        assert_eq!(
            counter.total().await,
            5,
            "expected the total to be kept by the actor"
        );
    })
}

/// Four tasks on two worker threads, each adding 1 a thousand times to one fresh counter:
/// the replies they got.
fn four_tasks_adding_at_once(runtime: &tokio::runtime::Runtime) -> Vec<u64> {
    runtime.block_on(async {
        let (counter, _task) = exercise::start_counter();
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut replies = Vec::new();
                    for _ in 0..1000 {
                        replies.push(counter.add(1).await);
                    }
                    replies
                })
            })
            .collect();
        let mut replies = Vec::new();
        for task in tasks {
            replies.extend(task.await.expect("an adding task"));
        }
        replies
    })
}

#[test]
fn tasks_on_two_threads_share_the_counter_without_losing_updates() {
    anonymously(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        // A reply that is not the add's own total shows only when another add comes in
        // between, which takes a chance meeting of two threads: several rounds make such a
        // meeting all but certain, while a correct actor gets every round right.
        for _ in 0..ROUNDS {
            let replies = four_tasks_adding_at_once(&runtime);
            let distinct: BTreeSet<u64> = replies.iter().copied().collect();
            assert_eq!(
                distinct.len(),
                4000,
                "expected each of the 4000 adds to be answered with a total of its own (1 to \
                 4000), because the actor applies them one at a time and answers each with the \
                 total it has just made, but only {} distinct totals came back: some adds were \
                 answered with a total read later, after other adds (a second request for the \
                 total?), or updates were lost",
                distinct.len()
            );
            assert_eq!(
                distinct.last(),
                Some(&4000),
                "expected the last total to be 4000"
            );
        }
    })
}

/// How many times the four tasks add a thousand times each.
const ROUNDS: usize = 8;

// Not on the paused clock: a task that never waits would stop virtual time, and with
// it the timeout that reports it. Real time here only bounds how long to wait.
#[test]
fn the_actor_ends_with_the_total_when_every_handle_is_dropped() {
    anonymously_async(Clock::Running, || async {
        let (counter, task) = exercise::start_counter();
        let other = counter.clone();
        counter.add(4).await;
        other.add(6).await;
        drop(counter);
        drop(other);
        let total = tokio::time::timeout(PATIENCE, task)
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "expected the counter task to end once every handle was dropped, but it was \
                     still running {PATIENCE:?} later: `recv()` returns `None` when every sender \
                     is gone, and the loop must stop then"
                )
            })
            .expect("the counter task");
        assert_eq!(total, 10, "expected the task to end with the final total");
    })
}

#[test]
fn the_actor_keeps_serving_after_a_long_silence() {
    anonymously(|| {
        let answered = run_paused("an actor left idle for an hour", |_| async {
            let (counter, _task) = exercise::start_counter();
            counter.add(1).await;
            // An hour without requests, on the paused clock: no time at all in reality.
            tokio::time::sleep(Duration::from_secs(3600)).await;
            // As a task of its own, so that a panic in it can be explained.
            tokio::spawn(async move { counter.add(2).await }).await.ok()
        });
        assert!(
            answered == Some(3),
            "expected an `add` sent after an hour without requests to be answered with 3, \
             but {}: the actor stopped when no request came for a while (a timeout around \
             `recv`?), as if every handle were gone. A quiet mailbox is not a closed one: \
             the actor may end only when `recv()` returns `None`, once every handle has been \
             dropped",
            match answered {
                None => "the `add` panicked: nobody was left to answer it".to_owned(),
                Some(total) => format!("it was answered with {total}"),
            }
        );
    })
}

#[test]
fn add_sleeps_until_its_reply_wakes_it() {
    anonymously(|| {
        let runtime = paused_runtime(&Default::default());
        let (counter, _task) = runtime.block_on(async { exercise::start_counter() });
        // Polled by hand, outside the runtime's loop, so that the check sees every wake-up.
        let _inside = runtime.enter();
        let mut add = Box::pin(counter.add(5));
        let (wakes, waker) = WakeCounter::new();
        assert!(
            poll_once(&mut add, &waker).is_pending(),
            "expected `add` to wait for its reply: the actor has not run yet"
        );
        assert_eq!(
            wakes.wakes(),
            0,
            "expected `add` to sleep until its reply came, but it woke itself at once, asking \
             to be polled again: it checks for the reply again and again (`try_recv` with \
             `yield_now`?), which keeps a thread busy for nothing. Await the oneshot receiver: \
             it sleeps until the actor's reply wakes it"
        );
        // The actor handles requests in order: once `total` is answered, so is the `add`.
        let total = runtime.block_on(counter.total());
        assert_eq!(
            total, 5,
            "expected the actor to have handled the `add` of 5"
        );
        assert!(
            wakes.wakes() > 0,
            "expected the actor's reply to wake the waiting `add`, but it was not woken: \
             `add` does not wait on its reply's receiver, so it would notice the reply only \
             when something else woke it (a short sleep between looks, say). Await the \
             oneshot receiver"
        );
        assert_eq!(
            poll_once(&mut add, &waker),
            std::task::Poll::Ready(5),
            "expected `add`, woken by the reply, to return the new total"
        );
    })
}

/// How many `add`s [`add_waits_for_room_when_the_mailbox_is_full`] sends while the actor
/// does not run: more than a mailbox of any reasonable bound holds.
const ADDS_WHILE_THE_ACTOR_WAITS: usize = 300;

#[test]
fn add_waits_for_room_when_the_mailbox_is_full() {
    anonymously(|| {
        let runtime = paused_runtime(&Default::default());
        let (counter, _task) = runtime.block_on(async { exercise::start_counter() });
        // Polled by hand, outside the runtime's loop: the actor does not run meanwhile,
        // so the mailbox fills up and stays full.
        let _inside = runtime.enter();
        let mut adds = Vec::new();
        for sent in 0..ADDS_WHILE_THE_ACTOR_WAITS {
            let mut add = Box::pin(counter.add(1));
            let (wakes, waker) = WakeCounter::new();
            let polled =
                panic::catch_unwind(panic::AssertUnwindSafe(|| poll_once(&mut add, &waker)));
            let full = format!(
                "when the mailbox (a bounded channel) was full: the actor had not run yet, \
                 and {sent} `add`s had been sent before"
            );
            match polled {
                Err(payload) => panic!(
                    "expected `add` to wait for room in the mailbox, but it panicked ({:?}) \
                     {full}: `try_send` fails with `Full` when the channel holds as many \
                     requests as its bound. `send(..).await` waits until the actor has \
                     taken one",
                    panic_text(&*payload).unwrap_or("a payload that is not text")
                ),
                Ok(Poll::Ready(total)) => panic!(
                    "expected `add` to wait for the actor's reply, but it returned {total} \
                     {full}: without the actor, no `add` can know the new total. Was the \
                     request dropped when the mailbox was full? `send(..).await` waits \
                     until there is room"
                ),
                Ok(Poll::Pending) => {}
            }
            assert!(
                wakes.wakes() == 0,
                "expected `add` to sleep until there was room in the mailbox, but it woke \
                 itself at once, asking to be polled again, {full}: it tries again and \
                 again (`try_send` with `yield_now`?), which keeps a thread busy for \
                 nothing. `send(..).await` sleeps until the actor takes a request"
            );
            adds.push(add);
        }
        // Once the actor runs, every one of them is answered, with a total of its own.
        let totals: BTreeSet<u64> = runtime
            .block_on(futures::future::join_all(adds))
            .into_iter()
            .collect();
        assert_eq!(
            totals.len(),
            ADDS_WHILE_THE_ACTOR_WAITS,
            "expected each of the {ADDS_WHILE_THE_ACTOR_WAITS} adds that waited for room to \
             be answered with a total of its own, but {} distinct totals came back",
            totals.len()
        );
    })
}

#[test]
fn an_idle_actor_sleeps_and_answers_at_once() {
    anonymously(|| {
        let (idle_wakeups, latency, total) = run_paused("an actor left idle for 10 s", |wakeups| {
            async move {
                let (counter, _task) = exercise::start_counter();
                counter.add(1).await;
                // Nothing happens for ten seconds (and 7 ms, so that a loop that looks every
                // so often is unlikely to be looking at the very moment the next request
                // comes): only this sleep's timer should wake the thread.
                let before = wakeups.count();
                tokio::time::sleep(Duration::from_millis(10_007)).await;
                let idle_wakeups = wakeups.count() - before;
                let asked = Instant::now();
                let total = counter.add(2).await;
                (idle_wakeups, asked.elapsed(), total)
            }
        });
        assert_eq!(total, 3, "expected the total after adding 1, then 2");
        assert!(
            idle_wakeups <= 6,
            "expected the counter to sleep while nobody sent it anything, so that ten seconds \
             without requests woke the runtime's thread a couple of times, but it woke \
             {idle_wakeups} times: something kept looking for requests or replies, with a \
             short sleep in between (`try_recv` in a loop?). `recv().await` sleeps until a \
             request arrives"
        );
        assert!(
            latency.is_zero(),
            "expected an `add` sent to the idle counter to be answered at once, but it took \
             {latency:?} of runtime time: the request or its reply waited for the next look \
             of a loop that sleeps between looks. Await `recv()` and the oneshot receiver: \
             each wakes its waiter as soon as there is something to take"
        );
    })
}
