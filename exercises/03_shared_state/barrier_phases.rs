//! # Phases in step with `Barrier`
//!
//! Some parallel work goes in rounds: every thread computes its part of round 1, and
//! round 2 may only start once *all* of round 1 is done, because it reads what the
//! others wrote (a simulation step, a sweep over a grid, a stage of a sort). A
//! `Barrier` made for `n` threads holds each thread that calls `wait()` until all `n`
//! have called it, then lets them all go on. It can be used again for the next round.
//!
//! Often one thread must also do something between two rounds while the others wait,
//! such as swapping the buffers that the rounds read and write. `wait()` tells exactly
//! one of the threads that it is the leader (`is_leader()`); a second `wait()` keeps
//! the others from starting the next round before the leader has finished.
//!
//! Make `run_in_phases` keep its workers in step.

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
    // TODO: one barrier for all the workers, shared by reference.
    let _barrier: Option<Barrier> = None;
    thread::scope(|scope| {
        for worker in 0..workers {
            let (step, between) = (&step, &between);
            scope.spawn(move || {
                for phase in 0..phases {
                    step(worker, phase);
                    // TODO: wait until every worker has finished this phase. Then one
                    // worker, the barrier's leader, runs `between`, and no worker
                    // starts the next phase before it is done.
                    if worker == 0 {
                        between(phase);
                    }
                }
            });
        }
    });
}
