//! Jobs that finish in the reverse of their order, so that a call that hands back results
//! in the order its jobs finished is told apart from one that keeps the jobs' order.
//! Left to the scheduler, jobs started one after another tend to finish in that order,
//! and a result collected as it comes looks like one collected in order.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::rendezvous::PATIENCE;
use super::threads::when_this_thread_ends;

/// Makes `jobs` jobs that run at the same time finish last to first: job `i` (counted
/// from 0) starts its work only once every job after it has finished its own. A job
/// that has waited [`PATIENCE`] for the later ones (they do not run at the same time as
/// it) gives up, and so does every job after it: the order is then left to chance, and
/// [`FinishInReverse::gave_up`] says so. Another check tells that the jobs ran one after
/// another; this one is about the order of their results.
#[derive(Debug)]
pub struct FinishInReverse {
    jobs: usize,
    state: Mutex<Finished>,
    changed: Condvar,
}

#[derive(Debug)]
struct Finished {
    /// How many jobs, counted from the last, have finished.
    count: usize,
    gave_up: bool,
}

impl FinishInReverse {
    pub const fn new(jobs: usize) -> FinishInReverse {
        FinishInReverse {
            jobs,
            state: Mutex::new(Finished {
                count: 0,
                gave_up: false,
            }),
            changed: Condvar::new(),
        }
    }

    fn finished(&self) -> MutexGuard<'_, Finished> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `work` as job `index`, once the jobs after it have finished; the job has
    /// finished when `work` returns or panics. What the caller does with the result
    /// right after (sending it, say) may still race with the next job: for a job that
    /// is the whole of a thread, [`FinishInReverse::thread`] orders more.
    pub fn job<R>(&self, index: usize, work: impl FnOnce() -> R) -> R {
        self.wait_for_the_later_jobs(index);
        let _finish = Finish(self);
        work()
    }

    /// Runs `work` as job `index` on a thread that runs nothing else, once the jobs
    /// after it have finished; the job has finished when its thread has ended (as its
    /// thread-local values are dropped, which `join` waits for), so whatever the thread
    /// does with the result is over before the next job starts. A thread that does not
    /// end (a pool's) never lets the earlier jobs start: they give up.
    pub fn thread<R>(&'static self, index: usize, work: impl FnOnce() -> R) -> R {
        self.wait_for_the_later_jobs(index);
        when_this_thread_ends(move || drop(Finish(self)));
        work()
    }

    fn wait_for_the_later_jobs(&self, index: usize) {
        assert!(index < self.jobs, "job {index} of {}", self.jobs);
        let later_jobs = self.jobs - 1 - index;
        let deadline = Instant::now() + PATIENCE;
        let mut finished = self.finished();
        while finished.count < later_jobs && !finished.gave_up {
            let now = Instant::now();
            if now >= deadline {
                finished.gave_up = true;
                self.changed.notify_all();
                break;
            }
            finished = self
                .changed
                .wait_timeout(finished, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Whether a job gave up waiting for the later ones, so that the jobs may have
    /// finished in any order.
    pub fn gave_up(&self) -> bool {
        self.finished().gave_up
    }
}

/// Counts a job as finished when dropped: after its work, even work that panics.
struct Finish<'a>(&'a FinishInReverse);

impl Drop for Finish<'_> {
    fn drop(&mut self) {
        self.0.finished().count += 1;
        self.0.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn jobs_at_the_same_time_finish_last_to_first() {
        let order = FinishInReverse::new(4);
        let (finished, finishing_order) = mpsc::channel();
        std::thread::scope(|scope| {
            for index in 0..4 {
                let (order, finished) = (&order, finished.clone());
                scope.spawn(move || order.job(index, || finished.send(index).unwrap()));
            }
        });
        drop(finished);
        assert_eq!(finishing_order.iter().collect::<Vec<_>>(), [3, 2, 1, 0]);
        assert!(!order.gave_up());
    }

    #[test]
    fn threads_end_last_to_first() {
        static ORDER: FinishInReverse = FinishInReverse::new(3);
        let (ended, ending_order) = mpsc::channel();
        let threads: Vec<_> = (0..3)
            .map(|index| {
                let ended = ended.clone();
                std::thread::spawn(move || {
                    ORDER.thread(index, || ());
                    // After the job, still before the thread's end.
                    ended.send(index).unwrap();
                })
            })
            .collect();
        drop(ended);
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(ending_order.iter().collect::<Vec<_>>(), [2, 1, 0]);
        assert!(!ORDER.gave_up());
    }

    #[test]
    fn a_job_that_panics_has_finished_too() {
        crate::check::quiet_deliberate_panics();
        let order = FinishInReverse::new(2);
        std::thread::scope(|scope| {
            let first = scope.spawn(|| order.job(0, || 0));
            let last = scope.spawn(|| order.job(1, || -> u8 { panic!("on purpose") }));
            assert!(last.join().is_err());
            assert_eq!(first.join().unwrap(), 0);
        });
        assert!(!order.gave_up());
    }
}
