//! Checks for `arc_shared_workers`: the workers compute on the shared data, each on a
//! thread of its own, all at the same time, and still running after `spawn_workers` has
//! returned (so the data must be owned by the threads, not borrowed from the caller);
//! and once the workers have finished, neither the data nor the work is leaked.

#[path = "../../exercises/03_shared_state/arc_shared_workers.rs"]
mod exercise;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, ThreadId};
use threadlings::check::{DropCounter, Rendezvous, anonymously};

/// Data that cannot be copied: the only way to give it to several threads is to share it.
struct Prices(Vec<u32>);

fn join_all<R>(handles: Vec<thread::JoinHandle<R>>) -> Vec<R> {
    handles
        .into_iter()
        .map(|handle| handle.join().expect("a worker thread panicked"))
        .collect()
}

#[test]
fn each_worker_computes_on_the_shared_data() {
    anonymously(|| {
        let prices = Arc::new(Prices(vec![10, 20, 30]));
        let handles = exercise::spawn_workers(Arc::clone(&prices), 3, |worker, prices: &Prices| {
            prices.0[worker] * 2
        });
        assert_eq!(
            handles.len(),
            3,
            "expected one handle per worker, in worker order"
        );
        assert_eq!(
            join_all(handles),
            vec![20, 40, 60],
            "expected worker i to return `work(i, &data)`, in worker order"
        );
        let owners = Arc::strong_count(&prices);
        assert!(
            owners == 1,
            "expected every worker's owner of the data to be dropped when its thread ended, \
             but once the workers had finished the data still had {owners} owners, the \
             caller's and {} more: an owner was leaked (`mem::forget`, `Box::leak`), so the \
             data is never freed. Give each thread an `Arc::clone` and let the thread drop it.",
            owners - 1
        );
    })
}

static MEETING: Rendezvous = Rendezvous::new(4);

#[test]
fn the_workers_run_at_the_same_time_after_spawn_workers_returns() {
    anonymously(|| {
        let caller = thread::current().id();
        let handles = exercise::spawn_workers(Arc::new(Prices(vec![1, 2, 3])), 3, |_, _| {
            MEETING.inside(|| thread::current().id())
        });
        // The caller joins the meeting too: it opens only if the three workers are still
        // running, together, after `spawn_workers` has returned.
        MEETING.inside(|| ());
        let workers: Vec<ThreadId> = join_all(handles);
        assert!(
            MEETING.opened(),
            "expected the three workers to run at the same time on their own threads, while \
             the caller went on after `spawn_workers` returned, but at most {} thread(s) were \
             ever running the work together: the work ran one call after another, on the \
             caller's thread. Move the call to `work` into the spawned thread.",
            MEETING.most_inside()
        );
        assert!(
            !workers.contains(&caller),
            "expected the work to run on new threads, not on the caller's thread"
        );
        let mut distinct = workers.clone();
        distinct.sort_by_key(|id| format!("{id:?}"));
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            3,
            "expected each worker to run on a thread of its own, but they ran on {workers:?}"
        );
    })
}

#[test]
fn the_work_is_dropped_once_the_workers_have_finished() {
    anonymously(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let counter = DropCounter(Arc::clone(&drops));
        let handles = exercise::spawn_workers(Arc::new(Prices(vec![5, 6])), 2, move |worker, _| {
            let _in_the_work = &counter;
            worker
        });
        assert_eq!(join_all(handles), vec![0, 1]);
        let dropped = drops.load(Ordering::SeqCst);
        assert!(
            dropped == 1,
            "expected the work closure to be dropped once, when the last worker had finished \
             with it, but it was dropped {dropped} times: it was leaked (`Box::leak` turns it \
             `'static` by never freeing it, with everything it owns). Share it the way the \
             data is shared: `Arc::new(work)`, and an `Arc::clone` for each thread."
        );
    })
}
