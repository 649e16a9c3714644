//! Checks for `bridge_lines`: the values come back sorted whatever order the lines
//! arrived in, lines are parsed on two threads of the caller's rayon pool at the same
//! time (not on a thread spawned for each line), and parsing starts while lines are
//! still arriving (not after the channel has closed).

#[path = "../../exercises/08_data_parallelism/bridge_lines.rs"]
mod exercise;

use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Instant;
use threadlings::check::{PATIENCE, PoolWitness, Rendezvous, anonymously, two_thread_pool};

/// The numbers `0..count`, one per line, in a scrambled but fixed order.
fn scrambled_lines(count: u32) -> Vec<String> {
    (0..count)
        .map(|n| ((n * 7919) % count).to_string())
        .collect()
}

/// A channel that already holds `lines` and is closed.
fn closed_channel(lines: Vec<String>) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    for line in lines {
        sender.send(line).unwrap();
    }
    receiver
}

#[test]
fn returns_the_values_that_parse_in_ascending_order() {
    anonymously(|| {
        let mut lines = scrambled_lines(1000);
        lines.insert(10, "not a number".to_string());
        lines.push(String::new());
        let values = two_thread_pool().install(|| {
            exercise::parse_all(closed_channel(lines), |line| line.parse::<u32>().ok())
        });
        assert_eq!(
            values.len(),
            1000,
            "expected the 1000 lines that hold a number to parse, and the two others to be left out"
        );
        assert!(
            values.iter().copied().eq(0..1000),
            "expected the values in ascending order, but they start {:?}: the lines arrive in \
             no particular order, and a parallel iterator from `par_bridge` does not keep any \
             order either. Sort the values after collecting them.",
            &values[..10]
        );
    })
}

static MEETING: Rendezvous = Rendezvous::new(2);

#[test]
fn parses_on_two_threads_at_once() {
    anonymously(|| {
        let lines = closed_channel(scrambled_lines(1000));
        let witness = PoolWitness::two_threads();
        let values = witness.install(|| {
            exercise::parse_all(lines, |line| {
                witness.note();
                MEETING.inside(|| line.parse::<u32>().ok())
            })
        });
        assert_eq!(values.len(), 1000, "expected every line to parse");
        assert!(
            MEETING.opened(),
            "expected lines to be parsed on two threads at the same time, but only one thread \
             was ever parsing ({} line(s), one after another): the lines are parsed \
             sequentially. `par_bridge` hands the items of an ordinary iterator to the pool's \
             threads.",
            MEETING.arrivals()
        );
        let outside = witness.calls_outside();
        assert!(
            outside == 0,
            "expected every line to be parsed on a thread of the rayon pool that `parse_all` was \
             called in, but {outside} line(s) were parsed on other threads: a thread spawned for \
             each line costs more than parsing it, and a pool built inside the function ignores \
             the caller's. `par_bridge` hands the lines to the current pool's threads"
        );
    })
}

/// Whether any line has been parsed yet.
struct FirstParse {
    started: Mutex<bool>,
    changed: Condvar,
}

impl FirstParse {
    fn starts(&self) {
        *self.started.lock().unwrap() = true;
        self.changed.notify_all();
    }

    /// Waits until a line is being parsed; false if none was within the kit's patience.
    fn wait(&self) -> bool {
        let deadline = Instant::now() + PATIENCE;
        let mut started = self.started.lock().unwrap();
        while !*started {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            started = self
                .changed
                .wait_timeout(started, deadline - now)
                .unwrap()
                .0;
        }
        true
    }
}

#[test]
fn starts_parsing_while_lines_are_still_arriving() {
    anonymously(|| {
        let first_parse = FirstParse {
            started: Mutex::new(false),
            changed: Condvar::new(),
        };
        let (sender, receiver) = mpsc::channel();
        let lines = scrambled_lines(200);
        let (values, parsed_before_closing) = thread::scope(|scope| {
            // Sends half the lines, and the rest only once parsing has started.
            let producer = scope.spawn(|| {
                for line in &lines[..100] {
                    sender.send(line.clone()).unwrap();
                }
                let parsed_before_closing = first_parse.wait();
                for line in &lines[100..] {
                    sender.send(line.clone()).unwrap();
                }
                drop(sender);
                parsed_before_closing
            });
            let values = two_thread_pool().install(|| {
                exercise::parse_all(receiver, |line| {
                    first_parse.starts();
                    line.parse::<u32>().ok()
                })
            });
            (values, producer.join().unwrap())
        });
        assert_eq!(values.len(), 200, "expected all 200 lines to parse");
        assert!(
            parsed_before_closing,
            "expected parsing to start while lines were still arriving, but no line was parsed \
             until the channel closed: collecting the lines first waits for the last one. \
             `par_bridge` takes lines from the channel as they come."
        );
    })
}
