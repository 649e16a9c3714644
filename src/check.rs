//! Helpers that let a check observe concurrent behaviour deterministically, without
//! timing a computation or sleeping for ordering.

use std::alloc::{GlobalAlloc, Layout, System};
use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
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
///
/// A panic in `work` is not a hang: it is resumed on the calling thread as soon as it
/// happens, with its own payload, so the check fails with the work's own message (the
/// helper thread has already printed it, with the place where it happened).
pub fn returns_within<T: Send + 'static>(
    patience: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (returned, result) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = returned.send(std::panic::catch_unwind(AssertUnwindSafe(work)));
    });
    match result.recv_timeout(patience) {
        Ok(Ok(value)) => Some(value),
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => None,
    }
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
/// is reported as usual (but for those on the thread of an [`ending_within`], which
/// hands them to the check). Installs the hook once per process.
pub fn quiet_deliberate_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let deliberate = payload.is::<DeliberatePanic>()
                || panic_text(payload).is_some_and(|text| text.contains("on purpose"))
                || PANICS_GO_TO_THE_CHECK.get()
                || (STEP_LIMIT_GOES_TO_THE_CHECK.get()
                    && panic_text(payload).is_some_and(|text| text.contains(LOOM_STEP_LIMIT)));
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

// --- helpers added for A ---

std::thread_local! {
    /// Set on a thread whose panics are handed to the check, which explains them.
    static PANICS_GO_TO_THE_CHECK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Set while [`model_within_steps`] runs, which explains loom's step limit itself.
    static STEP_LIMIT_GOES_TO_THE_CHECK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What loom's panic says when an interleaving takes more steps than allowed.
const LOOM_STEP_LIMIT: &str = "maximum number of branches";

/// Explores every interleaving of `model`, as `loom::model` does, but allows each
/// interleaving at most `max_steps` steps (loom's branch points: atomic operations,
/// locks, yields, ...). An interleaving that needs more fails with `too_many`, in place
/// of loom's own message, which blames a loop that does not yield.
///
/// This is how a model tells a thread that sleeps from one that polls: while nothing
/// happens (another thread only yields, `steps` times), a thread blocked on a `Condvar`,
/// `park` or a channel takes no step at all, while a poller takes a few on every turn.
/// Choose `max_steps` well above what the sleeping version needs and well below what a
/// poller needs.
#[cfg(feature = "loom")]
pub fn model_within_steps<F>(max_steps: usize, too_many: &str, model: F)
where
    F: Fn() + Sync + Send + 'static,
{
    let mut builder = loom::model::Builder::new();
    builder.max_branches = max_steps;
    quiet_deliberate_panics();
    STEP_LIMIT_GOES_TO_THE_CHECK.set(true);
    let explored = std::panic::catch_unwind(AssertUnwindSafe(|| builder.check(model)));
    STEP_LIMIT_GOES_TO_THE_CHECK.set(false);
    if let Err(payload) = explored {
        if panic_text(&*payload).is_some_and(|text| text.contains(LOOM_STEP_LIMIT)) {
            panic!("{too_many}");
        }
        // Any other failure was reported where it happened.
        std::panic::resume_unwind(payload);
    }
}

/// Keeps the panics of the calling thread out of the output, whatever their payload:
/// for work that a check hands to the code under test and that panics on purpose, when
/// the check reports itself what became of the panic (and may quote its message, which
/// then must not be mistaken for a deliberate panic).
pub fn quiet_panics_on_this_thread() {
    quiet_deliberate_panics();
    PANICS_GO_TO_THE_CHECK.set(true);
}

/// How a call that was given work ended, as seen by [`ending_within`].
#[derive(Debug)]
pub enum Ending<R> {
    /// It returned this value.
    Returned(R),
    /// It panicked with this payload.
    Panicked(Box<dyn Any + Send>),
    /// It had not ended when patience ran out (it is left running).
    StillRunning,
}

/// Runs `call` on a helper thread and tells how it ended within `patience`: returned,
/// panicked (with the payload, so that a check can tell the work's own panic from one
/// the call made up), or still running. A panic on that thread is not printed: the
/// check reports it in its own words. Deliberate panics stay quiet everywhere.
pub fn ending_within<R: Send + 'static>(
    patience: Duration,
    call: impl FnOnce() -> R + Send + 'static,
) -> Ending<R> {
    quiet_deliberate_panics();
    let caught = || {
        quiet_panics_on_this_thread();
        std::panic::catch_unwind(AssertUnwindSafe(call))
    };
    match returns_within(patience, caught) {
        Some(Ok(value)) => Ending::Returned(value),
        Some(Err(payload)) => Ending::Panicked(payload),
        None => Ending::StillRunning,
    }
}

/// Runs `call`, which runs work that panics, and returns the panic that reached the
/// caller, to compare with the work's own. Fails, saying so, when `call` (named `name`
/// in the message) returned instead, or had not returned after [`PATIENCE`], as a call
/// does that waits for a result that a thread that panicked never delivers.
pub fn panic_reaching_the_caller<R: std::fmt::Debug + Send + 'static>(
    name: &str,
    call: impl FnOnce() -> R + Send + 'static,
) -> Box<dyn Any + Send> {
    match ending_within(PATIENCE, call) {
        Ending::Panicked(payload) => payload,
        Ending::Returned(value) => panic!(
            "expected the work's panic to reach the caller of `{name}`, but `{name}` \
             returned {value:?}"
        ),
        Ending::StillRunning => panic!(
            "expected the work's panic to reach the caller of `{name}`, but `{name}` had \
             not returned after {PATIENCE:?}: it waits for a result that a thread that \
             panicked never delivers. `join` returns `Err(payload)` when the thread \
             panicked."
        ),
    }
}

/// How long a thread tracked by [`ThreadEnds`] lingers at its end for the call that
/// started it to return. A call that does not wait for its threads returns within
/// microseconds of their work; a quarter of a second is a generous margin on a busy
/// machine, and a call that does wait is never affected (it pays this time once).
pub const LINGER: Duration = Duration::from_millis(250);

/// Tells whether a call waited for the threads it started to end before it returned.
///
/// The work of each thread calls [`ThreadEnds::track_this_thread`]. At the end of that
/// thread (after its work, as its thread-local values are dropped, which `join` waits
/// for) the thread lingers, at most [`LINGER`], until the check calls
/// [`ThreadEnds::after_return`], and only then counts as ended. A call that joins its
/// threads returns after every one has ended; a call that leaves them running returns
/// while they linger, and `after_return` sees them still running. Nothing depends on
/// timing for a call that joins: its threads end before it returns, however slowly.
#[derive(Debug, Default)]
pub struct ThreadEnds {
    state: Mutex<Ends>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Ends {
    tracked: usize,
    ended: usize,
    returned: bool,
}

impl ThreadEnds {
    pub fn new() -> Arc<ThreadEnds> {
        Arc::new(ThreadEnds::default())
    }

    fn ends(&self) -> MutexGuard<'_, Ends> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tracks the calling thread: its end is counted as described on [`ThreadEnds`].
    pub fn track_this_thread(self: &Arc<Self>) {
        struct CountOnDrop(Arc<ThreadEnds>);

        impl Drop for CountOnDrop {
            fn drop(&mut self) {
                let ends = self.0.ends();
                let (mut ends, _) = self
                    .0
                    .changed
                    .wait_timeout_while(ends, LINGER, |ends| !ends.returned)
                    .unwrap_or_else(PoisonError::into_inner);
                ends.ended += 1;
                self.0.changed.notify_all();
            }
        }

        thread_local! {
            static AT_THREAD_END: RefCell<Vec<CountOnDrop>> = const { RefCell::new(Vec::new()) };
        }
        self.ends().tracked += 1;
        AT_THREAD_END.with(|ends| ends.borrow_mut().push(CountOnDrop(Arc::clone(self))));
    }

    /// To call as soon as the call under test has returned: how many tracked threads
    /// had ended by then, and how many were tracked. Lets the others end.
    pub fn after_return(&self) -> (usize, usize) {
        let mut ends = self.ends();
        let seen = (ends.ended, ends.tracked);
        ends.returned = true;
        self.changed.notify_all();
        seen
    }
}

/// How long, in real time, the polls of a future may hold their thread before a check
/// calls it blocked. A future that awaits gives its thread back within microseconds;
/// half a second is a generous margin for a busy machine, and a blocking second (a
/// `std::thread::sleep` kept before an awaited timer, say) is always over it. The
/// paused clock of a tokio test cannot show blocking: it does not move while the
/// thread is blocked.
pub const HELD_TOO_LONG: Duration = Duration::from_millis(500);

/// Awaits `future` and measures how long, in real time, its polls held the thread,
/// summed over every poll: the time during which nothing else could run there.
pub async fn thread_time<F: std::future::Future>(future: F) -> (F::Output, Duration) {
    let mut future = std::pin::pin!(future);
    let mut held = Duration::ZERO;
    let output = std::future::poll_fn(|context| {
        let start = Instant::now();
        let poll = future.as_mut().poll(context);
        held += start.elapsed();
        poll
    })
    .await;
    (output, held)
}

/// Bytes allocated through [`CountingAllocator`] and not yet freed.
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

/// How many allocations that hold a [`Bulky`] are live.
static LIVE_BULKY: AtomicUsize = AtomicUsize::new(0);

fn holds_a_bulky(size: usize) -> bool {
    (BULKY_SIZE..BULKY_SIZE + 64).contains(&size)
}

fn allocated(size: usize) {
    LIVE_BYTES.fetch_add(size, Ordering::SeqCst);
    if holds_a_bulky(size) {
        LIVE_BULKY.fetch_add(1, Ordering::SeqCst);
    }
}

fn freed(size: usize) {
    LIVE_BYTES.fetch_sub(size, Ordering::SeqCst);
    if holds_a_bulky(size) {
        LIVE_BULKY.fetch_sub(1, Ordering::SeqCst);
    }
}

/// std's own allocator (`System`), counting what is allocated and not yet freed, so that a
/// check can see memory that code under test leaks, without any tool of the operating
/// system. A test target installs it with
/// `#[global_allocator] static ALLOCATOR: CountingAllocator = CountingAllocator;` and
/// reads, before and after the call, either [`live_bytes`] (every allocation: other
/// threads allocate too, so a check compares with a margin far below what it makes the
/// code leak) or [`live_bulky_allocations`] (only the allocations that hold a [`Bulky`],
/// which nothing else makes, so the count is exact).
#[derive(Debug)]
pub struct CountingAllocator;

// SAFETY: every call is passed on to `System` unchanged; the counts are only bookkeeping.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which `System` has.
        let memory = unsafe { System.alloc(layout) };
        if !memory.is_null() {
            allocated(layout.size());
        }
        memory
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let memory = unsafe { System.alloc_zeroed(layout) };
        if !memory.is_null() {
            allocated(layout.size());
        }
        memory
    }

    unsafe fn dealloc(&self, memory: *mut u8, layout: Layout) {
        // SAFETY: `memory` came from this allocator, that is from `System`, with `layout`.
        unsafe { System.dealloc(memory, layout) };
        freed(layout.size());
    }

    unsafe fn realloc(&self, memory: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; the caller upholds `realloc`'s contract.
        let moved = unsafe { System.realloc(memory, layout, new_size) };
        if !moved.is_null() {
            allocated(new_size);
            freed(layout.size());
        }
        moved
    }
}

/// How many bytes allocated through [`CountingAllocator`] are not yet freed (always 0
/// in a program that does not install it).
pub fn live_bytes() -> usize {
    LIVE_BYTES.load(Ordering::SeqCst)
}

/// How many allocations that hold a [`Bulky`] are live, when [`CountingAllocator`] is the
/// global allocator (always 0 otherwise).
pub fn live_bulky_allocations() -> usize {
    LIVE_BULKY.load(Ordering::SeqCst)
}

// --- helpers added for group B ---

/// Runs `work` on a helper thread, as [`returns_within`] does, and tells a panic from a
/// hang: `Some(Ok(value))` when it returned, `Some(Err(payload))` when it panicked (with
/// the payload it panicked with, so a check can tell whether a panic was passed on or
/// replaced), and `None` when it had done neither after `patience`. A panic on the
/// helper thread is the check's to explain, so it is not printed as well: the first
/// message a student reads is the check's.
pub fn outcome_within<T: Send + 'static>(
    patience: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<std::thread::Result<T>> {
    returns_within(patience, move || {
        keep_this_threads_panics_quiet();
        panic::catch_unwind(AssertUnwindSafe(work))
    })
}

/// Runs `work`, a call of the function named `call` during which `panicked` (say,
/// "a task") panics with the text `expected`, and checks that the call passes that
/// panic on unchanged, as `std::panic::resume_unwind` does with what `join` returns. It
/// fails, saying what was seen, when the call returns instead (the panic was lost), when
/// it panics with another payload (an `unwrap` or `expect` on the `join` replaced it),
/// and when it has done neither after `patience`. Its messages never quote `expected`,
/// which [`quiet_deliberate_panics`] would hide if it says "on purpose".
pub fn assert_passes_the_panic_on<T: fmt::Debug + Send + 'static>(
    call: &str,
    panicked: &str,
    expected: &str,
    patience: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) {
    match outcome_within(patience, work) {
        Some(Err(payload)) => {
            let seen = panic_text(&*payload);
            assert!(
                seen == Some(expected),
                "expected `{call}` to panic with the panic of {panicked}, its payload passed \
                 on unchanged, but it panicked with {}: `unwrap` or `expect` on a `join`, \
                 and a `thread::scope` left to join a thread that panicked, replace the panic \
                 with one of their own. Pass on the payload that `join` returns in `Err` with \
                 `std::panic::resume_unwind`.",
                seen.map_or("a payload that is not text".to_owned(), |seen| format!(
                    "{seen:?}"
                ))
            );
        }
        Some(Ok(returned)) => panic!(
            "expected `{call}` to panic, because {panicked} panicked, but it returned \
             {returned:?}: the panic was lost. Join the thread (`join` returns \
             `Err(payload)` for a thread that panicked) and pass the panic on with \
             `std::panic::resume_unwind`."
        ),
        None => panic!(
            "{panicked} panicked, but {patience:?} later `{call}` had neither returned nor \
             panicked: is something still waiting, for a thread that never ends or on a \
             channel whose `Sender` is still alive?"
        ),
    }
}

thread_local! {
    static PANICS_ARE_QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps the panics of the calling thread out of the output (other threads' panics are
/// reported as usual). Installs the hook that does it once per process.
fn keep_this_threads_panics_quiet() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let report = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !PANICS_ARE_QUIET
                .try_with(std::cell::Cell::get)
                .unwrap_or(false)
            {
                report(info);
            }
        }));
    });
    PANICS_ARE_QUIET.with(|quiet| quiet.set(true));
}

/// Builds rayon's global pool with a single thread. A check that work runs on threads of
/// its own, at the same time, calls it first: work handed to rayon instead
/// (`rayon::join`, a `par_iter`) then runs one piece after another on every machine,
/// where it would run in parallel on a machine with enough cores and in turn on one
/// without. The verdict no longer depends on the number of cores.
pub fn rayon_global_pool_of_one() {
    // Fails only when the pool already exists, which the assertion then checks.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global();
    assert_eq!(
        rayon::current_num_threads(),
        1,
        "rayon's global pool was built before the check could give it a single thread"
    );
}

/// The size in bytes of a [`Bulky`]: large and odd, so that no allocation but one made
/// to hold a `Bulky` has a size from `BULKY_SIZE` to `BULKY_SIZE + 63`.
pub const BULKY_SIZE: usize = 77_777;

/// A value whose heap allocations [`CountingAllocator`] counts: the allocation that holds
/// one, alone (a `Box<Bulky>`) or beside a few words of bookkeeping (the count of a
/// reference-counted box), is between `BULKY_SIZE` and `BULKY_SIZE + 63` bytes long.
#[derive(Debug)]
pub struct Bulky(pub [u8; BULKY_SIZE]);

impl Bulky {
    /// A `Bulky` whose every byte is `fill`.
    pub fn filled_with(fill: u8) -> Bulky {
        Bulky([fill; BULKY_SIZE])
    }
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

// --- helpers added for group D ---

/// How long a check leaves a thread that has run out of work to fall asleep before it
/// gives the thread work again and asks [`parked_since_token_left`] whether it slept. A
/// thread that waits properly needs only a few instructions to park; the margin covers
/// a busy machine that is slow to schedule it.
pub const FALL_ASLEEP: Duration = Duration::from_millis(300);

/// How long [`parked_since_token_left`] waits for a token that is not there.
const TOKEN_WAIT: Duration = Duration::from_millis(100);

/// Leaves a wake-up token with the calling thread, as `unpark` does: the next time the
/// thread parks, `park` returns at once and takes the token. A thread that waits by
/// blocking (in `thread::park`, or in a channel's `recv` or `send`, which park) takes
/// it; a thread that polls (`try_recv` in a loop, `yield_now`, a short `sleep`) never
/// does. Call it on a thread just before it runs out of work, and
/// [`parked_since_token_left`] on the same thread once it has work again.
pub fn leave_wake_up_token() {
    std::thread::current().unpark();
}

/// Whether the calling thread has parked since [`leave_wake_up_token`] (or any
/// `unpark`) left it a token: true when the token is gone. It parks to find out: with
/// the token still there, `park` returns at once; without it, a helper thread unparks
/// it after a short wait. std's `park` returns only once unparked, so a thread that did
/// park is never taken for one that polled.
pub fn parked_since_token_left() -> bool {
    let me = std::thread::current();
    let woke_it = Arc::new(AtomicBool::new(false));
    let (answered, answer) = mpsc::channel::<()>();
    let helper = {
        let woke_it = Arc::clone(&woke_it);
        std::thread::spawn(move || {
            // Disconnected means the probing thread already has its answer.
            if answer.recv_timeout(TOKEN_WAIT) == Err(mpsc::RecvTimeoutError::Timeout) {
                woke_it.store(true, Ordering::SeqCst);
                me.unpark();
            }
        })
    };
    std::thread::park();
    let took_the_token = !woke_it.load(Ordering::SeqCst);
    drop(answered);
    let _ = helper.join();
    if took_the_token && woke_it.load(Ordering::SeqCst) {
        // The helper unparked this thread after `park` had returned: take that token
        // too, so that the probe leaves none behind.
        std::thread::park();
    }
    !took_the_token
}

/// A rayon pool of two threads (like [`two_thread_pool`]) that knows where a check's
/// callback ran: on its own threads, or elsewhere. Code that builds a pool of its own
/// (whose size is the machine's, not the check's) or spawns threads for the work
/// ignores the pool it is called in; `note` called from the callback catches it.
#[derive(Debug)]
pub struct PoolWitness {
    pool: rayon::ThreadPool,
    outside: AtomicUsize,
}

impl PoolWitness {
    /// A witness over a fresh pool of two threads.
    pub fn two_threads() -> PoolWitness {
        PoolWitness {
            pool: two_thread_pool(),
            outside: AtomicUsize::new(0),
        }
    }

    /// Runs `op` in the pool, as `ThreadPool::install` does.
    pub fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        self.pool.install(op)
    }

    /// Records whether the calling thread is one of the pool's; call it from the
    /// callback the checked code runs.
    pub fn note(&self) {
        if self.pool.current_thread_index().is_none() {
            self.outside.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// How many calls of `note` came from threads outside the pool.
    pub fn calls_outside(&self) -> usize {
        self.outside.load(Ordering::SeqCst)
    }
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
    fn a_panic_in_the_work_is_that_panic_not_a_hang() {
        quiet_deliberate_panics();
        // Patience far beyond the test's timeout: only the panic can end the wait.
        let outcome = std::panic::catch_unwind(|| {
            returns_within(Duration::from_secs(3600), || -> u8 {
                panic!("on purpose: the work failed")
            })
        });
        let payload = outcome.expect_err("expected the work's panic, but it returned");
        assert_eq!(panic_text(&*payload), Some("on purpose: the work failed"));

        let outcome = std::panic::catch_unwind(|| {
            returns_within(PATIENCE, || -> u8 {
                std::panic::panic_any(DeliberatePanic)
            })
        });
        let payload = outcome.expect_err("expected the work's panic, but it returned");
        assert!(payload.is::<DeliberatePanic>(), "the payload was replaced");
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

    // --- tests of the helpers added for A ---

    #[test]
    fn ending_within_tells_a_return_a_panic_and_a_hang_apart() {
        assert!(matches!(ending_within(PATIENCE, || 7), Ending::Returned(7)));
        let work = || -> u8 {
            quiet_panics_on_this_thread();
            panic!("the work failed")
        };
        match ending_within(PATIENCE, work) {
            Ending::Panicked(payload) => {
                assert_eq!(panic_text(&*payload), Some("the work failed"));
            }
            other => panic!("expected the panic, got {other:?}"),
        }
        let (_keep_open, never) = mpsc::channel::<()>();
        assert!(matches!(
            ending_within(Duration::from_millis(50), move || never.recv().ok()),
            Ending::StillRunning
        ));
    }

    #[test]
    fn thread_ends_tell_a_joined_thread_from_one_left_running() {
        let ends = ThreadEnds::new();
        let tracked = Arc::clone(&ends);
        std::thread::spawn(move || tracked.track_this_thread())
            .join()
            .unwrap();
        assert_eq!(ends.after_return(), (1, 1), "a joined thread has ended");

        // A thread left running: it ends only after the call has returned.
        let ends = ThreadEnds::new();
        let tracked = Arc::clone(&ends);
        let (started, has_started) = mpsc::channel();
        let (returned, has_returned) = mpsc::channel::<()>();
        let left_running = std::thread::spawn(move || {
            tracked.track_this_thread();
            started.send(()).unwrap();
            let _ = has_returned.recv();
        });
        has_started.recv().unwrap();
        assert_eq!(ends.after_return(), (0, 1), "that thread is still running");
        drop(returned);
        left_running.join().unwrap();
        assert_eq!(ends.ends().ended, 1, "it ended once let go");
    }

    #[test]
    fn thread_time_counts_only_the_time_spent_in_polls() {
        use std::future::Future;
        let blocking = async {
            std::thread::sleep(Duration::from_millis(20));
            7
        };
        let (value, held) = futures::executor::block_on(thread_time(blocking));
        assert_eq!(value, 7);
        assert!(held >= Duration::from_millis(20), "held {held:?}");

        // Waiting 20 ms between two polls: that time is spent waiting, not polling.
        let (send, receive) = futures::channel::oneshot::channel();
        let start = Instant::now();
        let mut waiting = std::pin::pin!(thread_time(async { receive.await.unwrap() }));
        let waker = futures::task::noop_waker();
        let mut context = std::task::Context::from_waker(&waker);
        assert!(waiting.as_mut().poll(&mut context).is_pending());
        std::thread::sleep(Duration::from_millis(20));
        send.send(8).unwrap();
        let std::task::Poll::Ready((value, held)) = waiting.as_mut().poll(&mut context) else {
            panic!("the value was sent");
        };
        let elapsed = start.elapsed();
        assert_eq!(value, 8);
        assert!(
            held + Duration::from_millis(20) <= elapsed,
            "held {held:?} of {elapsed:?}"
        );
    }

    #[test]
    fn the_counting_allocator_counts_what_is_not_yet_freed() {
        // This test binary installs it (below); other tests allocate meanwhile, so the
        // count is compared with a margin far below what is allocated here.
        const BIG: usize = 64 << 20;
        const NOISE: usize = 8 << 20;
        let before = live_bytes();
        let big = vec![1u8; BIG];
        let during = live_bytes();
        assert!(during + NOISE >= before + BIG, "{before} then {during}");
        drop(big);
        let after = live_bytes();
        assert!(after + BIG <= during + NOISE, "{during} then {after}");
    }

    #[cfg(feature = "loom")]
    #[test]
    fn a_model_within_steps_fails_a_poller_in_its_own_words() {
        use loom::sync::atomic::{AtomicBool, Ordering};
        // A waiter that sleeps on a lock takes no step while the other thread idles.
        model_within_steps(100, "too many steps", || {
            let lock = std::sync::Arc::new(loom::sync::Mutex::new(()));
            let held = lock.lock().unwrap();
            let waiter = {
                let lock = std::sync::Arc::clone(&lock);
                loom::thread::spawn(move || drop(lock.lock().unwrap()))
            };
            for _ in 0..40 {
                loom::thread::yield_now();
            }
            drop(held);
            waiter.join().unwrap();
        });
        // A waiter that polls a flag takes steps on every turn.
        let polled = std::panic::catch_unwind(|| {
            model_within_steps(100, "too many steps", || {
                let flag = std::sync::Arc::new(AtomicBool::new(false));
                let waiter = {
                    let flag = std::sync::Arc::clone(&flag);
                    loom::thread::spawn(move || {
                        while !flag.load(Ordering::Acquire) {
                            loom::thread::yield_now();
                        }
                    })
                };
                for _ in 0..40 {
                    loom::thread::yield_now();
                }
                flag.store(true, Ordering::Release);
                waiter.join().unwrap();
            });
        });
        let payload = polled.expect_err("the poller took too many steps");
        assert_eq!(panic_text(&*payload), Some("too many steps"));
    }

    #[test]
    fn the_panic_reaching_the_caller_is_the_calls_own() {
        let call = || -> u8 { std::panic::panic_any(DeliberatePanic) };
        assert!(panic_reaching_the_caller("call", call).is::<DeliberatePanic>());
        let returned = std::panic::catch_unwind(|| panic_reaching_the_caller("call", || 7));
        let failure = returned.expect_err("a call that returns fails the check");
        assert!(panic_text(&*failure).is_some_and(|text| text.contains("returned 7")));
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

    // --- tests of the helpers added for group B ---

    #[global_allocator]
    static ALLOCATOR: CountingAllocator = CountingAllocator;

    #[test]
    fn outcome_within_tells_a_return_from_a_panic_and_a_hang() {
        quiet_deliberate_panics();
        assert!(matches!(outcome_within(PATIENCE, || 7), Some(Ok(7))));
        let panicked = outcome_within(PATIENCE, || panic!("on purpose: a test"));
        let payload = panicked
            .expect("a panic is not a hang")
            .expect_err("the work panicked");
        assert_eq!(panic_text(&*payload), Some("on purpose: a test"));
        let (_keep_open, never) = mpsc::channel::<()>();
        assert!(outcome_within(Duration::from_millis(50), move || never.recv().ok()).is_none());
    }

    #[test]
    fn a_panic_passed_on_unchanged_passes_and_anything_else_fails() {
        quiet_deliberate_panics();
        let expected = "on purpose: the work failed";
        let fails = |work: Box<dyn FnOnce() -> u8 + Send>| {
            panic::catch_unwind(AssertUnwindSafe(|| {
                assert_passes_the_panic_on("work", "the work", expected, PATIENCE, work)
            }))
            .is_err()
        };
        assert_passes_the_panic_on("work", "the work", expected, PATIENCE, move || -> u8 {
            panic!("{expected}")
        });
        assert!(fails(Box::new(|| 7)), "a call that returns loses the panic");
        assert!(
            fails(Box::new(|| panic!("replaced"))),
            "a call that panics with another payload replaces the panic"
        );
        let (_keep_open, never) = mpsc::channel::<u8>();
        assert!(
            panic::catch_unwind(|| {
                assert_passes_the_panic_on(
                    "work",
                    "the work",
                    expected,
                    Duration::from_millis(50),
                    move || never.recv().ok(),
                )
            })
            .is_err(),
            "a call that does not end has not passed the panic on"
        );
    }

    #[test]
    fn the_global_pool_of_one_runs_a_join_on_one_thread() {
        rayon_global_pool_of_one();
        let (left, right) = rayon::join(
            || std::thread::current().id(),
            || std::thread::current().id(),
        );
        assert_eq!(left, right);
    }

    #[test]
    fn the_counting_allocator_counts_only_live_bulky_allocations() {
        let before = live_bulky_allocations();
        let boxed = Box::new(Bulky::filled_with(1));
        let beside_a_count = Arc::new(Bulky::filled_with(2));
        let small = vec![0u8; 1000];
        assert_eq!(live_bulky_allocations(), before + 2);
        assert_eq!(boxed.0[BULKY_SIZE - 1] + beside_a_count.0[0] + small[0], 3);
        drop((boxed, beside_a_count, small));
        assert_eq!(live_bulky_allocations(), before);
    }
}

// --- tests of the helpers added for group D ---

#[test]
fn a_thread_that_parks_takes_the_token() {
    std::thread::spawn(|| {
        leave_wake_up_token();
        std::thread::park();
        assert!(parked_since_token_left());
        // The probe leaves no token: the next probe finds none either.
        assert!(parked_since_token_left());
    })
    .join()
    .unwrap();
}

#[test]
fn a_thread_that_only_yields_keeps_the_token() {
    std::thread::spawn(|| {
        leave_wake_up_token();
        for _ in 0..100 {
            std::thread::yield_now();
        }
        assert!(!parked_since_token_left());
        assert!(parked_since_token_left(), "the probe took the token");
    })
    .join()
    .unwrap();
}

#[test]
fn a_pool_witness_tells_its_threads_from_others() {
    let witness = PoolWitness::two_threads();
    witness.install(|| rayon::join(|| witness.note(), || witness.note()));
    assert_eq!(witness.calls_outside(), 0);
    std::thread::scope(|scope| {
        scope.spawn(|| witness.note());
    });
    witness.note();
    assert_eq!(witness.calls_outside(), 2);
}
