//! Checks for `capstone_cache`: values load on first use and are remembered; eight
//! threads asking at once for one missing key run its loader exactly once and all get
//! its value; threads waiting for a value that loads sleep (they do not look the key up
//! again and again), and `get` does not wait for it; the loaders of two different keys
//! run at the same time (the map is not locked while a value loads), and a thread that
//! waits for a value does not hold up other keys; a loader that panics leaves the key
//! missing and the cache usable.

#[path = "../../exercises/10_capstones/capstone_cache.rs"]
mod exercise;

use exercise::Cache;
use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::{Duration, Instant};
use threadlings::check::{
    FALL_ASLEEP, PATIENCE, Rendezvous, anonymously, joins_within, quiet_deliberate_panics,
    returns_within,
};

#[test]
fn loads_a_missing_value_once_and_remembers_it() {
    anonymously(|| {
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
    })
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
    anonymously(|| {
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
    })
}

/// Counts how often the one test that uses it hashed this key: every lookup hashes it.
static WAITED_LOOKUPS: AtomicUsize = AtomicUsize::new(0);

#[derive(PartialEq, Eq)]
struct WaitedKey;

impl Hash for WaitedKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        WAITED_LOOKUPS.fetch_add(1, Ordering::SeqCst);
        0u8.hash(state);
    }
}

const WAITERS: usize = 3;

#[test]
fn threads_waiting_for_a_value_that_loads_sleep() {
    anonymously(|| {
        let cache = Cache::new();
        let (loading_tx, loading) = mpsc::channel();
        let (release_tx, release) = mpsc::channel::<()>();
        let lookups = || WAITED_LOOKUPS.load(Ordering::SeqCst);
        let (values, while_loading) = thread::scope(|scope| {
            let cache = &cache;
            let loader = scope.spawn(move || {
                cache.get_or_insert_with(WaitedKey, || {
                    let _ = loading_tx.send(());
                    // Loads until the check has watched the waiters (longer than the check
                    // waits for anything).
                    let _ = release.recv_timeout(2 * PATIENCE);
                    "loaded".to_string()
                })
            });
            loading
                .recv_timeout(PATIENCE)
                .expect("expected the loader of a missing key to run");
            let waiters: Vec<_> = (0..WAITERS)
                .map(|_| {
                    scope.spawn(|| {
                        cache.get_or_insert_with(WaitedKey, || "loaded again".to_string())
                    })
                })
                .collect();
            // The loader and every waiter look the key up once...
            let deadline = Instant::now() + PATIENCE;
            while lookups() < 1 + WAITERS && Instant::now() < deadline {
                thread::yield_now();
            }
            // ...and then, while the value loads, nothing happens. A waiter that checks again
            // and again, even with a sleep of some milliseconds between checks, looks the key
            // up many times in FALL_ASLEEP; one that sleeps until the value is there, never.
            let looked_up = lookups();
            let watched_until = Instant::now() + FALL_ASLEEP;
            while lookups() == looked_up && Instant::now() < watched_until {
                thread::sleep(Duration::from_millis(1));
            }
            let while_loading = lookups() - looked_up;
            let _ = release_tx.send(());
            let mut values = vec![loader.join().expect("the loader panicked")];
            for waiter in waiters {
                values.push(waiter.join().expect("a waiting thread panicked"));
            }
            (values, while_loading)
        });
        assert!(
            values.iter().all(|value| value == "loaded"),
            "expected the loader and every waiting thread to get the loaded value, got {values:?}"
        );
        assert!(
            while_loading == 0,
            "expected {WAITERS} threads asking for a key whose value was loading to sleep until it \
             was loaded, but they looked the key up {while_loading} more time(s) while the loader \
             ran: they check again and again (the map locked in a loop, with `yield_now` or a \
             short sleep between), which keeps a core busy doing nothing. \
             `OnceLock::get_or_init` puts the threads that find the value loading to sleep, and \
             wakes them when it is there"
        );
    })
}

#[test]
fn get_returns_none_at_once_while_the_value_loads() {
    anonymously(|| {
        let cache = Arc::new(Cache::new());
        let (loading_tx, loading) = mpsc::channel();
        let (release_tx, release) = mpsc::channel::<()>();
        let loader = {
            let cache = Arc::clone(&cache);
            thread::spawn(move || {
                cache.get_or_insert_with(5, || {
                    let _ = loading_tx.send(());
                    let _ = release.recv_timeout(2 * PATIENCE);
                    50
                })
            })
        };
        loading
            .recv_timeout(PATIENCE)
            .expect("expected the loader of a missing key to run");
        let outcome = returns_within(PATIENCE, move || cache.get(&5));
        let _ = release_tx.send(());
        match outcome {
            Some(value) => assert_eq!(
                value, None,
                "expected `get` of a key whose value was still loading to return `None`"
            ),
            None => panic!(
                "expected `get` of a key whose value was still loading to return `None` at once, \
                 but it was still waiting after {PATIENCE:?}: it waits for the loader (the \
                 map's lock held while the value loads, `OnceLock::wait`, `get_or_init`, or a \
                 loop until the value is there). `get` never waits: `OnceLock::get` answers at \
                 once"
            ),
        }
        assert_eq!(
            joins_within(PATIENCE, loader),
            Some(50),
            "expected the loader, once released, to return the value it loaded"
        );
    })
}

static LOADING_TOGETHER: Rendezvous = Rendezvous::new(2);

#[test]
fn loaders_of_different_keys_run_at_the_same_time() {
    anonymously(|| {
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
    })
}

/// Runs `work`, catching a panic: the assertions below say what it means. Panics made on
/// purpose are not printed (see `quiet_deliberate_panics`).
fn caught<R>(work: impl FnOnce() -> R) -> thread::Result<R> {
    panic::catch_unwind(AssertUnwindSafe(work))
}

/// Counts how often the one test that uses it hashed [`TwoKeys::Loading`]: every
/// lookup of that key hashes it, under the map's lock.
static LOADING_LOOKUPS: AtomicUsize = AtomicUsize::new(0);

/// A key whose value loads for a long time, and another one.
#[derive(PartialEq, Eq)]
enum TwoKeys {
    Loading,
    Other,
}

impl Hash for TwoKeys {
    fn hash<H: Hasher>(&self, state: &mut H) {
        if *self == TwoKeys::Loading {
            LOADING_LOOKUPS.fetch_add(1, Ordering::SeqCst);
        }
        (*self == TwoKeys::Loading).hash(state);
    }
}

#[test]
fn a_thread_waiting_for_a_value_does_not_hold_up_other_keys() {
    anonymously(|| {
        let cache = Arc::new(Cache::new());
        let (loading_tx, loading) = mpsc::channel();
        let (release_tx, release) = mpsc::channel::<()>();
        let loader = {
            let cache = Arc::clone(&cache);
            thread::spawn(move || {
                cache.get_or_insert_with(TwoKeys::Loading, || {
                    let _ = loading_tx.send(());
                    let _ = release.recv_timeout(2 * PATIENCE);
                    1
                })
            })
        };
        loading
            .recv_timeout(PATIENCE)
            .expect("expected the loader of a missing key to run");
        let loader_lookups = LOADING_LOOKUPS.load(Ordering::SeqCst);
        let waiter = {
            let cache = Arc::clone(&cache);
            thread::spawn(move || cache.get_or_insert_with(TwoKeys::Loading, || 2))
        };
        // The waiter has looked the key up (and found it loading) once it hashed it.
        let deadline = Instant::now() + PATIENCE;
        while LOADING_LOOKUPS.load(Ordering::SeqCst) == loader_lookups && Instant::now() < deadline
        {
            thread::yield_now();
        }
        let other = {
            let cache = Arc::clone(&cache);
            returns_within(PATIENCE, move || {
                (
                    cache.get(&TwoKeys::Other),
                    cache.get_or_insert_with(TwoKeys::Other, || 3),
                )
            })
        };
        let _ = release_tx.send(());
        assert!(
            other == Some((None, 3)),
            "expected another key to be looked up and loaded at once while a thread waited \
             for the value of a key that was loading, but {}: the waiting thread held the \
             map's lock while it waited (a guard still alive around `get_or_init`), so every \
             lookup waited with it. Clone the slot's `Arc` under the lock, release the lock, \
             and only then wait for the value",
            match other {
                None => format!("it was still waiting after {PATIENCE:?}"),
                Some(got) => format!("got {got:?} instead of (None, 3)"),
            }
        );
        assert_eq!(joins_within(PATIENCE, loader), Some(1));
        assert_eq!(
            joins_within(PATIENCE, waiter),
            Some(1),
            "expected the waiting thread to get the loaded value"
        );
    })
}

#[test]
fn a_loader_that_panics_leaves_the_key_missing() {
    anonymously(|| {
        quiet_deliberate_panics();
        let cache = Arc::new(Cache::new());
        let failed = caught(|| {
            cache.get_or_insert_with(7, || -> u32 { panic!("a loader that fails on purpose") })
        });
        assert!(
            failed.is_err(),
            "expected the loader's panic to reach its caller"
        );
        // Watched: a cache that waits for a value that will never load would hang here.
        let missing = {
            let cache = Arc::clone(&cache);
            returns_within(PATIENCE, move || caught(|| cache.get(&7)))
        };
        assert!(
            matches!(missing, Some(Ok(None))),
            "expected a key whose loader panicked to be missing (`get` returns `None`), but \
             `get` {}",
            match missing {
                Some(Ok(value)) => format!("returned {value:?}"),
                Some(Err(_)) => "panicked: was the map's lock held while the loader panicked? \
                                 That poisons the `Mutex`"
                    .to_string(),
                None => format!(
                    "was still waiting after {PATIENCE:?}: it waits for a value that will never \
                     load. `get` never waits: `OnceLock::get` answers at once"
                ),
            }
        );
        let retried = {
            let cache = Arc::clone(&cache);
            returns_within(PATIENCE, move || {
                caught(|| cache.get_or_insert_with(7, || 70))
            })
        };
        assert!(
            matches!(retried, Some(Ok(70))),
            "expected the next lookup after a failed load to load the key again and return \
             70, but it {}",
            match retried {
                Some(Ok(value)) => format!("returned {value}"),
                Some(Err(_)) => "panicked: a panic while the map's lock is held poisons the \
                                 `Mutex`; run the loader with the lock released"
                    .to_string(),
                None => format!(
                    "was still waiting after {PATIENCE:?}: it waits for the loader that \
                     panicked. Let the slot decide who loads (`OnceLock::get_or_init`): when a \
                     loader panics, the next thread that asks runs its own"
                ),
            }
        );
    })
}
