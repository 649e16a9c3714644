//! Checks for `sync_channel_backpressure`: every message is consumed, in order, on a
//! thread of its own; while the consumer is busy the channel takes exactly `capacity`
//! more messages and then refuses one with `Full` (for capacities 0, 1 and 4), so a
//! producer would be held back; and the consumer finishes once every sender is gone,
//! and not before, however long no message comes.
//!
//! The bound is observed without timing: the consumer is held inside `consume` on
//! message 0, so nothing leaves the channel while the test fills it with `try_send`.
//!
//! That an idle consumer sleeps in `recv`, rather than polling, is observed without
//! timing too: a channel of capacity 0 takes a `try_send` only when a receiver is
//! blocked in `recv` at that moment, waiting for it. A consumer that polls with
//! `try_recv` is never waiting there, so its channel refuses every `try_send`.

#[path = "../../exercises/04_message_passing/sync_channel_backpressure.rs"]
mod exercise;

use std::sync::mpsc::{self, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Instant;
use threadlings::check::{PATIENCE, SILENCE, anonymously, joins_within};

/// Joins the consumer, or explains why it does not finish. Its panic, if it had one,
/// reaches the test as it was.
fn join_consumer(consumer: JoinHandle<()>) {
    if joins_within(PATIENCE, consumer).is_none() {
        panic!(
            "expected the consumer thread to finish once every sender had been dropped, \
             but {PATIENCE:?} later it was still running: its receiving loop should end \
             when `recv` returns `Err` (a `for` loop over the receiver does that)"
        );
    }
}

#[test]
fn consumes_every_message_in_order_on_another_thread() {
    anonymously(|| {
        let caller = thread::current().id();
        let consumed = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&consumed);
        let (sender, consumer) = exercise::spawn_bounded_consumer(2, move |message: u32| {
            record
                .lock()
                .unwrap()
                .push((message, thread::current().id()));
        });
        for message in 0..100 {
            sender.send(message).unwrap();
        }
        drop(sender);
        join_consumer(consumer);

        let consumed = consumed.lock().unwrap();
        let messages: Vec<u32> = consumed.iter().map(|&(message, _)| message).collect();
        assert_eq!(
            messages,
            (0..100).collect::<Vec<_>>(),
            "expected the consumer to consume messages 0..100 in the order they were sent"
        );
        assert!(
            consumed.iter().all(|&(_, consumer)| consumer != caller),
            "expected `consume` to run on the consumer's own thread, not on the caller's"
        );
    })
}

/// Holds the consumer inside `consume` on message 0, fills the channel while it is
/// busy, and checks that exactly `capacity` more messages fit.
fn holds_exactly(capacity: u32) {
    let (started, consumer_is_busy) = mpsc::channel::<()>();
    let (release, released) = mpsc::channel::<()>();
    let consumed = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&consumed);
    let (sender, consumer) =
        exercise::spawn_bounded_consumer(capacity as usize, move |message: u32| {
            if message == 0 {
                let _ = started.send(());
                // The test releases the consumer once it has filled the channel.
                let _ = released.recv_timeout(PATIENCE);
            }
            record.lock().unwrap().push(message);
        });

    // With no buffer this waits for the consumer to take message 0, as it should.
    sender.send(0).unwrap();
    if consumer_is_busy.recv_timeout(PATIENCE).is_err() {
        panic!(
            "expected the consumer to start consuming message 0 as soon as it arrived, but \
             {PATIENCE:?} later it had not: does it collect messages before consuming \
             them? That would be a second buffer, one without a bound."
        );
    }

    for message in 1..=capacity {
        match sender.try_send(message) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => panic!(
                "expected a channel of capacity {capacity} to take {capacity} message(s) \
                 while the consumer was busy, but it was full after {}: make the channel \
                 with `sync_channel(capacity)`",
                message - 1
            ),
            Err(TrySendError::Disconnected(_)) => {
                panic!("the consumer dropped its receiver while it was still consuming")
            }
        }
    }
    let one_too_many = capacity + 1;
    match sender.try_send(one_too_many) {
        Err(TrySendError::Full(_)) => {}
        Ok(()) => panic!(
            "expected a channel of capacity {capacity} to refuse message {one_too_many} \
             with `Full` while the consumer was busy and {capacity} message(s) waited, but \
             it took it: nothing would hold a fast producer back. The channel must hold \
             at most `capacity` messages (`sync_channel(capacity)`), and the consumer \
             must take a message out only when it is ready to consume it."
        ),
        Err(TrySendError::Disconnected(_)) => {
            panic!("the consumer dropped its receiver while it was still consuming")
        }
    }

    release.send(()).unwrap();
    // Blocks until the consumer has made room: the backpressure a producer feels.
    sender.send(one_too_many).unwrap();
    drop(sender);
    join_consumer(consumer);
    assert_eq!(
        *consumed.lock().unwrap(),
        (0..=one_too_many).collect::<Vec<_>>(),
        "expected every message, in order, once the consumer was released"
    );
}

#[test]
fn a_channel_of_capacity_four_holds_four_waiting_messages() {
    anonymously(|| {
        holds_exactly(4);
    })
}

#[test]
fn a_channel_of_capacity_one_holds_one_waiting_message() {
    anonymously(|| {
        holds_exactly(1);
    })
}

#[test]
fn a_channel_of_capacity_zero_holds_none() {
    anonymously(|| {
        holds_exactly(0);
    })
}

#[test]
fn the_consumer_keeps_going_while_any_sender_is_left() {
    anonymously(|| {
        let consumed = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&consumed);
        let (sender, consumer) = exercise::spawn_bounded_consumer(1, move |message: u32| {
            record.lock().unwrap().push(message)
        });
        let second = sender.clone();
        sender.send(1).unwrap();
        drop(sender);
        second.send(2).unwrap();
        drop(second);
        join_consumer(consumer);
        assert_eq!(
            *consumed.lock().unwrap(),
            [1, 2],
            "expected the consumer to take messages from every clone of the sender until the \
             last one was dropped"
        );
    })
}

#[test]
fn the_consumer_keeps_going_through_a_silence() {
    anonymously(|| {
        let consumed = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&consumed);
        let (sender, consumer) = exercise::spawn_bounded_consumer(1, move |message: u32| {
            record.lock().unwrap().push(message)
        });
        sender.send(1).unwrap();
        // Nothing is sent for longer than a receiver's timeout; the sender is still alive.
        thread::sleep(SILENCE);
        let after_the_silence = sender.send(2);
        drop(sender);
        join_consumer(consumer);
        assert!(
            after_the_silence.is_ok() && *consumed.lock().unwrap() == [1, 2],
            "expected the consumer to consume a message sent after {SILENCE:?} without any, \
             but {}: it stopped when nothing came for a while (`recv_timeout`?), although a \
             sender was still alive. A quiet channel is not a closed one: the consumer's \
             loop may end only when `recv` returns `Err`, once every sender is gone",
            if after_the_silence.is_err() {
                "the receiver was gone by then"
            } else {
                "it never consumed it"
            }
        );
    })
}

#[test]
fn an_idle_consumer_sleeps_in_recv_until_a_message_comes() {
    anonymously(|| {
        let consumed = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&consumed);
        let (sender, consumer) = exercise::spawn_bounded_consumer(0, move |message: u32| {
            record.lock().unwrap().push(message)
        });
        for message in 0..3 {
            // Between messages the consumer has nothing to do: it should be asleep in `recv`,
            // which is the only time a channel without a buffer takes a `try_send`.
            let deadline = Instant::now() + PATIENCE;
            let mut message = message;
            loop {
                match sender.try_send(message) {
                    Ok(()) => break,
                    Err(TrySendError::Full(refused)) => message = refused,
                    Err(TrySendError::Disconnected(_)) => {
                        panic!("the consumer dropped its receiver while messages were coming")
                    }
                }
                assert!(
                    Instant::now() < deadline,
                    "expected the idle consumer to be asleep in `recv`, waiting for message \
                     {message} (a channel of capacity 0 takes a `try_send` only while its \
                     receiver waits in `recv`), but for {PATIENCE:?} every `try_send` was \
                     refused: the consumer is polling (`try_recv` in a loop, with a yield or a \
                     sleep), which keeps a thread busy while nothing happens and never waits \
                     where a sender can find it. Let `recv`, or a `for` loop over the receiver, \
                     put it to sleep until a message arrives."
                );
                thread::yield_now();
            }
        }
        drop(sender);
        join_consumer(consumer);
        assert_eq!(
            *consumed.lock().unwrap(),
            [0, 1, 2],
            "expected the three messages, in order"
        );
    })
}
