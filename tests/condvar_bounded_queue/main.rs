//! Checks for `condvar_bounded_queue`: items come out in order, a consumer waits for
//! items and a producer for room, and the queue never holds more than its capacity
//! (tests, with real threads); a thread that wakes up checks its condition again, every
//! wait is woken (also when several threads wait and the queue does not become empty or
//! full in between: every change notifies), and a waiter sleeps rather than polls:
//! while nothing happens it takes no step at all (loom, over every interleaving).

#[path = "../../exercises/03_shared_state/condvar_bounded_queue.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::BoundedQueue;
    use std::panic;
    use std::sync::{Arc, mpsc};
    use std::thread;
    use threadlings::check::{anonymously, panic_text};

    #[test]
    fn items_come_out_in_the_order_they_went_in() {
        anonymously(|| {
            let queue = BoundedQueue::new(3);
            for item in 1..=3 {
                queue.push(item);
            }
            assert_eq!(queue.len(), 3);
            let popped: Vec<i32> = (0..3).map(|_| queue.pop()).collect();
            assert_eq!(popped, vec![1, 2, 3], "expected first in, first out");
            assert!(queue.is_empty());
        })
    }

    /// Runs each consumer on a thread of its own and collects their results in the
    /// order they finish. The first consumer that fails is reported at once: the others
    /// (and the producers) may then wait forever, and must not hold up the verdict.
    fn run_consumers<R: Send + 'static>(consumers: Vec<Box<dyn FnOnce() -> R + Send>>) -> Vec<R> {
        let (report, results) = mpsc::channel();
        let count = consumers.len();
        for consumer in consumers {
            let report = report.clone();
            thread::spawn(move || {
                let _ = report.send(panic::catch_unwind(panic::AssertUnwindSafe(consumer)));
            });
        }
        (0..count)
            .map(|_| match results.recv().expect("a consumer vanished") {
                Ok(result) => result,
                Err(panic) => panic!(
                    "a consumer failed: {}\n(a consumer that finds the queue empty must wait \
                     on `not_empty`, and check again each time it wakes up: another \
                     consumer may have taken the item it was woken for)",
                    panic_text(&*panic).unwrap_or("(no message)")
                ),
            })
            .collect()
    }

    #[test]
    fn a_consumer_waits_for_a_producer_through_a_small_queue() {
        anonymously(|| {
            const ITEMS: u32 = 20_000;
            let queue = Arc::new(BoundedQueue::new(2));
            let producer = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || {
                    for item in 0..ITEMS {
                        queue.push(item);
                    }
                })
            };
            let consumer = {
                let queue = Arc::clone(&queue);
                Box::new(move || {
                    for expected in 0..ITEMS {
                        let held = queue.len();
                        assert!(
                            held <= queue.capacity(),
                            "the queue held {held} items, more than its capacity of {}: `push` \
                             must wait while the queue is full",
                            queue.capacity()
                        );
                        assert_eq!(queue.pop(), expected, "items came out of order");
                    }
                })
            };
            run_consumers(vec![consumer]);
            producer.join().expect("the producer panicked");
        })
    }

    #[test]
    fn two_producers_and_two_consumers_pass_every_item_once() {
        anonymously(|| {
            const EACH: u32 = 10_000;
            let queue = Arc::new(BoundedQueue::new(3));
            let producers: Vec<_> = (0..2)
                .map(|producer| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || {
                        for item in 0..EACH {
                            queue.push(producer * EACH + item);
                        }
                    })
                })
                .collect();
            let consumers = (0..2)
                .map(|_| {
                    let queue = Arc::clone(&queue);
                    Box::new(move || (0..EACH).map(|_| queue.pop()).collect::<Vec<_>>())
                        as Box<dyn FnOnce() -> Vec<u32> + Send>
                })
                .collect();
            let mut received: Vec<u32> = run_consumers(consumers).into_iter().flatten().collect();
            for producer in producers {
                producer.join().expect("a producer panicked");
            }
            received.sort_unstable();
            assert!(
                received.iter().copied().eq(0..2 * EACH),
                "expected every pushed item to be popped exactly once"
            );
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::BoundedQueue;
    use threadlings::check::model_within_steps;
    use threadlings::sync::Arc;
    use threadlings::thread;

    /// How many times the main thread yields, touching nothing, while another thread
    /// waits: a thread asleep on a `Condvar` takes no step meanwhile; a thread that
    /// polls (unlock, yield, lock again) takes a few on every one of those turns.
    const IDLE_TURNS: usize = 100;

    /// Steps allowed in each interleaving. A sleeping waiter's model takes one step per
    /// idle turn and about twenty more for the queue's own work; a poller takes at
    /// least three per idle turn (lock, unlock, yield).
    const MAX_STEPS: usize = IDLE_TURNS + 100;

    /// The failure when `who` polled instead of sleeping on `condvar` until `waker`
    /// notified it.
    fn polls(who: &str, condvar: &str, waker: &str) -> String {
        format!(
            "expected {who} to sleep on `{condvar}` until a `{waker}` wakes it, but it kept \
             running while nothing happened: while the other thread only yielded, without \
             touching the queue, it took the queue's lock again and again to look. It \
             polls (unlock, yield or sleep, lock again), which keeps a core busy doing \
             nothing. `self.{condvar}.wait(items)` releases the lock and sleeps until \
             `{waker}` notifies."
        )
    }

    fn idle() {
        for _ in 0..IDLE_TURNS {
            thread::yield_now();
        }
    }

    #[test]
    fn a_consumer_sleeps_while_the_queue_stays_empty() {
        model_within_steps(
            MAX_STEPS,
            &polls("a consumer that finds the queue empty", "not_empty", "push"),
            || {
                let queue = Arc::new(BoundedQueue::new(1));
                let consumer = {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || queue.pop())
                };
                idle();
                queue.push(7);
                assert_eq!(consumer.join().unwrap(), 7);
            },
        );
    }

    #[test]
    fn a_producer_sleeps_while_the_queue_stays_full() {
        model_within_steps(
            MAX_STEPS,
            &polls("a producer that finds the queue full", "not_full", "pop"),
            || {
                let queue = Arc::new(BoundedQueue::new(1));
                queue.push(1);
                let producer = {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || queue.push(2))
                };
                idle();
                assert_eq!(queue.pop(), 1);
                producer.join().unwrap();
                assert_eq!(queue.pop(), 2);
            },
        );
    }

    #[test]
    fn a_woken_consumer_checks_again_that_there_is_an_item() {
        loom::model(|| {
            let queue = Arc::new(BoundedQueue::new(1));
            // Two consumers: one can be woken for an item that the other then takes.
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || queue.pop())
                })
                .collect();
            queue.push(1);
            queue.push(2);
            let mut popped: Vec<i32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
            popped.sort_unstable();
            assert_eq!(popped, vec![1, 2], "each item must be popped exactly once");
        });
    }

    #[test]
    fn two_waiting_consumers_are_both_woken_by_two_pushes() {
        loom::model(|| {
            // Room for both items: the second push finds the queue not empty, while a
            // consumer may still be waiting, asleep, for an item of its own.
            let queue = Arc::new(BoundedQueue::new(2));
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || queue.pop())
                })
                .collect();
            queue.push(1);
            queue.push(2);
            // A consumer never woken for the second item is a deadlock, which loom reports
            // with this model's name.
            let mut popped: Vec<i32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
            popped.sort_unstable();
            assert_eq!(popped, vec![1, 2], "each item must be popped exactly once");
        });
    }

    #[test]
    fn two_waiting_producers_are_both_woken_by_two_pops() {
        loom::model(|| {
            let queue = Arc::new(BoundedQueue::new(2));
            queue.push(1);
            queue.push(2);
            // The queue is full: both producers wait. The second pop finds it not full,
            // while a producer may still be waiting, asleep, for room of its own.
            let producers: Vec<_> = [3, 4]
                .into_iter()
                .map(|item| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || queue.push(item))
                })
                .collect();
            let mut popped: Vec<i32> = (0..4).map(|_| queue.pop()).collect();
            for producer in producers {
                producer.join().unwrap();
            }
            popped.sort_unstable();
            assert_eq!(
                popped,
                vec![1, 2, 3, 4],
                "each item must be popped exactly once"
            );
        });
    }

    #[test]
    fn a_woken_producer_checks_again_that_there_is_room() {
        loom::model(|| {
            let queue = Arc::new(BoundedQueue::new(1));
            queue.push(0);
            // Two producers wait for room in a full queue; one may take the room the
            // other was woken for.
            let producers: Vec<_> = [1, 2]
                .into_iter()
                .map(|item| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || queue.push(item))
                })
                .collect();
            let mut popped = vec![queue.pop()];
            // Popping made room for one item, and both producers may now push.
            let held = queue.len();
            assert!(
                held <= 1,
                "the queue held {held} items, more than its capacity of 1: a producer \
                 woke up and pushed without checking again that there was room"
            );
            popped.push(queue.pop());
            popped.push(queue.pop());
            for producer in producers {
                producer.join().unwrap();
            }
            popped.sort_unstable();
            assert_eq!(
                popped,
                vec![0, 1, 2],
                "each item must be popped exactly once"
            );
        });
    }
}
