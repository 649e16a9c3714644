//! The interleaving of a loom model: asking the kit's shim (`src/shim/record.rs`) to
//! record one execution into a file, reading that file back as `Step`s, and marking the
//! steps that matter (the two racing accesses, the threads of a deadlock).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::model::listing;
use crate::model::location::Location;
use crate::model::outcome::Step;

/// Which execution the shim writes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The one running when the model failed.
    Failed,
    /// The first loom explores, for a student curious about a passing model.
    First,
}

/// A file for one recording, in the only folder a test may write to.
pub fn trace_file(scratch: &Path, test: &str) -> PathBuf {
    static RECORDINGS: AtomicUsize = AtomicUsize::new(0);
    let number = RECORDINGS.fetch_add(1, Ordering::Relaxed);
    let name: String = test
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    scratch.join(format!(
        "{name}.{}.{number}.interleaving",
        std::process::id()
    ))
}

/// The settings that make the shim record into `file`.
pub fn environment(which: Which, file: &Path) -> Vec<(&'static str, String)> {
    let which = match which {
        Which::Failed => "failed",
        Which::First => "first",
    };
    vec![
        ("THREADLINGS_INTERLEAVING", which.to_string()),
        ("THREADLINGS_INTERLEAVING_FILE", file.display().to_string()),
    ]
}

/// Far more than the steps any model of the kit records.
const RECORDING_CAP: u64 = 64 << 20;

/// The steps recorded in `file`, which is removed; none if the model wrote nothing.
/// `report` is what loom said, which tells what to mark.
pub fn read(file: &Path, report: &str) -> Vec<Step> {
    let text = listing::read_written_by_a_test(file, RECORDING_CAP);
    let _ = std::fs::remove_file(file);
    let mut steps = parse(&text);
    mark(&mut steps, report);
    steps
}

/// Lines of `thread, access, object, operation, ordering, value, file, line`, tab
/// separated; a line that does not read so is left out (the file is the shim's, but the
/// process that wrote it ran student code).
fn parse(text: &str) -> Vec<Step> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [
                thread,
                access,
                object,
                operation,
                ordering,
                value,
                file,
                number,
            ] = fields[..]
            else {
                return None;
            };
            let optional = |text: &str| (!text.is_empty()).then(|| text.to_string());
            Some(Step {
                thread: thread.parse().ok()?,
                operation: match access {
                    "read" | "write" | "op" | "blocked" => operation.to_string(),
                    _ => return None,
                },
                object: optional(object),
                ordering: optional(ordering),
                value: optional(value),
                location: Location::new(file, number.parse().ok()?),
                blocked: access == "blocked",
                marked: false,
            })
        })
        .collect()
}

fn is_cell_access(step: &Step) -> bool {
    step.object
        .as_deref()
        .is_some_and(|object| object.starts_with("UnsafeCell "))
        && (step.operation == "read" || step.operation == "write")
}

/// Marks what loom stopped at. A data race: the access loom stopped in (the last step,
/// which the shim notes before loom checks it) and the latest access to the same cell
/// by another thread that conflicts with it. A deadlock: every blocked step, each lock
/// saying who holds it.
fn mark(steps: &mut [Step], report: &str) {
    if report.contains("Causality violation") {
        let Some(last) = steps.iter().rposition(|step| !step.blocked) else {
            return;
        };
        if !is_cell_access(&steps[last]) {
            return;
        }
        let racing = steps[..last].iter().rposition(|earlier| {
            is_cell_access(earlier)
                && earlier.object == steps[last].object
                && earlier.thread != steps[last].thread
                && (earlier.operation == "write" || steps[last].operation == "write")
        });
        steps[last].marked = true;
        if let Some(earlier) = racing {
            steps[earlier].marked = true;
        }
    } else if report.contains("deadlock") {
        for index in 0..steps.len() {
            if !steps[index].blocked {
                continue;
            }
            steps[index].marked = true;
            if steps[index].operation == "lock" {
                steps[index].value = holder(&steps[..index], steps[index].object.as_deref())
                    .map(|holder| format!("held by {holder}"));
            }
        }
    }
}

/// The thread holding the lock `object` at the end of `steps`.
fn holder(steps: &[Step], object: Option<&str>) -> Option<String> {
    let object = object?;
    let last = steps.iter().rev().find(|step| {
        step.object.as_deref() == Some(object)
            && !step.blocked
            && (step.operation == "lock" || step.operation == "unlock")
    })?;
    (last.operation == "lock").then(|| last.thread_name())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RACE: &str = "0\top\t\tspawn thread 1\t\t\ttests/x/main.rs\t9\n\
        0\twrite\tUnsafeCell 1\twrite\t\t\ttests/x/../../exercises/01_a/x.rs\t20\n\
        1\tread\tUnsafeCell 1\tread\t\t\ttests/x/../../exercises/01_a/x.rs\t24\n\
        1\top\tAtomicBool 1\tload\tRelaxed\ttrue\ttests/x/../../exercises/01_a/x.rs\t18\n\
        1\twrite\tUnsafeCell 1\twrite\t\t\ttests/x/../../exercises/01_a/x.rs\t20\n";

    #[test]
    fn a_race_marks_the_access_loom_stopped_in_and_the_write_it_races_with() {
        let steps = read_text(RACE, "Causality violation: Concurrent write accesses");
        let marked: Vec<(usize, String)> = steps
            .iter()
            .filter(|step| step.marked)
            .map(|step| (step.thread, step.location.to_string()))
            .collect();
        let place = "exercises/01_a/x.rs:20".to_string();
        assert_eq!(marked, [(0, place.clone()), (1, place)]);
        assert_eq!(steps[3].ordering.as_deref(), Some("Relaxed"));
        assert_eq!(steps[3].value.as_deref(), Some("true"));
    }

    #[test]
    fn a_deadlock_marks_the_blocked_threads_and_who_holds_their_locks() {
        let text = "0\top\tMutex 1\tlock\t\t\tx.rs\t5\n\
            1\top\tMutex 2\tlock\t\t\tx.rs\t5\n\
            0\tblocked\tMutex 2\tlock\t\t\tx.rs\t6\n\
            1\tblocked\tMutex 1\tlock\t\t\tx.rs\t6\n";
        let steps = read_text(text, "deadlock; threads = [...]");
        let blocked: Vec<(usize, Option<&str>)> = steps
            .iter()
            .filter(|step| step.marked)
            .map(|step| (step.thread, step.value.as_deref()))
            .collect();
        assert_eq!(
            blocked,
            [(0, Some("held by thread 1")), (1, Some("held by main"))]
        );
    }

    #[test]
    fn malformed_lines_are_left_out() {
        let text = "0\top\t\tpark\t\t\tx.rs\t5\nnot a step\n1\tsteal\t\tx\t\t\tx.rs\t1\n\
            x\top\t\tpark\t\t\tx.rs\t5\n0\top\t\tpark\t\t\tx.rs\tten\n";
        assert_eq!(read_text(text, "").len(), 1);
    }

    fn read_text(text: &str, report: &str) -> Vec<Step> {
        let mut steps = parse(text);
        mark(&mut steps, report);
        steps
    }
}
