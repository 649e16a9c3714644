//! A meeting point that proves that threads ran at the same time, and [`PATIENCE`], how
//! long a check waits for what should happen at once.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
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
    /// When the first party arrived: the arrivals' times are counted from it.
    first_arrival: Option<Instant>,
    /// Each arrival's thread and time, for the report of a meeting that never opened.
    arrived: Vec<(String, Duration)>,
}

impl Meeting {
    /// Who arrived at a meeting that never opened, and when.
    fn report(&self, parties: usize) -> String {
        let arrivals: Vec<String> = self
            .arrived
            .iter()
            .map(|(thread, at)| format!("{thread} at {:.2} s", at.as_secs_f64()))
            .collect();
        format!(
            "a rendezvous of {parties} threads never opened: {} arrived, at most {} inside at once ({})",
            self.arrivals,
            self.most_inside,
            arrivals.join(", ")
        )
    }
}

/// The running thread, as a report names it: its name, or its id.
fn this_thread() -> String {
    let thread = std::thread::current();
    match thread.name() {
        Some(name) => format!("thread `{name}`"),
        None => format!("{:?}", thread.id()),
    }
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
                first_arrival: None,
                arrived: Vec::new(),
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
        let first_arrival = *meeting.first_arrival.get_or_insert_with(Instant::now);
        meeting
            .arrived
            .push((this_thread(), first_arrival.elapsed()));
        if meeting.inside >= self.parties {
            meeting.opened = true;
            self.changed.notify_all();
        }
        let deadline = Instant::now() + PATIENCE;
        while !meeting.opened && !meeting.gave_up {
            let now = Instant::now();
            if now >= deadline {
                // One party giving up releases everyone: the verdict is already known.
                // The report goes to the output that the verdict shows.
                meeting.gave_up = true;
                println!("{}", meeting.report(self.parties));
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

    /// How many threads arrived, on which threads and when (from the first arrival):
    /// what a check says of a meeting that never opened.
    pub fn arrivals_report(&self) -> String {
        self.meeting().report(self.parties)
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
    fn each_arrival_is_noted_with_its_thread() {
        let rendezvous = Rendezvous::new(1);
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("solo".into())
                .spawn_scoped(scope, || rendezvous.inside(|| ()))
                .unwrap();
        });
        assert!(
            rendezvous
                .arrivals_report()
                .ends_with("1 arrived, at most 1 inside at once (thread `solo` at 0.00 s)"),
            "{}",
            rendezvous.arrivals_report()
        );
    }

    #[test]
    fn a_meeting_that_never_opened_says_who_arrived_and_when() {
        let meeting = Meeting {
            arrivals: 2,
            most_inside: 1,
            arrived: vec![
                ("thread `early`".into(), Duration::ZERO),
                ("thread `late`".into(), Duration::from_millis(5_250)),
            ],
            ..Meeting::default()
        };
        assert_eq!(
            meeting.report(2),
            "a rendezvous of 2 threads never opened: 2 arrived, at most 1 inside at once \
             (thread `early` at 0.00 s, thread `late` at 5.25 s)"
        );
    }
}
