//! Checks for `refcell_to_mutex`: one inbox can be shared by threads that post at the
//! same time, and no message is lost or reordered (tests: these do not compile while the
//! inbox is not `Sync`); an inbox of values that are `Send` but not `Sync` can still be
//! shared; an inbox of `Rc`s, or of `MutexGuard`s, must stay on its thread
//! (compile-fail).

#[path = "../../exercises/05_send_sync/refcell_to_mutex.rs"]
mod exercise;

use exercise::Inbox;
use std::cell::Cell;
use std::sync::Barrier;
use std::thread;
use threadlings::check::anonymously;

#[test]
fn messages_come_back_in_the_order_they_were_posted() {
    anonymously(|| {
        let inbox = Inbox::default();
        inbox.post("first");
        inbox.post("second");
        assert_eq!(inbox.take_all(), ["first", "second"]);
        assert!(
            inbox.take_all().is_empty(),
            "expected `take_all` to leave the inbox empty"
        );
    })
}

#[test]
fn threads_posting_at_the_same_time_lose_nothing() {
    anonymously(|| {
        let inbox = Inbox::new();
        let per_thread = 200_000;
        // Both threads start together, so their posts overlap.
        let start = Barrier::new(2);
        thread::scope(|scope| {
            for sender in 0..2 {
                let (inbox, start) = (&inbox, &start);
                // If this does not compile, `&Inbox` cannot be shared between threads.
                scope.spawn(move || {
                    start.wait();
                    for number in 0..per_thread {
                        inbox.post((sender, number));
                    }
                });
            }
        });
        let messages = inbox.take_all();
        assert_eq!(
            messages.len(),
            2 * per_thread,
            "expected the {} messages that two threads posted at the same time, but the inbox \
             holds {}: posts that overlapped were lost",
            2 * per_thread,
            messages.len()
        );
        for sender in 0..2 {
            let numbers: Vec<usize> = messages
                .iter()
                .filter(|(from, _)| *from == sender)
                .map(|(_, number)| *number)
                .collect();
            assert!(
                numbers.iter().copied().eq(0..per_thread),
                "expected the messages of each thread in the order it posted them, but thread \
                 {sender}'s messages are out of order or missing"
            );
        }
    })
}

/// `Cell` may move between threads but not be shared. An inbox hands each message to
/// one thread at a time, so it can be shared even then, as `Mutex<T>` can: it needs only
/// `T: Send`.
#[test]
fn an_inbox_of_values_that_are_send_but_not_sync_can_be_shared() {
    anonymously(|| {
        let inbox = Inbox::new();
        thread::scope(|scope| {
            // If this does not compile, the inbox asks for `T: Sync`, which it does not need
            // (an `RwLock` does: it lets several threads read the value at once).
            scope.spawn(|| inbox.post(Cell::new(1)));
            scope.spawn(|| inbox.post(Cell::new(2)));
        });
        let mut values: Vec<i32> = inbox.take_all().iter().map(Cell::get).collect();
        values.sort_unstable();
        assert_eq!(
            values,
            [1, 2],
            "expected the values that both threads posted"
        );
    })
}
