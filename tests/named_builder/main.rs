//! Checks for `named_builder`: each thread carries its name and runs `work` with its
//! own index, the workers run at the same time (all of them meet at a rendezvous), each
//! gets the stack size asked for (work that needs more than the default stack
//! completes), and a thread the operating system cannot create comes back as an
//! `io::Error` rather than a panic.

#[path = "../../exercises/02_threads/named_builder.rs"]
mod exercise;

use std::hint::black_box;
use std::thread::{self, JoinHandle};
use threadlings::check::{Ending, PATIENCE, Rendezvous, anonymously, ending_within, panic_text};

/// Enough stack for the frame below with room to spare, whatever the build profile.
const ROOMY_STACK: usize = 32 << 20;

/// A frame four times the size of the default 2 MiB stack of a spawned thread.
const BIG_FRAME: usize = 8 << 20;

/// A stack far larger than any address space: no operating system can allocate it.
const IMPOSSIBLE_STACK: usize = 1 << 60;

fn join_all<T>(handles: Vec<JoinHandle<T>>) -> Vec<T> {
    handles
        .into_iter()
        .map(|handle| handle.join().expect("a worker thread panicked"))
        .collect()
}

#[test]
fn each_worker_runs_with_its_own_index() {
    anonymously(|| {
        let handles = exercise::spawn_workers("square", 4, ROOMY_STACK, |index| index * index)
            .expect("could not spawn 4 threads");
        assert_eq!(
            join_all(handles),
            vec![0, 1, 4, 9],
            "expected worker `index` to return `work(index)`, in index order"
        );
    })
}

#[test]
fn each_worker_is_named_after_its_index() {
    anonymously(|| {
        let handles = exercise::spawn_workers("crawler", 3, ROOMY_STACK, |_| {
            thread::current().name().map(str::to_owned)
        })
        .expect("could not spawn 3 threads");
        let names = join_all(handles);
        assert_eq!(
            names,
            vec![
                Some("crawler-0".to_owned()),
                Some("crawler-1".to_owned()),
                Some("crawler-2".to_owned())
            ],
            "expected the threads to be named \"{{prefix}}-{{index}}\" (`None` is a thread \
             without a name): `thread::Builder::new().name(..)`"
        );
    })
}

#[test]
fn workers_get_the_stack_size_asked_for() {
    anonymously(|| {
        // If the stack size is not applied, this test process dies with "thread '...' has
        // overflowed its stack": the frame below does not fit in the default stack.
        println!(
            "Running work that needs an {} MiB stack on threads asked for with {} MiB; if \
             this test dies with \"has overflowed its stack\", the threads did not get the \
             stack size asked for: `thread::Builder::stack_size`.",
            BIG_FRAME >> 20,
            ROOMY_STACK >> 20
        );
        let handles = exercise::spawn_workers("deep", 2, ROOMY_STACK, |index| {
            let frame = black_box([index as u8; BIG_FRAME]);
            frame.iter().map(|&byte| usize::from(byte)).sum::<usize>()
        })
        .expect("could not spawn 2 threads");
        assert_eq!(join_all(handles), vec![0, BIG_FRAME]);
    })
}

static MEETING: Rendezvous = Rendezvous::new(3);

#[test]
fn the_workers_run_at_the_same_time() {
    anonymously(|| {
        let handles =
            exercise::spawn_workers("together", 3, ROOMY_STACK, |index| MEETING.inside(|| index))
                .expect("could not spawn 3 threads");
        assert_eq!(join_all(handles), vec![0, 1, 2]);
        assert!(
            MEETING.opened(),
            "expected the 3 workers to run `work` at the same time, each on its own thread, \
             but at most {} ran it together: the workers take turns (a lock held around \
             `work`, or each waiting for the one before). Threads built with \
             `thread::Builder` run in parallel like any others.",
            MEETING.most_inside()
        );
    })
}

#[test]
fn a_thread_that_cannot_be_created_is_an_error() {
    anonymously(|| {
        let outcome = ending_within(PATIENCE, || {
            exercise::spawn_workers("huge", 2, IMPOSSIBLE_STACK, |index| index)
        });
        match outcome {
            Ending::Panicked(payload) => panic!(
                "expected `spawn_workers` to return the error when a thread cannot be created \
                 (a stack of 2^60 bytes, 1 EiB, was asked for), but it panicked ({:?}): \
                 `thread::spawn` and `.unwrap()` panic; `Builder::spawn(..)?` returns the error",
                panic_text(&*payload).unwrap_or("a payload that is not text")
            ),
            Ending::StillRunning => panic!(
                "expected `spawn_workers` to return the error when a thread cannot be created, \
                 but it had not returned after {PATIENCE:?}"
            ),
            Ending::Returned(Ok(handles)) if handles.is_empty() => panic!(
                "expected an error for threads asked for with a stack of 2^60 bytes (1 EiB), \
                 which no operating system can allocate, but `spawn_workers` returned `Ok` \
                 with no threads: the threads that could not be created were skipped. Return \
                 the error to the caller with `?`."
            ),
            Ending::Returned(Ok(handles)) => {
                let started = handles.len();
                join_all(handles);
                panic!(
                    "expected an error for threads asked for with a stack of 2^60 bytes (1 EiB), \
                     which no operating system can allocate, but {started} thread(s) \
                     started: the stack size was not passed to `thread::Builder::stack_size`"
                );
            }
            Ending::Returned(Err(error)) => println!("the expected error: {error}"),
        }
    })
}
