//! Checks for `mpsc_send_receive`: every value arrives, in order; the values are made
//! on a new thread; the caller receives the first value while the next one is still
//! being made (the receiver comes back at once and each value is sent when made); the
//! producer never waits for the caller (the channel holds what it has not received
//! yet); and the producer stops, without panicking, when the receiver is dropped.

#[path = "../../exercises/04_message_passing/mpsc_send_receive.rs"]
mod exercise;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::Duration;
use threadlings::check::{PATIENCE, anonymously};

/// How long the caller waits for a value: a little longer than the producer waits for
/// the caller, so that a stuck producer gives up (and explains) first.
const CALLER_PATIENCE: Duration = Duration::from_secs(PATIENCE.as_secs() + 1);

#[test]
fn receives_every_value_in_order() {
    anonymously(|| {
        let receiver = exercise::produce_on_thread(100, |index| index * index);
        let received: Vec<usize> = receiver.iter().collect();
        let expected: Vec<usize> = (0..100).map(|index| index * index).collect();
        assert_eq!(
            received, expected,
            "expected the 100 values make(0), make(1), ... in the order they were made"
        );
    })
}

#[test]
fn makes_the_values_on_a_new_thread() {
    anonymously(|| {
        let caller = thread::current().id();
        let receiver = exercise::produce_on_thread(3, |_| thread::current().id());
        for (index, maker) in receiver.iter().enumerate() {
            assert_ne!(
                maker, caller,
                "expected value {index} to be made on a new thread, but the caller's own \
                 thread made it: move `make` and the sending end into `thread::spawn`"
            );
        }
    })
}

#[test]
fn the_first_value_arrives_while_the_next_is_being_made() {
    anonymously(|| {
        let (received_first, first_was_received) = mpsc::channel::<()>();
        let receiver = exercise::produce_on_thread(2, move |index| {
            if index == 1
                && let Err(RecvTimeoutError::Timeout) = first_was_received.recv_timeout(PATIENCE)
            {
                panic!(
                    "value 1 is made only once the caller has received value 0, but after \
                     {PATIENCE:?} the caller still had not received it: return the receiver \
                     before making any value, and send each value as soon as it is made"
                );
            }
            index
        });
        match receiver.recv_timeout(CALLER_PATIENCE) {
            Ok(first) => assert_eq!(first, 0, "expected value 0 first"),
            Err(_) => panic!(
                "expected value 0 to arrive while the producer was still making value 1, but \
                 it never arrived: does the producer make every value before it sends any?"
            ),
        }
        received_first.send(()).unwrap();
        assert_eq!(
            receiver.recv_timeout(CALLER_PATIENCE),
            Ok(1),
            "expected value 1 after value 0"
        );
    })
}

#[test]
fn the_producer_never_waits_for_the_caller() {
    anonymously(|| {
        const COUNT: usize = 3;
        let made = Arc::new(AtomicUsize::new(0));
        let (report, ending) = mpsc::channel();
        let tracker = ReportWhenDropped { made: 0, report };
        let counter = Arc::clone(&made);
        let receiver = exercise::produce_on_thread(COUNT, move |index| {
            // Owning `tracker` makes the producer report when it ends, dropping `make`.
            let _ending_reported_by = &tracker;
            counter.fetch_add(1, Ordering::SeqCst);
            index
        });
        // The caller receives nothing until the producer has ended.
        if ending.recv_timeout(PATIENCE).is_err() {
            panic!(
                "expected the producer to make and send all {COUNT} values and end without \
                 waiting for the caller, but {PATIENCE:?} later, with the caller not yet \
                 receiving, it had made {} and was still running: is it waiting in `send` for \
                 the caller to take a value? A bounded channel (`sync_channel`) makes a sender \
                 wait; `mpsc::channel()` holds every value until it is received",
                made.load(Ordering::SeqCst)
            );
        }
        let received: Vec<usize> = receiver.iter().collect();
        assert_eq!(
            received,
            (0..COUNT).collect::<Vec<_>>(),
            "expected the {COUNT} values the producer sent before it ended, in order"
        );
    })
}

/// Captured by `make`, it reports how the producer ended when the producer drops
/// `make`: a thread that ends normally drops it quietly, one that panics drops it while
/// unwinding.
struct ReportWhenDropped {
    made: usize,
    report: Sender<Ending>,
}

#[derive(Debug)]
struct Ending {
    made: usize,
    panicked: bool,
}

impl Drop for ReportWhenDropped {
    fn drop(&mut self) {
        let ending = Ending {
            made: self.made,
            panicked: thread::panicking(),
        };
        let _ = self.report.send(ending);
    }
}

#[test]
fn the_producer_stops_quietly_when_the_receiver_is_dropped() {
    anonymously(|| {
        let (report, ending) = mpsc::channel();
        let (dropped_receiver, receiver_was_dropped) = mpsc::channel::<()>();
        let mut tracker = ReportWhenDropped { made: 0, report };
        let receiver = exercise::produce_on_thread(1000, move |index| {
            // Borrowing the whole struct makes the closure own all of it (a closure that
            // named only `tracker.made` would capture that field alone).
            let tracker = &mut tracker;
            if index == 1 && receiver_was_dropped.recv_timeout(PATIENCE).is_err() {
                panic!(
                    "value 1 is made only once the caller has received value 0 and dropped \
                     the receiver, but after {PATIENCE:?} that still had not happened: return \
                     the receiver before making any value, and send each value as soon as it \
                     is made"
                );
            }
            tracker.made += 1;
            index
        });
        match receiver.recv_timeout(CALLER_PATIENCE) {
            Ok(first) => assert_eq!(first, 0, "expected value 0 first"),
            Err(_) => panic!(
                "expected value 0 to arrive while the producer was still making value 1, but \
                 it never arrived: does the producer make every value before it sends any?"
            ),
        }
        drop(receiver);
        dropped_receiver.send(()).unwrap();

        let Ok(ending) = ending.recv_timeout(PATIENCE) else {
            panic!(
                "expected the producer to stop once the receiver was dropped, but {PATIENCE:?} \
                 later it still had not finished: when `send` returns `Err`, nobody is \
                 listening any more, so stop there"
            );
        };
        assert!(
            !ending.panicked,
            "expected the producer to stop quietly once the receiver was dropped, but it \
             panicked: `send` returns `Err` when the receiver is gone; treat that as the \
             signal to stop (for example, `break`) rather than `unwrap` it"
        );
        assert_eq!(
            ending.made, 2,
            "expected the producer to stop after the first `send` that failed (2 values \
             made), but it made {} of the 1000 values for a receiver that was already gone",
            ending.made
        );
    })
}
