//! tokio runtimes a check watches: a runtime on a paused clock that counts its thread's
//! wake-ups, and a task that answers only while the runtime has a thread free.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use super::endings::reported_within;
use super::rendezvous::PATIENCE;

/// How often a tokio runtime's thread woke up after going idle. [`paused_runtime`] counts
/// into it; a check reads it before and after a stretch where nothing should happen.
#[derive(Debug, Clone, Default)]
pub struct Wakeups(Arc<AtomicUsize>);

impl Wakeups {
    /// The wake-ups counted so far.
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// A current-thread tokio runtime with its timer on and its clock paused, which counts in
/// `wakeups` every time its thread wakes up after going idle. On the paused clock the
/// thread goes idle only when every task waits, and time then jumps to the next timer: a
/// task that waits for what it needs wakes the thread once per event, while one that
/// polls with a short sleep wakes it once per poll, and one that polls with
/// `yield_now` never lets it go idle, so runtime time stands still.
pub fn paused_runtime(wakeups: &Wakeups) -> tokio::runtime::Runtime {
    let count = Arc::clone(&wakeups.0);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .on_thread_unpark(move || {
            count.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .expect("a tokio runtime")
}

/// Runs the future that `make` builds on a [`paused_runtime`], on a thread of its own,
/// and waits at most `patience` of real time for it. `make` gets the runtime's
/// [`Wakeups`]. `None` means the future had not finished by then (it is left running):
/// it waits for something that never comes, or its thread is blocked, or a task never
/// stops running, so that runtime time cannot move. On the paused clock a correct answer
/// needs next to no real time however much runtime time it waits, so a check can explain
/// a hang in its own words. A panic in the future reaches the caller as that same panic.
pub fn run_paused_within<T, F>(
    patience: Duration,
    make: impl FnOnce(Wakeups) -> F + Send + 'static,
) -> Option<T>
where
    F: Future<Output = T>,
    T: Send + 'static,
{
    reported_within(patience, move |report| {
        let wakeups = Wakeups::default();
        let runtime = paused_runtime(&wakeups);
        let result = panic::catch_unwind(AssertUnwindSafe(|| runtime.block_on(make(wakeups))));
        // Reported while the runtime lives: dropping it waits for its blocking tasks,
        // which may never end.
        let _ = report.send(result);
    })
}

/// [`run_paused_within`] with [`PATIENCE`], for a future that must finish: a hang fails
/// the check, saying that `what` (for example "three one-second downloads") was expected
/// to be over in next to no real time, and what keeps a paused runtime from getting there.
pub fn run_paused<T, F>(what: &str, make: impl FnOnce(Wakeups) -> F + Send + 'static) -> T
where
    F: Future<Output = T>,
    T: Send + 'static,
{
    run_paused_within(PATIENCE, make).unwrap_or_else(|| {
        panic!(
            "expected {what} to be over in next to no real time on the paused clock, but \
             the check was still waiting after {PATIENCE:?} of real time. Either something \
             waited for an event that never came, or the runtime's thread was blocked (by \
             a blocking call inside async code: `std::thread::sleep`, \
             `futures::executor::block_on`, a std lock or a blocking `recv`), or a task \
             never stopped running (a loop around `yield_now`, `try_recv` or `is_finished` \
             that never waits to be woken), which keeps the paused clock from moving"
        )
    })
}

/// A task on a tokio runtime that answers calls from threads outside the runtime, such as
/// blocking work: an answer proves that a thread of the runtime was free to run the task
/// while the caller waited. A call waits at most the responder's patience; once one has
/// gone unanswered, every later call gives up at once, because the verdict is known.
#[derive(Debug)]
pub struct Responder {
    calls: tokio::sync::mpsc::UnboundedSender<mpsc::Sender<()>>,
    patience: Duration,
    gave_up: AtomicBool,
}

impl Responder {
    /// Spawns the answering task on `runtime`; a call waits at most `patience` (checks
    /// use [`PATIENCE`]).
    pub fn spawn(runtime: &tokio::runtime::Handle, patience: Duration) -> Arc<Responder> {
        let (calls, mut inbox) = tokio::sync::mpsc::unbounded_channel::<mpsc::Sender<()>>();
        runtime.spawn(async move {
            while let Some(caller) = inbox.recv().await {
                let _ = caller.send(());
            }
        });
        Arc::new(Responder {
            calls,
            patience,
            gave_up: AtomicBool::new(false),
        })
    }

    /// Calls the task and waits for its answer: `true` if it answered. Call it from a
    /// thread that is not the runtime's, or it waits for itself.
    pub fn answers(&self) -> bool {
        if self.gave_up.load(Ordering::SeqCst) {
            return false;
        }
        let (answer, answered) = mpsc::channel();
        if self.calls.send(answer).is_err() {
            return false;
        }
        let ok = answered.recv_timeout(self.patience).is_ok();
        if !ok {
            self.gave_up.store(true, Ordering::SeqCst);
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::super::panics::{DeliberatePanic, panic_text};
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_paused_runtime_wakes_once_for_a_long_wait_and_once_per_short_sleep() {
        let (long, short) = run_paused_within(PATIENCE, |wakeups| async move {
            let before = wakeups.count();
            tokio::time::sleep(Duration::from_secs(60)).await;
            let long = wakeups.count() - before;
            let before = wakeups.count();
            for _ in 0..100 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            (long, wakeups.count() - before)
        })
        .expect("sleeps on the paused clock take no real time");
        assert!(long <= 3, "a long wait woke the thread {long} times");
        assert!(
            short >= 100,
            "100 short sleeps woke the thread {short} times"
        );
    }

    #[test]
    fn a_task_that_never_waits_stops_the_paused_clock() {
        let finished = run_paused_within(Duration::from_millis(200), |_| async {
            tokio::spawn(async {
                loop {
                    tokio::task::yield_now().await;
                }
            });
            tokio::time::sleep(Duration::from_secs(1)).await;
        });
        assert!(finished.is_none());
    }

    #[test]
    fn a_hang_on_the_paused_runtime_is_explained() {
        let caught = std::panic::catch_unwind(|| {
            run_paused("a blocked thread", |_| async {
                loop {
                    std::thread::park();
                }
            })
        });
        let payload = caught.expect_err("a hang fails the check");
        assert!(panic_text(&*payload).is_some_and(|text| text.contains("a blocked thread")));
    }

    #[test]
    fn a_panic_on_the_paused_runtime_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            run_paused_within(PATIENCE, |_| async {
                std::panic::panic_any(DeliberatePanic)
            })
        });
        let payload = caught.expect_err("the panic is passed on");
        assert!(payload.is::<DeliberatePanic>());
    }

    #[test]
    fn a_responder_answers_only_while_its_runtime_has_a_free_thread() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a tokio runtime");
        let responder = Responder::spawn(runtime.handle(), Duration::from_millis(100));
        let asked = Arc::clone(&responder);
        let answered = runtime.block_on(async move {
            tokio::task::spawn_blocking(move || asked.answers())
                .await
                .expect("the call")
        });
        assert!(answered, "a free runtime answers");
        // The runtime is not running now: nobody answers, and later calls give up at once.
        let started = Instant::now();
        assert!(!responder.answers());
        assert!(!responder.answers());
        assert!(started.elapsed() < PATIENCE);
    }
}
