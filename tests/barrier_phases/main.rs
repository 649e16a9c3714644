//! Checks for `barrier_phases`: the workers run at the same time, every step and every
//! `between` runs exactly once, and the phases never overlap: all the steps of a phase
//! end before its `between` starts, and `between` ends before any step of the next
//! phase starts. To give a wrong answer every chance to show itself, the steps take
//! uneven amounts of work, so workers without a barrier drift apart.

#[path = "../../exercises/03_shared_state/barrier_phases.rs"]
mod exercise;

use std::sync::{Condvar, Mutex};
use threadlings::check::{LINGER, Rendezvous, anonymously};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    StepStarted { worker: usize, phase: usize },
    StepEnded { worker: usize, phase: usize },
    BetweenStarted { phase: usize },
    BetweenEnded { phase: usize },
}

/// Some work, so that the steps take uneven times; a wait for nothing, not a sleep.
fn busy(rounds: u64) {
    let mut sum = 0u64;
    for round in 0..rounds {
        sum = std::hint::black_box(sum.wrapping_add(round));
    }
    std::hint::black_box(sum);
}

const WORKERS: usize = 3;
const PHASES: usize = 60;

/// Runs the student's `run_in_phases` and records, in order, what happened.
///
/// With `hold`, two moments are stretched so that a wrong answer cannot slip past them
/// by luck: `between(0)` waits (at most [`LINGER`]) for a worker to start phase 1, and
/// worker 1's step of phase 1 waits (as long) for `between(1)` to start. With a barrier
/// neither ever happens, and each wait just runs out; without one, it happens at once.
fn record_a_run(first_phase_meeting: Option<&Rendezvous>, hold: bool) -> Vec<Event> {
    let log = Mutex::new(Vec::new());
    let noted = Condvar::new();
    let note = |event| {
        log.lock().unwrap().push(event);
        noted.notify_all();
    };
    let hold_until = |event: Event| {
        if hold {
            let events = log.lock().unwrap();
            let _ = noted
                .wait_timeout_while(events, LINGER, |events| {
                    !events.iter().any(|noted| same_moment(*noted, event))
                })
                .unwrap();
        }
    };
    exercise::run_in_phases(
        WORKERS,
        PHASES,
        |worker, phase| {
            note(Event::StepStarted { worker, phase });
            if let (Some(meeting), 0) = (first_phase_meeting, phase) {
                meeting.inside(|| ());
            }
            if (worker, phase) == (1, 1) {
                hold_until(Event::BetweenStarted { phase: 1 });
            }
            // One worker per phase takes much longer than the others.
            let slow = phase % WORKERS == worker;
            busy(if slow { 20_000 } else { 100 });
            note(Event::StepEnded { worker, phase });
        },
        |phase| {
            note(Event::BetweenStarted { phase });
            if phase == 0 {
                hold_until(Event::StepStarted {
                    worker: ANY_WORKER,
                    phase: 1,
                });
            }
            busy(5_000);
            note(Event::BetweenEnded { phase });
        },
    );
    log.into_inner().unwrap()
}

/// Stands for every worker in an event that [`record_a_run`] waits for.
const ANY_WORKER: usize = usize::MAX;

/// Whether `noted` is the moment `awaited` stands for.
fn same_moment(noted: Event, awaited: Event) -> bool {
    match (noted, awaited) {
        (
            Event::StepStarted { worker, phase },
            Event::StepStarted {
                worker: awaited_worker,
                phase: awaited_phase,
            },
        ) => phase == awaited_phase && (awaited_worker == ANY_WORKER || worker == awaited_worker),
        _ => noted == awaited,
    }
}

/// The first way in which `log` breaks the phases, in words for the student.
fn first_violation(log: &[Event]) -> Option<String> {
    for worker in 0..WORKERS {
        for phase in 0..PHASES {
            let steps = log
                .iter()
                .filter(|event| **event == Event::StepStarted { worker, phase })
                .count();
            if steps != 1 {
                return Some(format!(
                    "worker {worker} ran its step of phase {phase} {steps} times; expected once"
                ));
            }
        }
    }
    for phase in 0..PHASES {
        let betweens = log
            .iter()
            .filter(|event| **event == Event::BetweenStarted { phase })
            .count();
        if betweens != 1 {
            return Some(format!(
                "`between({phase})` ran {betweens} times; expected exactly once, by one \
                 worker (the barrier's leader), not once per worker"
            ));
        }
    }
    // Walk the log in order, remembering which phase has been finished.
    let mut finished_steps = [0usize; PHASES];
    let mut between_done = [false; PHASES];
    for event in log {
        match *event {
            Event::StepStarted { worker, phase } if phase > 0 => {
                let previous = phase - 1;
                if finished_steps[previous] < WORKERS {
                    return Some(format!(
                        "worker {worker} started phase {phase} while only {} of the {WORKERS} \
                         workers had finished phase {previous}: each worker must wait at a \
                         barrier until all have finished the phase",
                        finished_steps[previous]
                    ));
                }
                if !between_done[previous] {
                    return Some(format!(
                        "worker {worker} started phase {phase} before `between({previous})` \
                         had finished: after the leader runs `between`, wait at the barrier \
                         once more so that nobody starts the next phase too early"
                    ));
                }
            }
            Event::StepEnded { phase, .. } => finished_steps[phase] += 1,
            Event::BetweenStarted { phase } if finished_steps[phase] < WORKERS => {
                return Some(format!(
                    "`between({phase})` started while only {} of the {WORKERS} workers had \
                     finished phase {phase}: run it after a barrier wait, by the leader",
                    finished_steps[phase]
                ));
            }
            Event::BetweenEnded { phase } => between_done[phase] = true,
            _ => {}
        }
    }
    None
}

static FIRST_PHASE: Rendezvous = Rendezvous::new(WORKERS);

#[test]
fn the_workers_run_their_steps_at_the_same_time() {
    anonymously(|| {
        let log = record_a_run(Some(&FIRST_PHASE), false);
        assert!(
            FIRST_PHASE.opened(),
            "expected the {WORKERS} workers to run their first step at the same time, on \
             threads of their own, but at most {} did",
            FIRST_PHASE.most_inside()
        );
        if let Some(violation) = first_violation(&log) {
            panic!("{violation}");
        }
    })
}

#[test]
fn the_phases_never_overlap() {
    anonymously(|| {
        // Several runs: a wrong answer rarely keeps its workers in step through one of
        // them, and never through all; the first run holds two moments open, so that the
        // overlaps they would show cannot be missed.
        for run in 0..5 {
            let log = record_a_run(None, run == 0);
            if let Some(violation) = first_violation(&log) {
                panic!("{violation}");
            }
        }
    })
}
