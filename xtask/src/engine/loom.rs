//! The loom check's own concerns: the settings each model runs with, and explaining a
//! failed model in a short paragraph. (Refusing code that loom cannot see is the
//! policy's, `syntax::policy`.)

use super::panics;
use crate::model::catalog::LoomBounds;
use crate::model::location::Location;
use crate::model::outcome::{CaseResult, Cause, Status, thread_name};

/// loom's settings that end exploration early and then report a pass; a model must
/// never run with them, whatever the environment says.
pub const SILENT_PASS_SETTINGS: [&str; 5] = [
    "LOOM_MAX_DURATION",
    "LOOM_MAX_PERMUTATIONS",
    "LOOM_MAX_BRANCHES",
    "LOOM_CHECKPOINT_FILE",
    "LOOM_CHECKPOINT_INTERVAL",
];

/// The settings a model runs with. `with_locations` makes loom record where every
/// access happened, which slows exploration: a model first runs without it, and runs
/// again with it only when it fails, so that the explanation can name both accesses.
pub fn environment(bounds: LoomBounds, with_locations: bool) -> Vec<(&'static str, String)> {
    let mut env = vec![("LOOM_MAX_PREEMPTIONS", bounds.preemption_bound.to_string())];
    if with_locations {
        env.push(("LOOM_LOCATION", "1".into()));
    }
    env
}

/// Rewrites a failed model's result as a short explanation of what loom found, with its
/// cause. A model that reached a `todo!()` is not started, and is left as it is.
pub fn explain(case: CaseResult, bounds: LoomBounds) -> CaseResult {
    if case.status == Status::Pass || case.cause == Some(Cause::NotStarted) {
        return case;
    }
    let report = format!("{}\n{}", case.message, case.output);
    let (cause, explanation) = if case.status == Status::Timeout {
        (
            Cause::TimedOut,
            format!(
                "the model did not finish exploring within its time limit with a preemption \
                 bound of {}: a thread may wait forever in every interleaving, or spin without \
                 yielding",
                bounds.preemption_bound
            ),
        )
    } else if report.contains("Causality violation") {
        (Cause::DataRace, data_race(&report))
    } else if report.contains("deadlock") {
        (
            Cause::Deadlocked,
            "in some interleaving every thread was blocked waiting for another, so none could \
             make progress. Check the order in which locks are taken and that every wait has a \
             wake-up."
                .to_string(),
        )
    } else if report.contains("maximum number of branches") {
        (
            Cause::NeverStoppedWaiting,
            NEVER_STOPPED_WAITING.to_string(),
        )
    } else if report.contains("Arc leaked") || report.contains("Allocation leaked") {
        (
            Cause::Leaked,
            "when the model ended, an `Arc` or allocation was never freed in some interleaving, \
             for example a reference cycle or a count that was never decremented."
                .to_string(),
        )
    } else if panicked_inside_loom(&case.message) {
        (
            Cause::Crashed,
            "loom's own bookkeeping broke in some interleaving: the code most likely used a \
             value after freeing it, or freed it twice (for example, a reference count that \
             reached zero while another owner was still using the value)."
                .to_string(),
        )
    } else if report.contains("panicked at") {
        let cause = match case.cause {
            Some(Cause::Panicked) => Cause::Panicked,
            _ => Cause::AssertionFailed,
        };
        (cause, failed_assertion(&case.message))
    } else {
        let cause = case.cause.unwrap_or(Cause::Failed);
        (cause, format!("the model failed:\n{}", case.message))
    };
    let location = students_line(&case, &report).or(case.location.clone());
    let mut case = case.with_cause(cause).with_location(location);
    case.message = explanation;
    case
}

const NEVER_STOPPED_WAITING: &str = "\
loom stopped the model after a thread took too many steps. Either a \
loop that waits for another thread does not call `threadlings::hint::spin_loop()` (or \
yield) each time round, so the model checker cannot run the thread it waits for; or \
it waits for something that never happens in some interleaving (a value that is \
never sent, a flag that is never set); or it writes on every turn (a `swap` or \
`fetch_*` in the loop's condition), which loom takes for progress, so it keeps \
running the waiting thread: wait with a load between attempts \
(`while lock.load(Relaxed) { spin_loop() }`) or with `compare_exchange`, which \
writes only when it succeeds.";

fn data_race(report: &str) -> String {
    let places = locations(report);
    format!(
        "in some interleaving two threads accessed the same `UnsafeCell` without a \
         happens-before relation between them{}. The thread that writes must publish its \
         writes with a `Release` store (or a fence), and the thread that reads must observe \
         that store with an `Acquire` load: for a lock, take it with `Acquire` and release it \
         with `Release`.",
        if places.is_empty() {
            String::new()
        } else {
            format!(" ({})", places.join("; "))
        }
    )
}

fn failed_assertion(message: &str) -> String {
    let assertion = message
        .lines()
        .find(|line| {
            let line = line.trim();
            !line.is_empty()
                && !line.starts_with("(panicked at")
                && !line.starts_with("the test process ended")
        })
        .unwrap_or_default();
    format!("in one of the interleavings loom explored: {assertion}\n{message}")
}

/// The accesses loom reported (with `LOOM_LOCATION=1`), as "write by thread 1 at
/// path:line", each thread named as the timeline names it.
fn locations(report: &str) -> Vec<String> {
    let mut places = Vec::new();
    for line in report.lines() {
        let Some((what, place)) = line.trim().split_once(": ") else {
            continue;
        };
        let (thread, at) = place.split_once(" @ ").unwrap_or(("", place));
        if !at.contains(".rs:") || what == "created" {
            continue;
        }
        let Some(at) = Location::parse(at) else {
            continue;
        };
        let access = match thread_number(thread) {
            Some(number) => format!("{what} by {} at {at}", thread_name(number)),
            None if thread.is_empty() => at.to_string(),
            None => format!("{what} by {thread} at {at}"),
        };
        if !places.contains(&access) {
            places.push(access);
        }
    }
    places
}

/// loom's `thread #1` → 1: loom numbers the model's threads as the shim records them,
/// the main thread 0 and the others in the order they were spawned.
fn thread_number(thread: &str) -> Option<usize> {
    thread.trim().strip_prefix("thread #")?.parse().ok()
}

/// Whether the first panic happened in loom's own sources rather than in a check.
fn panicked_inside_loom(message: &str) -> bool {
    message
        .lines()
        .next()
        .is_some_and(|first| first.contains("panicked at") && first.contains("/loom-"))
}

/// The student's line of a failed model: the first marked step of its interleaving
/// in the exercise (a racing access, a blocked thread), else the first access in the
/// exercise that loom's report names. Of a failed assertion, neither: `student` finds
/// the student's code the model was running.
fn students_line(case: &CaseResult, report: &str) -> Option<Location> {
    let marked = case
        .interleaving
        .iter()
        .filter(|step| step.marked)
        .map(|step| &step.location)
        .find(|location| panics::is_exercise(location));
    marked.cloned().or_else(|| {
        report
            .lines()
            .filter_map(|line| line.trim().split_once(": "))
            .filter(|(what, _)| *what != "created")
            .filter_map(|(_, place)| {
                let at = place.split_once(" @ ").map_or(place, |(_, at)| at);
                Location::parse(at)
            })
            .find(panics::is_exercise)
    })
}

#[cfg(all(test, unix))]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::engine::libtest::judge;
    use crate::engine::libtest::recorded::{FAILED, aborted, exited, finished};
    use crate::os::process::Ending;

    const BOUNDS: LoomBounds = LoomBounds {
        preemption_bound: 2,
    };

    /// A failed model as the runner sees it: the recorded output of a real loom test,
    /// judged as its process ended, then explained.
    fn explained(ending: Ending, stderr: &str) -> CaseResult {
        let finished = finished(ending, "\nrunning 1 test\n", stderr);
        explain(
            judge("model", &finished, "", Duration::from_secs(10)),
            BOUNDS,
        )
    }

    #[test]
    fn a_data_race_names_both_accesses() {
        let case = explained(exited(FAILED), include_str!("recorded/loom_race.stderr"));
        assert_eq!(case.cause, Some(Cause::DataRace), "{}", case.message);
        // Each thread named as the timeline names it.
        let place = "exercises/01_fixtures/loom_race.rs:21";
        assert!(
            case.message
                .contains(&format!("write one by main at {place}"))
                && case
                    .message
                    .contains(&format!("write two by thread 1 at {place}")),
            "{}",
            case.message
        );
        assert!(!case.message.contains('#'), "{}", case.message);
        assert!(!case.message.contains("created"), "{}", case.message);
        // The place shown first is the first access in the exercise, not where the cell
        // was created.
        assert_eq!(
            case.location,
            Some(Location::new("exercises/01_fixtures/loom_race.rs", 21))
        );
    }

    #[test]
    fn a_deadlock_that_aborts_the_process_is_still_a_deadlock() {
        let case = explained(aborted(), include_str!("recorded/loom_deadlock.stderr"));
        assert_eq!(case.cause, Some(Cause::Deadlocked), "{}", case.message);
        assert!(
            case.message.contains("every thread was blocked"),
            "{}",
            case.message
        );
    }

    #[test]
    fn a_leaked_arc_is_a_leak() {
        let case = explained(exited(FAILED), include_str!("recorded/loom_leak.stderr"));
        assert_eq!(case.cause, Some(Cause::Leaked), "{}", case.message);
        assert!(case.message.contains("never freed"), "{}", case.message);
    }

    #[test]
    fn a_spin_without_a_yield_is_explained_with_its_remedies() {
        let case = explained(aborted(), include_str!("recorded/loom_spin.stderr"));
        assert_eq!(case.cause, Some(Cause::NeverStoppedWaiting));
        assert!(
            case.message.starts_with("loom stopped the model")
                && case.message.contains("spin_loop()"),
            "{}",
            case.message
        );
    }

    #[test]
    fn a_model_out_of_time_is_a_timeout_with_its_bound() {
        let case = explained(Ending::TimedOut, "");
        assert_eq!(case.cause, Some(Cause::TimedOut));
        assert!(
            case.message.contains("preemption bound of 2"),
            "{}",
            case.message
        );
    }

    #[test]
    fn a_failed_assertion_inside_a_model_keeps_its_words() {
        let stderr = "\nthread 'model' (7) panicked at tests/x/loom.rs:30:9:\nexpected both increments to be seen, found 1\n";
        let case = explained(exited(FAILED), stderr);
        assert_eq!(case.cause, Some(Cause::AssertionFailed));
        assert!(
            case.message
                .starts_with("in one of the interleavings loom explored: expected both increments"),
            "{}",
            case.message
        );
    }

    #[test]
    fn a_passing_model_is_left_as_it_is() {
        let passed = CaseResult::pass("model", Duration::ZERO);
        assert_eq!(explain(passed.clone(), BOUNDS), passed);
    }
}
