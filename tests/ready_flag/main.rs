//! Checks for `ready_flag`: readers see nothing before `publish` and the value after,
//! on this thread and on others (tests); a reader that sees the flag up reads the value
//! without a data race, and sees what the publisher wrote into it, in every
//! interleaving, however the board keeps the value (loom).

#[path = "../../exercises/06_atomics/ready_flag.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::publication;
    use std::thread;
    use threadlings::check::anonymously;

    #[test]
    fn nothing_is_visible_before_publishing() {
        anonymously(|| {
            let (publisher, reader) = publication();
            assert_eq!(reader.get(), None, "nothing was published yet");
            publisher.publish(7);
            assert_eq!(
                reader.get(),
                Some(&7),
                "after `publish(7)` a reader must see 7"
            );
        })
    }

    #[test]
    fn an_unused_publisher_publishes_nothing() {
        anonymously(|| {
            let (publisher, reader) = publication::<u32>();
            drop(publisher);
            assert_eq!(reader.get(), None, "nothing was ever published");
        })
    }

    #[test]
    fn readers_on_other_threads_see_the_published_value() {
        anonymously(|| {
            let (publisher, reader) = publication::<Vec<u32>>();
            let readers: Vec<_> = (0..2)
                .map(|_| {
                    let reader = reader.clone();
                    thread::spawn(move || {
                        loop {
                            if let Some(value) = reader.get() {
                                break value.clone();
                            }
                            thread::yield_now();
                        }
                    })
                })
                .collect();
            publisher.publish(vec![1, 2, 3]);
            for reader in readers {
                assert_eq!(
                    reader.join().expect("a reader thread panicked"),
                    [1, 2, 3],
                    "a reader on another thread saw the flag up but not the published value"
                );
            }
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::publication;
    use threadlings::check::Payload;
    use threadlings::thread;

    #[test]
    fn a_reader_that_sees_the_flag_sees_the_value() {
        loom::model(|| {
            let (publisher, reader) = publication();
            let writer = thread::spawn(move || publisher.publish(42));
            // Whether the flag is up yet depends on the interleaving; when it is, the
            // value must be there.
            if let Some(value) = reader.get() {
                assert_eq!(*value, 42, "the flag was up but the value was not written");
            }
            writer.join().unwrap();
        });
    }

    #[test]
    fn a_waiting_reader_gets_the_value() {
        loom::model(|| {
            let (publisher, reader) = publication();
            let waiting = thread::spawn(move || {
                loop {
                    if let Some(value) = reader.get() {
                        break *value;
                    }
                    threadlings::hint::spin_loop();
                }
            });
            publisher.publish(42);
            assert_eq!(waiting.join().unwrap(), 42);
        });
    }

    /// A value that the publisher writes into just before publishing it, with a
    /// `Relaxed` write that loom sees however the board keeps the value: only the flag's
    /// orderings make that write visible to a reader that sees the flag up. The reader
    /// waits for the flag, so that every interleaving reads the value, on a thread of its
    /// own: loom never shows a thread, after it yields, a value it had already seen, and
    /// this thread has seen none.
    #[test]
    fn a_reader_that_sees_the_flag_sees_what_was_written_before_it() {
        loom::model(|| {
            let (publisher, reader) = publication::<Payload>();
            let value = Payload::new();
            let reading = thread::spawn(move || {
                loop {
                    if let Some(value) = reader.get() {
                        break value.read();
                    }
                    threadlings::hint::spin_loop();
                }
            });
            value.write(42);
            publisher.publish(value);
            let seen = reading.join().unwrap();
            assert_eq!(
                seen, 42,
                "the reader saw the flag up, but read {seen} from the published value, \
                 where the publisher wrote 42 before publishing it: the flag does not order \
                 what it publishes. Raising it must release the writes made before, and \
                 reading it up must acquire them, so `publish` stores the flag with \
                 `Ordering::Release` and `get` loads it with `Ordering::Acquire`"
            );
        });
    }
}
