//! # Phases in step with `Barrier`
//!
//! The first `wait()` of a phase returns only when every worker has finished its step,
//! and names one of them the leader, which runs `between`. The second `wait()` holds
//! everyone until the leader has finished too. The same barrier serves every phase,
//! because it resets each time all the workers have passed it.

use std::sync::Barrier;
use std::thread;

/// Runs `workers` threads through `phases` phases. In each phase every worker calls
/// `step(worker, phase)`; once all of them have finished the phase, exactly one worker
/// calls `between(phase)`; and no worker starts the next phase before that has
/// finished.
pub fn run_in_phases<S, B>(workers: usize, phases: usize, step: S, between: B)
where
    S: Fn(usize, usize) + Sync,
    B: Fn(usize) + Sync,
{
    let barrier = Barrier::new(workers);
    thread::scope(|scope| {
        for worker in 0..workers {
            let (step, between, barrier) = (&step, &between, &barrier);
            scope.spawn(move || {
                for phase in 0..phases {
                    step(worker, phase);
                    if barrier.wait().is_leader() {
                        between(phase);
                    }
                    barrier.wait();
                }
            });
        }
    });
}
