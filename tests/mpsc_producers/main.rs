//! Checks for `mpsc_producers`: every item of every producer arrives, each producer's
//! items in the order it yielded them; the producers run at the same time, on threads
//! of their own; `spawn_producers` returns while they run, and each item is sent as soon
//! as it is yielded; and the receiver ends once every producer has finished.

#[path = "../../exercises/04_message_passing/mpsc_producers.rs"]
mod exercise;

use std::collections::HashSet;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;
use threadlings::check::{
    PATIENCE, Rendezvous, anonymously, rayon_global_pool_of_one, returns_within,
};

/// How long a producer waits for the caller: longer than the caller waits for
/// `spawn_producers` to return, so that a call that waits for its producers is reported
/// as such before they give up.
const PRODUCER_PATIENCE: Duration = Duration::from_secs(PATIENCE.as_secs() + 1);

/// The items of producer `producer`: `(producer, 0)`, `(producer, 1)`, ...
fn numbered(producer: usize, count: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..count).map(move |sequence| (producer, sequence))
}

#[test]
fn every_item_arrives_in_each_producers_order() {
    anonymously(|| {
        let producers: Vec<_> = (0..4).map(|producer| numbered(producer, 250)).collect();
        // `collect` ends only when the receiver does: after every producer has finished.
        let received: Vec<(usize, usize)> = exercise::spawn_producers(producers).iter().collect();
        assert_eq!(
            received.len(),
            1000,
            "expected 4 producers of 250 items each to deliver 1000 items, got {}",
            received.len()
        );
        for producer in 0..4 {
            let sequence: Vec<usize> = received
                .iter()
                .filter(|(from, _)| *from == producer)
                .map(|&(_, sequence)| sequence)
                .collect();
            assert_eq!(
                sequence,
                (0..250).collect::<Vec<_>>(),
                "expected producer {producer}'s items 0..250 in the order it yielded them"
            );
        }
    })
}

#[test]
fn no_producers_means_an_empty_channel() {
    anonymously(|| {
        let producers: Vec<std::iter::Empty<u8>> = Vec::new();
        let received: Vec<u8> = exercise::spawn_producers(producers).iter().collect();
        assert!(received.is_empty(), "expected no items from no producers");
    })
}

static THREE_AT_ONCE: Rendezvous = Rendezvous::new(3);

/// A producer that, before yielding its first item, waits until the two others are
/// producing too.
struct MeetsTheOthers {
    producer: usize,
    remaining: usize,
    met: bool,
}

impl Iterator for MeetsTheOthers {
    type Item = (usize, std::thread::ThreadId);

    fn next(&mut self) -> Option<Self::Item> {
        if !self.met {
            self.met = true;
            THREE_AT_ONCE.inside(|| ());
        }
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        Some((self.producer, std::thread::current().id()))
    }
}

#[test]
fn the_producers_run_at_the_same_time_on_threads_of_their_own() {
    anonymously(|| {
        // Producers handed to rayon would run at once only on a machine with enough cores.
        rayon_global_pool_of_one();
        let caller = std::thread::current().id();
        let producers: Vec<_> = (0..3)
            .map(|producer| MeetsTheOthers {
                producer,
                remaining: 10,
                met: false,
            })
            .collect();
        let received: Vec<_> = exercise::spawn_producers(producers).iter().collect();
        assert_eq!(received.len(), 30, "expected 3 producers of 10 items each");
        assert!(
            THREE_AT_ONCE.opened(),
            "expected the three producers to run at the same time, but no more than {} of \
             them ever ran at once. Give each producer a thread of its own, with its own clone \
             of the `Sender`.",
            THREE_AT_ONCE.most_inside()
        );
        let threads: HashSet<_> = received.iter().map(|&(_, thread)| thread).collect();
        assert!(
            !threads.contains(&caller),
            "expected the producers to run on new threads, not on the caller's"
        );
    })
}

/// A producer that yields `(producer, 0)` and then, before `(producer, 1)`, waits until
/// the caller has received `(producer, 0)`. If that does not happen within
/// [`PRODUCER_PATIENCE`] it gives up and ends, after one item.
struct WaitsForTheCaller {
    producer: usize,
    yielded: usize,
    caller_received: Receiver<()>,
}

impl Iterator for WaitsForTheCaller {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let sequence = self.yielded;
        match sequence {
            0 => {}
            1 if self.caller_received.recv_timeout(PRODUCER_PATIENCE).is_ok() => {}
            _ => return None,
        }
        self.yielded += 1;
        Some((self.producer, sequence))
    }
}

#[test]
fn each_item_reaches_the_caller_while_its_producer_runs() {
    anonymously(|| {
        const PRODUCERS: usize = 2;
        let (signals, producers): (Vec<Sender<()>>, Vec<WaitsForTheCaller>) = (0..PRODUCERS)
            .map(|producer| {
                let (signal, caller_received) = mpsc::channel();
                let producer = WaitsForTheCaller {
                    producer,
                    yielded: 0,
                    caller_received,
                };
                (signal, producer)
            })
            .unzip();
        let Some(receiver) = returns_within(PATIENCE, move || exercise::spawn_producers(producers))
        else {
            panic!(
                "expected `spawn_producers` to return the receiver while the producers were \
                 still running, but {PATIENCE:?} later it had not returned, while each producer \
                 waited for the caller to receive its first item: does it join the producers' \
                 threads? Return the receiver at once; the threads send on by themselves."
            );
        };
        let mut received = Vec::new();
        for (producer, sequence) in receiver.iter() {
            if sequence == 0 {
                // The producer may have given up already; then nobody is listening.
                let _ = signals[producer].send(());
            }
            received.push((producer, sequence));
        }
        for producer in 0..PRODUCERS {
            let sequence: Vec<usize> = received
                .iter()
                .filter(|&&(from, _)| from == producer)
                .map(|&(_, sequence)| sequence)
                .collect();
            assert_eq!(
                sequence,
                [0, 1],
                "expected producer {producer}'s item 0 to reach the caller while the producer \
                 was making item 1 (it makes item 1 only once the caller has received item 0), \
                 but the caller received items {sequence:?}: item 0 arrived only after the \
                 producer had given up waiting {PRODUCER_PATIENCE:?}. Send each item as soon as \
                 its iterator yields it, instead of collecting the items first."
            );
        }
    })
}
