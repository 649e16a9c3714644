//! Checks for `condvar_bounded_queue`: items come out in order, a consumer waits for
//! items and a producer for room, and the queue never holds more than its capacity
//! (tests, with real threads); a thread that wakes up checks its condition again, and
//! every wait is woken (loom, over every interleaving of three threads).

#[path = "../../exercises/03_shared_state/condvar_bounded_queue.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::BoundedQueue;
    use std::any::Any;
    use std::panic;
    use std::sync::{Arc, mpsc};
    use std::thread;

    /// The message of a panic, to repeat it in the check's own words.
    fn panic_text(panic: &(dyn Any + Send)) -> &str {
        panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)")
    }

    #[test]
    fn items_come_out_in_the_order_they_went_in() {
        let queue = BoundedQueue::new(3);
        for item in 1..=3 {
            queue.push(item);
        }
        assert_eq!(queue.len(), 3);
        let popped: Vec<i32> = (0..3).map(|_| queue.pop()).collect();
        assert_eq!(popped, vec![1, 2, 3], "expected first in, first out");
        assert!(queue.is_empty());
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
                    panic_text(&*panic)
                ),
            })
            .collect()
    }

    #[test]
    fn a_consumer_waits_for_a_producer_through_a_small_queue() {
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
    }

    #[test]
    fn two_producers_and_two_consumers_pass_every_item_once() {
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
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::BoundedQueue;
    use threadlings::sync::Arc;
    use threadlings::thread;

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
