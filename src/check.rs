//! Helpers that let a check observe concurrent behaviour deterministically, without
//! timing a computation or sleeping for ordering.

use std::any::Any;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Once, PoisonError, mpsc};
use std::time::{Duration, Instant};

/// How long a party waits at a [`Rendezvous`] for the others before giving up. Long
/// enough for a busy two-core machine to schedule a thread; short enough that a
/// sequential answer is reported promptly.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// A meeting point that opens only when `parties` threads are inside it at the same
/// time. Work that really runs in parallel opens it at once; work that runs one piece
/// after another never does, and each party gives up after [`PATIENCE`] instead of
/// hanging, so the check can report what happened.
#[derive(Debug)]
pub struct Rendezvous {
    parties: usize,
    state: Mutex<Meeting>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Meeting {
    inside: usize,
    most_inside: usize,
    arrivals: usize,
    opened: bool,
    gave_up: bool,
}

impl Rendezvous {
    pub const fn new(parties: usize) -> Rendezvous {
        Rendezvous {
            parties,
            state: Mutex::new(Meeting {
                inside: 0,
                most_inside: 0,
                arrivals: 0,
                opened: false,
                gave_up: false,
            }),
            changed: Condvar::new(),
        }
    }

    fn meeting(&self) -> MutexGuard<'_, Meeting> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `work` inside the meeting: waits first until enough parties are inside
    /// together (or patience runs out), then runs it.
    pub fn inside<R>(&self, work: impl FnOnce() -> R) -> R {
        self.arrive();
        let result = work();
        self.meeting().inside -= 1;
        result
    }

    fn arrive(&self) {
        let mut meeting = self.meeting();
        meeting.inside += 1;
        meeting.arrivals += 1;
        meeting.most_inside = meeting.most_inside.max(meeting.inside);
        if meeting.inside >= self.parties {
            meeting.opened = true;
            self.changed.notify_all();
        }
        let deadline = Instant::now() + PATIENCE;
        while !meeting.opened && !meeting.gave_up {
            let now = Instant::now();
            if now >= deadline {
                // One party giving up releases everyone: the verdict is already known.
                meeting.gave_up = true;
                self.changed.notify_all();
                break;
            }
            meeting = self
                .changed
                .wait_timeout(meeting, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Whether `parties` threads were ever inside at the same time.
    pub fn opened(&self) -> bool {
        self.meeting().opened
    }

    /// The most threads that were inside at the same time.
    pub fn most_inside(&self) -> usize {
        self.meeting().most_inside
    }

    /// How many times a thread arrived.
    pub fn arrivals(&self) -> usize {
        self.meeting().arrivals
    }
}

/// Runs `work` on a helper thread and waits at most `patience` for it to return.
/// `None` means it had not returned by then (it is left running), so a check can
/// explain a hang in its own words before the runner's timeout ends the test.
pub fn returns_within<T: Send + 'static>(
    patience: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (returned, result) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = returned.send(work());
    });
    result.recv_timeout(patience).ok()
}

/// A rayon pool of exactly two threads: room for two pieces of work at once on any
/// machine, even one with a single core, so a check of parallelism does not depend on
/// the machine it runs on.
pub fn two_thread_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a rayon pool of two threads")
}

/// The payload of a panic a check causes on purpose, when it must not be text (a check
/// of how code handles a non-text panic, say).
#[derive(Debug)]
pub struct DeliberatePanic;

/// The text of a panic's payload: `panic!` gives a `&str` or a `String`.
pub fn panic_text(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// Keeps the panics a check causes on purpose out of the output, so that the first
/// panic a student reads is the check that failed: a panic is deliberate when its
/// payload is a [`DeliberatePanic`] or its text contains "on purpose". Every other panic
/// is reported as usual. Installs the hook once per process.
pub fn quiet_deliberate_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let deliberate = payload.is::<DeliberatePanic>()
                || panic_text(payload).is_some_and(|text| text.contains("on purpose"));
            if !deliberate {
                report(info);
            }
        }));
    });
}

/// Counts how many times it is dropped, into the counter it shares.
#[derive(Debug)]
pub struct DropCounter(pub Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Sets `flag` when the calling thread ends. Thread-local values are dropped as their
/// thread exits, so the flag is set before a `join` on that thread returns: a check can
/// tell whether a function waited for the threads it started.
pub fn set_when_this_thread_ends(flag: Arc<AtomicBool>) {
    struct SetOnDrop(Arc<AtomicBool>);

    impl Drop for SetOnDrop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    thread_local! {
        static AT_THREAD_END: RefCell<Vec<SetOnDrop>> = const { RefCell::new(Vec::new()) };
    }
    AT_THREAD_END.with(|flags| flags.borrow_mut().push(SetOnDrop(flag)));
}

// --- helpers added for C ---

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
/// stops running, so that runtime time cannot move. On the paused clock a correct answer needs next to no real time however much
/// runtime time it waits, so a check can explain a hang in its own words. A panic in the
/// future reaches the caller as that same panic.
pub fn run_paused_within<T, F>(
    patience: Duration,
    make: impl FnOnce(Wakeups) -> F + Send + 'static,
) -> Option<T>
where
    F: Future<Output = T>,
    T: Send + 'static,
{
    let (finished, outcome) = mpsc::channel();
    std::thread::spawn(move || {
        let wakeups = Wakeups::default();
        let runtime = paused_runtime(&wakeups);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            runtime.block_on(make(wakeups))
        }));
        let _ = finished.send(result);
    });
    match outcome.recv_timeout(patience) {
        Ok(Ok(output)) => Some(output),
        Ok(Err(payload)) => std::panic::resume_unwind(payload),
        Err(_) => None,
    }
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

/// A waker that counts how often it was woken, to poll a future by hand and see whether
/// it asked to be polled again.
#[derive(Debug, Default)]
pub struct WakeCounter {
    wakes: AtomicUsize,
}

impl std::task::Wake for WakeCounter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

impl WakeCounter {
    /// A counter and a waker that counts into it.
    pub fn new() -> (Arc<WakeCounter>, std::task::Waker) {
        let counter = Arc::new(WakeCounter::default());
        let waker = std::task::Waker::from(Arc::clone(&counter));
        (counter, waker)
    }

    /// How often the waker (or a clone of it) was woken.
    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

/// Polls `future` once with `waker`, as a runtime would.
pub fn poll_once<F: Future + Unpin>(
    future: &mut F,
    waker: &std::task::Waker,
) -> std::task::Poll<F::Output> {
    std::pin::Pin::new(future).poll(&mut std::task::Context::from_waker(waker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_threads_inside_together_open_it() {
        let rendezvous = Rendezvous::new(2);
        std::thread::scope(|scope| {
            scope.spawn(|| rendezvous.inside(|| ()));
            rendezvous.inside(|| ());
        });
        assert!(rendezvous.opened());
        assert_eq!(rendezvous.most_inside(), 2);
    }

    #[test]
    fn a_thread_end_sets_its_flag_before_join_returns() {
        let ended = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&ended);
        std::thread::spawn(move || set_when_this_thread_ends(flag))
            .join()
            .unwrap();
        assert!(ended.load(Ordering::SeqCst));
    }

    #[test]
    fn work_that_does_not_return_in_time_gives_none() {
        assert_eq!(returns_within(PATIENCE, || 7), Some(7));
        let (_keep_open, never) = mpsc::channel::<()>();
        assert_eq!(
            returns_within(Duration::from_millis(50), move || never.recv().ok()),
            None
        );
    }

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

    #[test]
    fn a_wake_counter_counts_wakes_of_its_clones() {
        let (counter, waker) = WakeCounter::new();
        waker.wake_by_ref();
        let clone = waker.clone();
        clone.wake();
        assert_eq!(counter.wakes(), 2);
        let mut ready = std::future::ready(5);
        assert_eq!(poll_once(&mut ready, &waker), std::task::Poll::Ready(5));
    }
}
