//! Checks for `rc_to_arc`: clones of a `SharedList` can be moved into threads and
//! shared between them (tests: these do not compile while the list is not `Send` and
//! `Sync`), every thread sees the same items rather than a copy, and the count of owners
//! stays exact while threads clone and drop at once; a list of `Cell`s must still stay
//! on its thread (compile-fail).

#[path = "../../exercises/05_send_sync/rc_to_arc.rs"]
mod exercise;

use exercise::SharedList;
use std::sync::{Arc, Barrier};
use std::thread;

#[test]
fn clones_moved_into_threads_share_one_list() {
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
}

#[test]
fn threads_cloning_and_dropping_at_once_keep_an_exact_count() {
    let list = SharedList::new(vec![1u64, 2, 3]);
    let rounds = 1_000_000;
    // Both threads start together, so their clones and drops overlap.
    let start = Barrier::new(2);
    thread::scope(|scope| {
        for _ in 0..2 {
            // If this does not compile, `&SharedList` cannot be shared between threads.
            scope.spawn(|| {
                start.wait();
                for _ in 0..rounds {
                    let clone = list.clone();
                    assert_eq!(clone.items().len(), 3, "a clone lost the items");
                }
            });
        }
    });
    assert_eq!(
        list.owners(),
        1,
        "expected the count of owners to be back at 1 after two threads each made and \
         dropped {rounds} clones at the same time, but it is {}: updates to the count were \
         lost, so the count is not atomic",
        list.owners()
    );
}
