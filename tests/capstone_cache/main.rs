//! Checks for `capstone_cache`: values load on first use and are remembered; eight
//! threads asking at once for one missing key run its loader exactly once and all get
//! its value; the loaders of two different keys run at the same time (the map is not
//! locked while a value loads); a loader that panics leaves the key missing and the
//! cache usable.

#[path = "../../exercises/10_capstones/capstone_cache.rs"]
mod exercise;

use exercise::Cache;
use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;
use threadlings::check::{PATIENCE, Rendezvous};

#[test]
fn loads_a_missing_value_once_and_remembers_it() {
    let cache = Cache::new();
    assert_eq!(cache.get(&"answer"), None, "a new cache holds nothing");
    assert_eq!(cache.get_or_insert_with("answer", || 42), 42);
    assert_eq!(
        cache.get_or_insert_with("answer", || panic!("the value was loaded already")),
        42,
        "expected the second lookup of a key to return the remembered value"
    );
    assert_eq!(
        cache.get(&"answer"),
        Some(42),
        "expected `get` to see a loaded value"
    );
    assert_eq!(cache.get(&"other"), None, "a key never loaded is missing");
}

const ASKERS: usize = 8;

/// Counts how often the one test that uses it hashed this key: every lookup in a
/// `HashMap` hashes its key, so the count tells how many lookups have happened.
static LOOKUPS: AtomicUsize = AtomicUsize::new(0);

#[derive(PartialEq, Eq)]
struct CountedKey(u32);

impl Hash for CountedKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        LOOKUPS.fetch_add(1, Ordering::SeqCst);
        self.0.hash(state);
    }
}

#[test]
fn many_threads_asking_for_one_missing_key_load_it_once() {
    let cache = Cache::new();
    let loads = AtomicUsize::new(0);
    let start = Barrier::new(ASKERS);
    let load = || {
        loads.fetch_add(1, Ordering::SeqCst);
        // The first loader waits until every asker has looked the key up, so all of
        // them ask while the value is still missing. A cache that lets each of them
        // load shows it now; one whose lock is held here never gets there, and the
        // loader goes on after PATIENCE.
        let deadline = Instant::now() + PATIENCE;
        while LOOKUPS.load(Ordering::SeqCst) < ASKERS && Instant::now() < deadline {
            thread::yield_now();
        }
        "loaded".to_string()
    };
    let values: Vec<String> = thread::scope(|scope| {
        let askers: Vec<_> = (0..ASKERS)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    cache.get_or_insert_with(CountedKey(7), load)
                })
            })
            .collect();
        askers
            .into_iter()
            .map(|asker| asker.join().expect("a thread asking the cache panicked"))
            .collect()
    });
    let loads = loads.load(Ordering::SeqCst);
    assert_eq!(
        loads, 1,
        "expected {ASKERS} threads asking for one missing key at the same time to run its \
         loader once, but it ran {loads} times. Checking for the key, releasing the lock, \
         loading and inserting lets every thread that found the key missing load it: give \
         each key a slot (`Arc<OnceLock<V>>`) created under the lock, and let the slot \
         run the loader once"
    );
    assert!(
        values.iter().all(|value| value == "loaded"),
        "expected every asker to get the loaded value, got {values:?}"
    );
}

static LOADING_TOGETHER: Rendezvous = Rendezvous::new(2);

#[test]
fn loaders_of_different_keys_run_at_the_same_time() {
    let cache = Cache::new();
    thread::scope(|scope| {
        for key in [1, 2] {
            let cache = &cache;
            scope.spawn(move || {
                cache.get_or_insert_with(key, || LOADING_TOGETHER.inside(|| key * 10))
            });
        }
    });
    assert!(
        LOADING_TOGETHER.opened(),
        "expected the loaders of keys 1 and 2, asked for by two threads at once, to run \
         at the same time, but one waited for the other to finish: the map's lock is held \
         while a value loads, so a slow load stops every other lookup. Hold the lock only \
         to find or create the key's slot, and load outside it"
    );
    assert_eq!((cache.get(&1), cache.get(&2)), (Some(10), Some(20)));
}

/// Runs `work`, catching a panic without printing it: the panics here are expected, and
/// the assertions below say what they mean.
fn quietly<R>(work: impl FnOnce() -> R) -> thread::Result<R> {
    let report = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    panic::set_hook(report);
    result
}

#[test]
fn a_loader_that_panics_leaves_the_key_missing() {
    let cache = Cache::new();
    let failed = quietly(|| {
        cache.get_or_insert_with(7, || -> u32 { panic!("a loader that fails on purpose") })
    });
    assert!(
        failed.is_err(),
        "expected the loader's panic to reach its caller"
    );
    let missing = quietly(|| cache.get(&7));
    assert!(
        matches!(missing, Ok(None)),
        "expected a key whose loader panicked to be missing (`get` returns `None`), but \
         `get` {}",
        match missing {
            Ok(value) => format!("returned {value:?}"),
            Err(_) => "panicked: was the map's lock held while the loader panicked? That \
                       poisons the `Mutex`"
                .to_string(),
        }
    );
    let retried = quietly(|| cache.get_or_insert_with(7, || 70));
    assert!(
        matches!(retried, Ok(70)),
        "expected the next lookup after a failed load to load the key again and return \
         70, but it {}",
        match retried {
            Ok(value) => format!("returned {value}"),
            Err(_) => "panicked: a panic while the map's lock is held poisons the `Mutex`; \
                       run the loader with the lock released"
                .to_string(),
        }
    );
}
