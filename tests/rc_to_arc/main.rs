//! Checks for `rc_to_arc`: clones of a `SharedList` can be moved into threads and
//! shared between them (tests: these do not compile while the list is not `Send` and
//! `Sync`), every thread sees the same items rather than a copy, and the count of owners
//! stays exact while threads clone at once; a list of `Cell`s must stay on its thread,
//! and so must a list of `MutexGuard`s (compile-fail).

#[path = "../../exercises/05_send_sync/rc_to_arc.rs"]
mod exercise;

use exercise::SharedList;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use threadlings::check::anonymously;

#[test]
fn clones_moved_into_threads_share_one_list() {
    anonymously(|| {
        let list = SharedList::new(vec!["intro".to_string(), "verse".to_string()]);
        let original = list.items().as_ptr() as usize;
        let workers = 3;
        // Everyone meets twice: once all clones exist, then again once every thread has
        // looked at the count, so that no clone is dropped before the others have looked.
        let meeting = Arc::new(Barrier::new(workers + 1));
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let mine = list.clone();
                let meeting = Arc::clone(&meeting);
                // If this does not compile, `SharedList` cannot be sent to another thread.
                thread::spawn(move || {
                    meeting.wait();
                    let seen = (
                        mine.items().as_ptr() as usize,
                        mine.owners(),
                        mine.items().to_vec(),
                    );
                    meeting.wait();
                    seen
                })
            })
            .collect();
        meeting.wait();
        meeting.wait();
        for handle in handles {
            let (address, owners, items) = handle.join().expect("a worker thread panicked");
            assert_eq!(items, ["intro", "verse"], "a thread saw the wrong items");
            assert_eq!(
                address, original,
                "expected every thread to reach the very same items through its clone, but \
                 one saw a copy at another address: cloning a `SharedList` must share the \
                 items, not copy them"
            );
            assert_eq!(
                owners,
                workers + 1,
                "expected {} owners while this thread and {workers} workers each held a \
                 clone, but a worker counted {owners}",
                workers + 1
            );
        }
        assert_eq!(
            list.owners(),
            1,
            "expected each worker's clone to be released when its thread ended, leaving one \
             owner, but {} remain",
            list.owners()
        );
    })
}

/// Clones `list` and forgets each clone, on two threads at once, until each thread has
/// made `rounds` clones and seen the other make progress between two of its own clones
/// at least `switches` times: at the same instant on two cores, or because the
/// scheduler switched threads on one. Each thread stops after `most` clones whatever
/// happens. Returns how many clones were made.
fn clone_on_two_threads_at_once(
    list: &SharedList<u64>,
    rounds: usize,
    switches: usize,
    most: usize,
) -> usize {
    let made = [AtomicUsize::new(0), AtomicUsize::new(0)];
    let satisfied = [AtomicBool::new(false), AtomicBool::new(false)];
    thread::scope(|scope| {
        let cloners: Vec<_> = (0..2)
            .map(|me| {
                let (made, satisfied) = (&made, &satisfied);
                // If this does not compile, `&SharedList` cannot be shared between threads.
                scope.spawn(move || {
                    let (mut mine, mut seen, mut other_last) = (0, 0, 0);
                    while mine < most
                        && !(satisfied[0].load(Ordering::Relaxed)
                            && satisfied[1].load(Ordering::Relaxed))
                    {
                        // Forgotten, never dropped: an increment lost to a race is never
                        // made up for by a decrement lost to another.
                        std::mem::forget(list.clone());
                        mine += 1;
                        made[me].store(mine, Ordering::Relaxed);
                        let other = made[1 - me].load(Ordering::Relaxed);
                        if other != other_last {
                            seen += 1;
                            other_last = other;
                        }
                        if mine >= rounds && seen >= switches {
                            satisfied[me].store(true, Ordering::Relaxed);
                        }
                    }
                    mine
                })
            })
            .collect();
        cloners
            .into_iter()
            .map(|cloner| cloner.join().expect("a cloning thread panicked"))
            .sum()
    })
}

#[test]
fn threads_cloning_at_once_keep_an_exact_count() {
    anonymously(|| {
        let list = SharedList::new(vec![1u64, 2, 3]);
        // Each switch between the threads is a chance for a non-atomic count to lose an
        // increment; a few hundred of them make a lost increment all but certain.
        let clones = clone_on_two_threads_at_once(&list, 100_000, 200, 50_000_000);
        let owners = list.owners();
        assert_eq!(
            owners,
            clones + 1,
            "expected {} owners after two threads made {clones} clones of the list at the \
             same time (and kept them), but the count is {owners}: increments were lost, so \
             the count is not atomic",
            clones + 1
        );
        // The clones were forgotten, so the items stay allocated: a small, deliberate leak.
    })
}
