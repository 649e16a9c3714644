//! rayon pools of a size the check chooses, so that a verdict on parallel work does not
//! depend on the machine's number of cores.

use std::sync::atomic::{AtomicUsize, Ordering};

/// A rayon pool of exactly two threads: room for two pieces of work at once on any
/// machine, even one with a single core, so a check of parallelism does not depend on
/// the machine it runs on.
pub fn two_thread_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a rayon pool of two threads")
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
    fn the_global_pool_of_one_runs_a_join_on_one_thread() {
        rayon_global_pool_of_one();
        let (left, right) = rayon::join(
            || std::thread::current().id(),
            || std::thread::current().id(),
        );
        assert_eq!(left, right);
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
}
