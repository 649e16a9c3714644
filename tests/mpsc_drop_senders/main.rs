//! Checks for `mpsc_drop_senders`: `collect_reports` returns once every task has
//! finished and dropped its `Sender` (it does not wait for a sender nobody uses), with
//! every report that was sent, each task's in its own order, however many each task
//! sends, and however long a task is silent before it sends (a quiet channel is not a
//! closed one); the receiving loop sleeps while no report comes; the tasks run at the
//! same time; and a task's panic reaches the caller with its own payload (which also
//! proves that the task threads are joined).
//!
//! `collect_reports` runs on a helper thread, so that a receiving loop that never ends
//! is reported with an explanation instead of the runner's timeout.

#[path = "../../exercises/04_message_passing/mpsc_drop_senders.rs"]
mod exercise;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender};
use std::thread::{self, Thread};
use std::time::Duration;
use threadlings::check::{
    FALL_ASLEEP, PATIENCE, Rendezvous, SILENCE, anonymously, assert_passes_the_panic_on,
    parked_since_token_left, quiet_deliberate_panics, rayon_global_pool_of_one, returns_within,
};

/// How long `collect_reports` may take: longer than a party waits at a [`Rendezvous`],
/// so that tasks run one after another are reported as such.
const RETURN_PATIENCE: Duration = Duration::from_secs(PATIENCE.as_secs() + 1);

type Task<T> = Box<dyn FnOnce(Sender<T>) + Send + 'static>;

/// Runs `collect_reports` on `tasks`, each of which counts itself in `finished` once it
/// has dropped its `Sender`, and explains a call that never returns.
fn collect_or_explain<T: Send + 'static>(tasks: Vec<Task<T>>) -> Vec<T> {
    let task_count = tasks.len();
    let finished = Arc::new(AtomicUsize::new(0));
    let counted: Vec<Task<T>> = tasks
        .into_iter()
        .map(|task| {
            let finished = Arc::clone(&finished);
            Box::new(move |sender: Sender<T>| {
                task(sender);
                finished.fetch_add(1, Ordering::SeqCst);
            }) as Task<T>
        })
        .collect();

    match returns_within(RETURN_PATIENCE, move || exercise::collect_reports(counted)) {
        Some(reports) => reports,
        None => {
            let finished = finished.load(Ordering::SeqCst);
            if task_count == 0 {
                panic!(
                    "with no tasks, no `Sender` will ever send, but {RETURN_PATIENCE:?} later \
                     `collect_reports` still had not returned: its receiving loop is \
                     waiting for a `Sender` that is still alive. The loop ends only once \
                     every `Sender` is dropped, and this function still holds the original."
                )
            } else if finished == task_count {
                panic!(
                    "all {task_count} task(s) had finished and dropped their `Sender`s, \
                     but {RETURN_PATIENCE:?} later `collect_reports` still had not returned: its \
                     receiving loop is waiting for a `Sender` that is still alive and will \
                     never send. `for report in receiver` ends only once every `Sender` is \
                     dropped, and this function still holds the original it cloned for \
                     the tasks."
                )
            } else {
                panic!(
                    "`collect_reports` had not returned after {RETURN_PATIENCE:?}, and only \
                     {finished} of the {task_count} task(s) had finished: run each task \
                     on a thread of its own, with a `Sender` of its own"
                )
            }
        }
    }
}

/// A task that sends `count` reports `(task, 0)`, `(task, 1)`, ...
fn sends(task: usize, count: usize) -> Task<(usize, usize)> {
    Box::new(move |sender: Sender<(usize, usize)>| {
        for sequence in 0..count {
            sender.send((task, sequence)).unwrap();
        }
    })
}

#[test]
fn returns_every_report_once_the_tasks_have_finished() {
    anonymously(|| {
        let counts = [3, 0, 1, 5];
        let tasks = counts
            .iter()
            .enumerate()
            .map(|(task, &count)| sends(task, count))
            .collect();
        let reports = collect_or_explain(tasks);
        assert_eq!(
            reports.len(),
            9,
            "expected every report: tasks that send 3, 0, 1 and 5 reports send 9 in all, \
             but {} came back. Collect until the channel closes, not a fixed number of times.",
            reports.len()
        );
        for (task, &count) in counts.iter().enumerate() {
            let sequence: Vec<usize> = reports
                .iter()
                .filter(|(from, _)| *from == task)
                .map(|&(_, sequence)| sequence)
                .collect();
            assert_eq!(
                sequence,
                (0..count).collect::<Vec<_>>(),
                "expected task {task}'s {count} report(s) in the order it sent them"
            );
        }
    })
}

#[test]
fn waits_for_a_task_that_is_silent_for_a_while_before_it_reports() {
    anonymously(|| {
        let tasks: Vec<Task<&str>> = vec![
            Box::new(|sender| sender.send("at once").unwrap()),
            Box::new(|sender| {
                // Silent, its `Sender` alive, for longer than a receiver's timeout.
                thread::sleep(SILENCE);
                let _ = sender.send("after a silence");
            }),
        ];
        let mut reports = collect_or_explain(tasks);
        reports.sort_unstable();
        assert!(
            reports == ["after a silence", "at once"],
            "expected both reports, but `collect_reports` returned {reports:?}: one task \
             sent its report only after {SILENCE:?} of silence, while it still held its \
             `Sender`, and the receiving loop had stopped by then. A quiet channel is not \
             a closed one: the loop must end when every `Sender` has been dropped (drop \
             this function's own, and let `recv` or the receiver's `for` loop end), not \
             after a timeout."
        );
    })
}

#[test]
fn no_tasks_means_no_reports() {
    anonymously(|| {
        let reports = collect_or_explain::<u32>(Vec::new());
        assert!(reports.is_empty(), "expected no reports from no tasks");
    })
}

static TWO_AT_ONCE: Rendezvous = Rendezvous::new(2);

#[test]
fn the_tasks_run_at_the_same_time() {
    anonymously(|| {
        // Tasks handed to rayon would run at once only on a machine with enough cores.
        rayon_global_pool_of_one();
        let meets_the_other: fn(Sender<bool>) = |sender| {
            TWO_AT_ONCE.inside(|| ());
            sender.send(true).unwrap();
        };
        let tasks: Vec<Task<bool>> = vec![Box::new(meets_the_other), Box::new(meets_the_other)];
        let reports = collect_or_explain(tasks);
        assert_eq!(reports, [true, true], "expected one report from each task");
        assert!(
            TWO_AT_ONCE.opened(),
            "expected the two tasks to run at the same time, each on a thread of its own, but \
             they ran one after the other"
        );
    })
}

#[test]
fn the_receiving_loop_sleeps_while_no_report_comes() {
    anonymously(|| {
        let (caller_tx, caller) = mpsc::channel::<Thread>();
        let tasks: Vec<Task<u8>> = vec![Box::new(move |sender| {
            // A wake-up token for the thread that receives, taken only by a thread that
            // parks, as one blocked in `recv` does; then nothing comes for a while.
            if let Ok(caller) = caller.recv_timeout(PATIENCE) {
                caller.unpark();
            }
            thread::sleep(FALL_ASLEEP);
            sender.send(1).unwrap();
            // And nothing more for a while, before the hang-up: a loop that came late to
            // the first wait has this one to sleep in.
            thread::sleep(FALL_ASLEEP);
        })];
        let call = move || {
            caller_tx.send(thread::current()).unwrap();
            let reports = exercise::collect_reports(tasks);
            (reports, parked_since_token_left())
        };
        let Some((reports, slept)) = returns_within(RETURN_PATIENCE, call) else {
            panic!(
                "expected `collect_reports` to return once its one task had sent its report \
                 and ended, but {RETURN_PATIENCE:?} later it had not"
            )
        };
        assert_eq!(reports, [1], "expected the task's one report");
        assert!(
            slept,
            "expected the receiving loop to sleep in `recv` while no report came, but it \
             never parked while the task took {FALL_ASLEEP:?} to send it, and as long to \
             end: it polls (`try_recv` in a loop, with `yield_now` or a short sleep), which \
             keeps a core busy doing nothing. `recv`, or a `for` loop over the receiver, sleeps until a \
             report comes or every `Sender` is gone"
        );
    })
}

/// The panic the second task of [`a_tasks_panic_reaches_the_caller_unchanged`] causes.
const TASK_PANIC: &str = "on purpose: task 1 failed after its first report";

#[test]
fn a_tasks_panic_reaches_the_caller_unchanged() {
    anonymously(|| {
        quiet_deliberate_panics();
        let tasks: Vec<Task<u32>> = vec![
            Box::new(|sender| sender.send(10).unwrap()),
            Box::new(|sender| {
                sender.send(20).unwrap();
                panic!("{TASK_PANIC}");
            }),
        ];
        assert_passes_the_panic_on(
            "collect_reports",
            "a task",
            TASK_PANIC,
            RETURN_PATIENCE,
            move || exercise::collect_reports(tasks),
        );
    })
}
