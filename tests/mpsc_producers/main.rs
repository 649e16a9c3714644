//! Checks for `mpsc_producers`: every item of every producer arrives, each producer's
//! items in the order it yielded them; the producers run at the same time, on threads
//! of their own; and the receiver ends once every producer has finished.

#[path = "../../exercises/04_message_passing/mpsc_producers.rs"]
mod exercise;

use std::collections::HashSet;
use threadlings::check::Rendezvous;

/// The items of producer `producer`: `(producer, 0)`, `(producer, 1)`, ...
fn numbered(producer: usize, count: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..count).map(move |sequence| (producer, sequence))
}

#[test]
fn every_item_arrives_in_each_producers_order() {
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
}

#[test]
fn no_producers_means_an_empty_channel() {
    let producers: Vec<std::iter::Empty<u8>> = Vec::new();
    let received: Vec<u8> = exercise::spawn_producers(producers).iter().collect();
    assert!(received.is_empty(), "expected no items from no producers");
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
         them ever ran at once: they ran one after another. Give each producer a thread of \
         its own, with its own clone of the `Sender`.",
        THREE_AT_ONCE.most_inside()
    );
    let threads: HashSet<_> = received.iter().map(|&(_, thread)| thread).collect();
    assert!(
        !threads.contains(&caller),
        "expected the producers to run on new threads, not on the caller's"
    );
}
