//! Checks for `oneshot_atomic`: the value arrives, on this thread or another, and a
//! receiver that waits gets it, however long the sender takes, also a value that is
//! `Send` but not `Sync` (tests); a `MutexGuard`, which is not `Send`, cannot be sent
//! through it (compile-fail); a sender dropped without sending makes `recv` return
//! `None` (tests, loom); an unreceived value is dropped exactly once (tests, loom); the
//! value is handed over without a data race, with what the sender wrote into it, in
//! every interleaving, however the channel keeps it (loom).

#[path = "../../exercises/06_atomics/oneshot_atomic.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::oneshot;
    use std::cell::Cell;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

    use threadlings::check::{DropCounter, SILENCE, anonymously};

    #[test]
    fn a_sent_value_is_received() {
        anonymously(|| {
            let (sender, receiver) = oneshot();
            sender.send(5);
            assert_eq!(receiver.recv(), Some(5), "the value sent must come out");
        })
    }

    #[test]
    fn a_receiver_on_another_thread_waits_for_the_value() {
        anonymously(|| {
            let (sender, receiver) = oneshot();
            // The receiver may start waiting before anything is sent.
            let waiting = thread::spawn(move || receiver.recv());
            sender.send(String::from("hello"));
            assert_eq!(
                waiting.join().expect("the receiving thread panicked"),
                Some(String::from("hello")),
                "a receiver that waited must get the value sent from another thread"
            );
        })
    }

    #[test]
    fn a_receiver_waits_however_long_the_sender_takes() {
        anonymously(|| {
            let (sender, receiver) = oneshot();
            let waiting = thread::spawn(move || receiver.recv());
            // The sender, alive, sends nothing for longer than a receiver's timeout.
            thread::sleep(SILENCE);
            sender.send(7);
            let received = waiting.join().expect("the receiving thread panicked");
            assert!(
                received == Some(7),
                "expected `recv` to wait for the value, which came after {SILENCE:?}, but it \
                 returned {received:?}: it gave up after a while, and took the silence for a \
                 dropped sender. Only CLOSED says that no value will come: wait until the \
                 state is FULL or CLOSED, however long that takes."
            );
        })
    }

    /// A `Cell` may move between threads but not be shared, and a one-shot channel only
    /// moves its value: it can carry one, as `std::sync::mpsc` can.
    #[test]
    fn a_value_that_is_send_but_not_sync_crosses() {
        anonymously(|| {
            let (sender, receiver) = oneshot();
            // If this does not compile, `Sync` for the channel asks more of `T` than
            // `T: Send`.
            let waiting = thread::spawn(move || receiver.recv().map(Cell::into_inner));
            sender.send(Cell::new(3));
            assert_eq!(
                waiting.join().expect("the receiving thread panicked"),
                Some(3),
                "expected the `Cell` sent from this thread to come out on the other"
            );
        })
    }

    #[test]
    fn a_dropped_sender_closes_the_channel() {
        anonymously(|| {
            let (sender, receiver) = oneshot::<u32>();
            let waiting = thread::spawn(move || receiver.recv());
            drop(sender);
            assert_eq!(
                waiting.join().expect("the receiving thread panicked"),
                None,
                "the sender was dropped without sending, so `recv` must return None"
            );
        })
    }

    #[test]
    fn an_unreceived_value_is_dropped_once() {
        anonymously(|| {
            let drops = Arc::new(AtomicUsize::new(0));
            let (sender, receiver) = oneshot();
            sender.send(DropCounter(Arc::clone(&drops)));
            assert_eq!(
                drops.load(Ordering::SeqCst),
                0,
                "the value was dropped while it was waiting in the channel"
            );
            drop(receiver);
            assert_eq!(
                drops.load(Ordering::SeqCst),
                1,
                "a value nobody received must be dropped exactly once, with the channel"
            );
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::oneshot;
    use loom::alloc::Track;
    use threadlings::check::Payload;
    use threadlings::thread;

    #[test]
    fn the_value_crosses_to_another_thread() {
        loom::model(|| {
            let (sender, receiver) = oneshot();
            let sending = thread::spawn(move || sender.send(42));
            assert_eq!(receiver.recv(), Some(42), "the value sent must come out");
            sending.join().unwrap();
        });
    }

    /// A value that the sender writes into just before sending it, with a `Relaxed` write
    /// that loom sees however the channel keeps the value: only the state's orderings
    /// make that write visible to the receiver. The receiver is on a thread of its own:
    /// loom never shows a thread, after it yields, a value it had already seen, and this
    /// thread has seen none.
    #[test]
    fn the_receiver_sees_what_was_written_before_the_value_was_sent() {
        loom::model(|| {
            let (sender, receiver) = oneshot::<Payload>();
            let value = Payload::new();
            let receiving = thread::spawn(move || {
                let received = receiver.recv().expect("the value sent must come out");
                received.read()
            });
            value.write(42);
            sender.send(value);
            let seen = receiving.join().unwrap();
            assert_eq!(
                seen, 42,
                "the receiver got the value, but read {seen} from it, where the sender wrote \
                 42 before sending it: the state does not order the value it hands over. \
                 Storing FULL must release the sender's writes, and reading FULL must \
                 acquire them, so `send` stores the state with `Ordering::Release` and \
                 `recv` loads it with `Ordering::Acquire`"
            );
        });
    }

    #[test]
    fn a_sender_dropped_on_another_thread_closes_the_channel() {
        loom::model(|| {
            let (sender, receiver) = oneshot::<u32>();
            let dropping = thread::spawn(move || drop(sender));
            assert_eq!(
                receiver.recv(),
                None,
                "the sender was dropped without sending, so `recv` must return None"
            );
            dropping.join().unwrap();
        });
    }

    #[test]
    fn a_value_is_dropped_whoever_lets_go_last() {
        // `Track` makes loom report the value if it is never dropped.
        loom::model(|| {
            let (sender, receiver) = oneshot();
            let sending = thread::spawn(move || sender.send(Track::new(7)));
            drop(receiver);
            sending.join().unwrap();
        });
    }
}
