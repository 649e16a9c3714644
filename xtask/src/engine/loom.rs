//! The loom check's own concerns: the settings each model runs with, and explaining a
//! failed model in a short paragraph. (Refusing code that loom cannot see is the
//! policy's, `policy.rs`.)

use crate::model::catalog::LoomBounds;
use crate::model::location::Location;
use crate::model::outcome::{CaseResult, Status};

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

/// Rewrites a failed model's result as a short explanation of what loom found.
pub fn explain(mut case: CaseResult, bounds: LoomBounds) -> CaseResult {
    if case.status == Status::Pass {
        return case;
    }
    let report = format!("{}\n{}", case.message, case.output);
    let explanation = if case.status == Status::Timeout {
        format!(
            "the model did not finish exploring within its time limit with a preemption bound of {}: \
             a thread may wait forever in every interleaving, or spin without yielding",
            bounds.preemption_bound
        )
    } else if report.contains("Causality violation") {
        let places = locations(&report);
        format!(
            "data race: in some interleaving two threads accessed the same `UnsafeCell` without a \
             happens-before relation between them{}. The thread that writes must publish its writes \
             with a `Release` store (or a fence), and the thread that reads must observe that store \
             with an `Acquire` load: for a lock, take it with `Acquire` and release it with \
             `Release`.",
            if places.is_empty() {
                String::new()
            } else {
                format!(" ({})", places.join("; "))
            }
        )
    } else if report.contains("deadlock") {
        "deadlock: in some interleaving every thread was blocked waiting for another, so none could \
         make progress. Check the order in which locks are taken and that every wait has a wake-up."
            .to_string()
    } else if report.contains("maximum number of branches") {
        "a thread never stopped waiting: loom stopped the model after too many steps. Either a \
         loop that waits for another thread does not call `threadlings::hint::spin_loop()` (or \
         yield) each time round, so the model checker cannot run the thread it waits for; or \
         it waits for something that never happens in some interleaving (a value that is \
         never sent, a flag that is never set); or it writes on every turn (a `swap` or \
         `fetch_*` in the loop's condition), which loom takes for progress, so it keeps \
         running the waiting thread: wait with a load between attempts \
         (`while lock.load(Relaxed) { spin_loop() }`) or with `compare_exchange`, which \
         writes only when it succeeds."
            .to_string()
    } else if report.contains("Arc leaked") || report.contains("Allocation leaked") {
        "leak: when the model ended, an `Arc` or allocation was never freed in some interleaving, \
         for example a reference cycle or a count that was never decremented."
            .to_string()
    } else if panicked_inside_loom(&case.message) {
        "loom's own bookkeeping broke in some interleaving: the code most likely used a value \
         after freeing it, or freed it twice (for example, a reference count that reached zero \
         while another owner was still using the value)."
            .to_string()
    } else if report.contains("panicked at") {
        let assertion = case
            .message
            .lines()
            .find(|line| {
                let line = line.trim();
                !line.is_empty()
                    && !line.starts_with("(panicked at")
                    && !line.starts_with("the test process ended")
            })
            .unwrap_or_default();
        format!(
            "an assertion failed in one of the interleavings loom explored: {assertion}\n{}",
            case.message
        )
    } else {
        format!("the model failed:\n{}", case.message)
    };
    case.message = explanation;
    if let Some(location) = first_exercise_location(&report) {
        case.location = Some(location);
    }
    case
}

/// The accesses loom reported (with `LOOM_LOCATION=1`), as "thread #0 at path:line".
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
        let access = if thread.is_empty() {
            at.to_string()
        } else {
            format!("{what} by {thread} at {at}")
        };
        if !places.contains(&access) {
            places.push(access);
        }
    }
    places
}

/// Whether the first panic happened in loom's own sources rather than in a check.
fn panicked_inside_loom(message: &str) -> bool {
    message
        .lines()
        .next()
        .is_some_and(|first| first.contains("panicked at") && first.contains("/loom-"))
}

/// The first place in the exercise that loom's report names.
fn first_exercise_location(report: &str) -> Option<Location> {
    report
        .split_whitespace()
        .filter(|word| word.contains("exercises/"))
        .find_map(Location::parse)
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
        assert!(case.message.starts_with("data race:"), "{}", case.message);
        let place = "exercises/01_fixtures/loom_race.rs:21";
        assert!(
            case.message
                .contains(&format!("write one by thread #0 at {place}"))
                && case
                    .message
                    .contains(&format!("write two by thread #1 at {place}")),
            "{}",
            case.message
        );
        assert!(!case.message.contains("created"), "{}", case.message);
        // The place shown first is the first one in the exercise: where it was created.
        assert_eq!(
            case.location,
            Some(Location::new("exercises/01_fixtures/loom_race.rs", 14))
        );
    }

    #[test]
    fn a_deadlock_that_aborts_the_process_is_still_a_deadlock() {
        let case = explained(aborted(), include_str!("recorded/loom_deadlock.stderr"));
        assert!(case.message.starts_with("deadlock:"), "{}", case.message);
    }

    #[test]
    fn a_leaked_arc_is_a_leak() {
        let case = explained(exited(FAILED), include_str!("recorded/loom_leak.stderr"));
        assert!(case.message.starts_with("leak:"), "{}", case.message);
    }

    #[test]
    fn a_spin_without_a_yield_is_explained_with_its_remedies() {
        let case = explained(aborted(), include_str!("recorded/loom_spin.stderr"));
        assert!(
            case.message.starts_with("a thread never stopped waiting")
                && case.message.contains("spin_loop()"),
            "{}",
            case.message
        );
    }

    #[test]
    fn a_model_out_of_time_is_a_timeout_with_its_bound() {
        let case = explained(Ending::TimedOut, "");
        assert_eq!(case.status, Status::Timeout);
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
        assert!(
            case.message.starts_with(
                "an assertion failed in one of the interleavings loom explored: expected both increments"
            ),
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
