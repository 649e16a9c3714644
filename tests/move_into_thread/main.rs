//! Checks for `move_into_thread`: the new thread does the work, owns the batch (it is
//! dropped there, not on the caller's thread), the caller gets the handle back before
//! the work is done (the work waits at a gate that opens only after the call has
//! returned), and nothing is leaked to make the label `'static` (the test target counts
//! the bytes allocated and not freed).

#[path = "../../exercises/02_threads/move_into_thread.rs"]
mod exercise;

use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, ThreadId};
use threadlings::check::{CountingAllocator, PATIENCE, anonymously, live_bytes};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// An item that records the thread that dropped it.
struct Tracked {
    dropped_on: Arc<Mutex<Vec<ThreadId>>>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.dropped_on.lock().unwrap().push(thread::current().id());
    }
}

#[test]
fn returns_the_summary() {
    anonymously(|| {
        let handle = exercise::process_in_background("squares", vec![1, 4, 9], |_| ());
        assert_eq!(
            handle.join().expect("the worker thread panicked"),
            "squares: 3 items",
            "expected the summary \"{{label}}: {{count}} items\""
        );
    })
}

#[test]
fn the_new_thread_processes_every_item() {
    anonymously(|| {
        let caller = thread::current().id();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let handle = exercise::process_in_background("letters", vec!['a', 'b', 'c'], move |item| {
            record.lock().unwrap().push((*item, thread::current().id()));
        });
        let worker = handle.thread().id();
        handle.join().expect("the worker thread panicked");
        let seen = seen.lock().unwrap();
        let items: Vec<char> = seen.iter().map(|(item, _)| *item).collect();
        assert_eq!(
            items,
            ['a', 'b', 'c'],
            "expected every item processed once, in order"
        );
        assert!(
            seen.iter().all(|(_, thread)| *thread == worker),
            "expected every item to be processed on the new thread, but {} ran on the caller's \
             thread and {} on another thread: move the loop into the closure given to \
             `thread::spawn`",
            seen.iter().filter(|(_, thread)| *thread == caller).count(),
            seen.iter()
                .filter(|(_, thread)| *thread != caller && *thread != worker)
                .count(),
        );
    })
}

#[test]
fn the_new_thread_owns_and_drops_the_batch() {
    anonymously(|| {
        let dropped_on = Arc::new(Mutex::new(Vec::new()));
        let batch: Vec<Tracked> = (0..3)
            .map(|_| Tracked {
                dropped_on: Arc::clone(&dropped_on),
            })
            .collect();
        let handle = exercise::process_in_background("tracked", batch, |_| ());
        let worker = handle.thread().id();
        handle.join().expect("the worker thread panicked");
        let dropped_on = dropped_on.lock().unwrap();
        assert!(
            dropped_on.len() == 3,
            "expected all 3 items of the batch to be dropped by the time the thread had \
             finished, but {} were: the batch was forgotten or leaked (`mem::forget`, \
             `Box::leak`). The thread owns the batch; dropping it frees every item.",
            dropped_on.len()
        );
        assert!(
            dropped_on.iter().all(|thread| *thread == worker),
            "expected the batch to be dropped on the new thread, which owns it, but {} of its \
             3 items were dropped on another thread: move `batch` into the thread's closure \
             and let the thread drop it",
            dropped_on
                .iter()
                .filter(|thread| **thread != worker)
                .count()
        );
    })
}

/// A gate that opens once; a waiter gives up after [`PATIENCE`] and says so.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }

    /// Whether the gate opened before patience ran out.
    fn wait(&self) -> bool {
        let open = self.open.lock().unwrap();
        let (open, _) = self
            .opened
            .wait_timeout_while(open, PATIENCE, |open| !*open)
            .unwrap();
        *open
    }
}

#[test]
fn returns_before_the_work_is_done() {
    anonymously(|| {
        let caller = thread::current().id();
        let gate = Arc::new(Gate::default());
        let waiting = Arc::clone(&gate);
        // The item waits until the caller has its handle back. On the caller's own thread
        // it cannot wait (the gate would never open), so it only records where it ran.
        let handle = exercise::process_in_background("gated", vec![()], move |_| {
            if thread::current().id() == caller {
                return;
            }
            assert!(
                waiting.wait(),
                "expected `process_in_background` to return before its thread processed the \
                 batch, but the call was still waiting for the work after {PATIENCE:?}: return \
                 the handle of the thread that does the work, without joining it"
            );
        });
        gate.open();
        let result = handle.join();
        assert!(
            result.is_ok(),
            "expected `process_in_background` to return its handle at once and leave the work \
             to the new thread, but it waited for the work to finish before returning: do not \
             join inside the function, return the handle"
        );
    })
}

#[test]
fn the_label_is_copied_not_leaked() {
    anonymously(|| {
        const LABEL_BYTES: usize = 1 << 20;
        let label = "x".repeat(LABEL_BYTES);
        let before = live_bytes();
        let handle = exercise::process_in_background(&label, vec![1, 2], |_| ());
        let summary = handle.join().expect("the worker thread panicked");
        assert!(
            summary.ends_with(": 2 items"),
            "expected the summary, got a different one"
        );
        drop(summary);
        let kept = live_bytes().saturating_sub(before);
        assert!(
            kept < LABEL_BYTES / 2,
            "expected the thread's copy of the label to be freed once the thread had finished, \
             but after a call with a label of {LABEL_BYTES} bytes, {kept} more bytes stay \
             allocated: the copy was leaked (`Box::leak`, `String::leak` and `mem::forget` \
             make a value live for ever, which is how they turn it `'static`). A `move` \
             closure can own a plain `String` (`label.to_owned()`), which the thread frees \
             when it ends."
        );
    })
}
