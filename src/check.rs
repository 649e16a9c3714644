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

/// How many allocations that hold a [`Bulky`] are live.
static LIVE_BULKY: AtomicUsize = AtomicUsize::new(0);

fn holds_a_bulky(size: usize) -> bool {
    (BULKY_SIZE..BULKY_SIZE + 64).contains(&size)
}

/// std's own allocator (`System`), counting the live allocations that hold a [`Bulky`].
/// A check makes it the global allocator of its test binary
/// (`#[global_allocator] static ALLOCATOR: CountingAllocator = CountingAllocator;`), and
/// [`live_bulky_allocations`] then shows whether code frees the memory it allocated for
/// one: a leak, without any tool of the operating system. No other allocation is counted,
/// so the test harness's threads, allocating meanwhile, do not change the count.
#[derive(Debug)]
pub struct CountingAllocator;

// SAFETY: every call is passed on to `System` unchanged; the count is only bookkeeping.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which `System` has.
        let memory = unsafe { System.alloc(layout) };
        if !memory.is_null() && holds_a_bulky(layout.size()) {
            LIVE_BULKY.fetch_add(1, Ordering::SeqCst);
        }
        memory
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let memory = unsafe { System.alloc_zeroed(layout) };
        if !memory.is_null() && holds_a_bulky(layout.size()) {
            LIVE_BULKY.fetch_add(1, Ordering::SeqCst);
        }
        memory
    }

    unsafe fn dealloc(&self, memory: *mut u8, layout: Layout) {
        if holds_a_bulky(layout.size()) {
            LIVE_BULKY.fetch_sub(1, Ordering::SeqCst);
        }
        // SAFETY: `memory` came from this allocator, that is from `System`, with `layout`.
        unsafe { System.dealloc(memory, layout) }
    }

    unsafe fn realloc(&self, memory: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; the caller upholds `realloc`'s contract.
        let moved = unsafe { System.realloc(memory, layout, new_size) };
        if !moved.is_null() {
            if holds_a_bulky(layout.size()) {
                LIVE_BULKY.fetch_sub(1, Ordering::SeqCst);
            }
            if holds_a_bulky(new_size) {
                LIVE_BULKY.fetch_add(1, Ordering::SeqCst);
            }
        }
        moved
    }
}

/// How many allocations that hold a [`Bulky`] are live, when [`CountingAllocator`] is the
/// global allocator (always 0 otherwise).
pub fn live_bulky_allocations() -> usize {
    LIVE_BULKY.load(Ordering::SeqCst)
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
