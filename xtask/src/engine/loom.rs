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
