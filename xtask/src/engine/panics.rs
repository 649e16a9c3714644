//! Reading what a test process wrote to stderr: each panic with its place, its message
//! and the frames of its backtrace (tests run with `RUST_BACKTRACE=1`), and the lines
//! that are the kit's own (libtest's warnings, backtraces, notes) kept apart from what
//! the student's code printed.

use crate::model::location::{Location, normalize};

/// Where every exercise file is, in every tree the runner builds: the checks include
/// `exercises/CHAPTER/NAME.rs` with `#[path]`, and panics and backtraces name it so.
const EXERCISES: &str = "exercises/";

/// Where the checks are: `tests/NAME/main.rs`.
const CHECKS: &str = "tests/";

/// Where the kit's own library is, whose places say nothing to a student.
const LIBRARY: &str = "src/";

/// One panic a test printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    /// `file:line:column` as the panic printed it (relative, normalized).
    pub place: String,
    pub location: Option<Location>,
    pub message: String,
    /// Its backtrace's frames in source files, innermost first.
    pub frames: Vec<Location>,
}

impl Panic {
    /// The `todo!()` to report of those the test reached: the first in the exercise
    /// file, so that the choice does not depend on which thread panicked first; else
    /// the first panic that quotes one.
    pub fn first_todo(panics: &[Panic]) -> Option<&Panic> {
        let todos = panics.iter().filter(|panic| panic.is_todo());
        let in_file = todos
            .clone()
            .filter_map(|panic| Some((panic.in_exercise()?.line, panic)))
            .min_by_key(|(line, _)| *line)
            .map(|(_, panic)| panic);
        in_file.or_else(|| todos.clone().next())
    }

    /// A `todo!()` or `unimplemented!()` panics with these words.
    pub fn is_todo(&self) -> bool {
        is_todo_text(&self.message)
    }

    /// Where the panic happened, or else its innermost frame, in an exercise file.
    pub fn in_exercise(&self) -> Option<&Location> {
        self.location
            .iter()
            .chain(&self.frames)
            .find(|location| is_exercise(location))
    }

    /// Where the panic happened, or else its innermost frame, in the checks: for a panic
    /// in the kit's library, the check's line that called it.
    pub fn in_checks(&self) -> Option<&Location> {
        self.location
            .iter()
            .chain(&self.frames)
            .find(|location| location.file.starts_with(CHECKS))
    }
}

/// Whether a text is (or quotes) the panic of a `todo!()` or `unimplemented!()`.
pub fn is_todo_text(text: &str) -> bool {
    text.contains("not yet implemented") || text.contains("not implemented")
}

/// Whether a place is in an exercise file: the student's, in a check of an exercise.
pub fn is_exercise(location: &Location) -> bool {
    location.file.starts_with(EXERCISES)
}

/// Whether a place is in the kit's own library.
pub fn is_library(location: &Location) -> bool {
    location.file.starts_with(LIBRARY)
}

/// The panics in a test's stderr, in the order they were printed.
pub fn read(stderr: &str) -> Vec<Panic> {
    let mut panics: Vec<Panic> = Vec::new();
    let mut lines = stderr.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some((_, place)) = line.split_once("panicked at ") {
            let place = normalize(place.trim_end_matches(':'));
            let mut message = Vec::new();
            while let Some(next) = lines.peek() {
                if next.starts_with("note: ")
                    || next.starts_with("thread '")
                    || next.starts_with("stack backtrace")
                {
                    break;
                }
                message.push(*next);
                lines.next();
            }
            panics.push(Panic {
                location: Location::parse(&place),
                place,
                message: without_assertion_prefix(message.join("\n").trim_end()),
                frames: Vec::new(),
            });
        } else if let Some(at) = line.trim_start().strip_prefix("at ")
            && let Some(panic) = panics.last_mut()
            && let Some(frame) = Location::parse(at).and_then(in_the_kit)
        {
            // A frame of the last panic's backtrace.
            panic.frames.push(frame);
        }
    }
    panics
}

/// A backtrace's frame as a place in the kit: `exercises/CHAPTER/NAME.rs` or
/// `tests/NAME/FILE.rs`. A test runs in its scratch folder, so its backtrace names the
/// kit's files by absolute paths (`/home/…/kit/tests/x/main.rs`); the kit's layout tells
/// where the kit's part of such a path starts. Frames elsewhere (std's `/rustc/…`, the
/// crates', the kit's library) are none of the student's.
fn in_the_kit(frame: Location) -> Option<Location> {
    let path = frame.file.as_str();
    let starts = path
        .match_indices(EXERCISES)
        .chain(path.match_indices(CHECKS))
        .map(|(at, _)| at)
        .filter(|at| *at == 0 || path[..*at].ends_with('/'));
    let relative = starts
        .map(|at| &path[at..])
        .filter(|rest| rest.split('/').count() == 3 && rest.ends_with(".rs"))
        .min_by_key(|rest| rest.len())?;
    Some(Location::new(relative, frame.line))
}

/// `assertion `left == right` failed: expected 42` → `expected 42`: the cause already
/// says that an assertion failed. An assertion without a message of its own keeps its
/// words.
fn without_assertion_prefix(message: &str) -> String {
    let stripped = message
        .strip_prefix("assertion `")
        .and_then(|rest| rest.split_once("` failed: "))
        .map(|(_, rest)| rest);
    stripped.unwrap_or(message).to_string()
}

/// The panics' messages, each with its place unless that is in the kit's own library,
/// as a student reads them: the message first, since a one-line summary shows it.
pub fn describe(panics: &[Panic]) -> String {
    let described: Vec<String> = panics
        .iter()
        .map(|panic| match &panic.location {
            Some(location) if is_library(location) => panic.message.clone(),
            _ => format!("{}\n(panicked at {})", panic.message, panic.place),
        })
        .collect();
    described.join("\n\n")
}

/// Stderr without the lines that are the kit's, not the program's: libtest's own
/// warnings, and backtraces with their notes.
pub fn without_kit_lines(stderr: &str) -> String {
    let mut kept = Vec::new();
    let mut in_backtrace = false;
    for line in stderr.lines() {
        if line.starts_with("stack backtrace:") {
            in_backtrace = true;
            continue;
        }
        if in_backtrace {
            let frame = line.starts_with("  ") && !line.trim().is_empty();
            if frame {
                continue;
            }
            in_backtrace = false;
        }
        let kit = line.contains("`--logfile` is deprecated")
            || line.starts_with("note: run with `RUST_BACKTRACE=")
            || line.starts_with("note: Some details are omitted");
        if !kit {
            kept.push(line);
        }
    }
    kept.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH_BACKTRACE: &str = "\
warning: `--logfile` is deprecated
thread 'job' (11) panicked at tests/pool/main.rs:40:9:
only 1 of 2 jobs ran at once
stack backtrace:
   0: __rustc::rust_begin_unwind
             at /rustc/5980/library/std/src/panicking.rs:689:5
   1: pool::Rendezvous::inside
             at ./src/check/rendezvous.rs:80:13
   2: pool::exercise::worker_loop
             at ./tests/pool/../../exercises/04_x/pool.rs:31:17
   3: pool::exercise::Pool::new::{{closure}}
             at ./tests/pool/../../exercises/04_x/pool.rs:22:30
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
worker 1 done
thread 'main' (10) panicked at src/check/endings.rs:133:5:
not yet implemented: start the workers
";

    #[test]
    fn each_panic_has_its_place_message_and_frames_innermost_first() {
        let panics = read(WITH_BACKTRACE);
        assert_eq!(panics.len(), 2);
        assert_eq!(panics[0].message, "only 1 of 2 jobs ran at once");
        assert_eq!(
            panics[0].location,
            Some(Location::new("tests/pool/main.rs", 40))
        );
        assert_eq!(
            panics[0].in_exercise(),
            Some(&Location::new("exercises/04_x/pool.rs", 31))
        );
        assert!(!panics[0].is_todo());
        assert!(panics[1].is_todo());
        assert_eq!(panics[1].in_exercise(), None);
        assert_eq!(panics[1].in_checks(), None);
    }

    #[test]
    fn of_the_todos_reached_the_first_in_the_file_is_reported_whichever_thread_was_first() {
        let panics = read(
            "thread '<unnamed>' (2) panicked at tests/p/../../exercises/04_x/p.rs:68:5:\n\
             not yet implemented: take jobs\n\
             thread 'runs' (1) panicked at tests/p/../../exercises/04_x/p.rs:50:9:\n\
             not yet implemented: send the job\n",
        );
        let first = Panic::first_todo(&panics).unwrap();
        assert_eq!(
            first.location,
            Some(Location::new("exercises/04_x/p.rs", 50))
        );
    }

    #[test]
    fn frames_named_by_absolute_paths_are_read_as_places_in_the_kit() {
        let panics = read(
            "thread 't' (1) panicked at src/check/endings.rs:153:5:\n\
             expected the job's own panic\n\
             stack backtrace:\n   2: threadlings::check::endings::assert\n\
             \x20            at /home/ada/exercises/kit/src/check/endings.rs:153:5\n\
             \x20  3: x::exercise::run\n\
             \x20            at /home/ada/exercises/kit/tests/x/../../exercises/02_a/x.rs:30:9\n\
             \x20  4: x::passes_on\n\
             \x20            at /home/ada/exercises/kit/tests/x/main.rs:96:5\n\
             \x20  5: tokio::runtime\n\
             \x20            at /root/.cargo/registry/src/i/tokio-1.0/src/runtime.rs:9:1\n",
        );
        assert_eq!(
            panics[0].frames,
            [
                Location::new("exercises/02_a/x.rs", 30),
                Location::new("tests/x/main.rs", 96)
            ]
        );
        assert_eq!(
            panics[0].in_checks(),
            Some(&Location::new("tests/x/main.rs", 96))
        );
    }

    #[test]
    fn an_assertions_own_words_come_first() {
        let panics = read(
            "thread 't' (1) panicked at tests/x/main.rs:7:5:\n\
             assertion `left == right` failed: expected 21 doubled\n  left: 23\n right: 42\n\
             thread 't' (1) panicked at tests/x/main.rs:9:5:\n\
             assertion `left == right` failed\n  left: 1\n right: 2\n",
        );
        assert_eq!(
            panics[0].message,
            "expected 21 doubled\n  left: 23\n right: 42"
        );
        assert!(
            panics[1]
                .message
                .starts_with("assertion `left == right` failed")
        );
    }

    #[test]
    fn a_place_in_the_kits_library_is_left_out_of_the_description() {
        let described = describe(&read(WITH_BACKTRACE));
        assert!(
            described.contains("(panicked at tests/pool/main.rs:40:9)"),
            "{described}"
        );
        assert!(!described.contains("src/check"), "{described}");
        assert!(described.contains("start the workers"), "{described}");
    }

    #[test]
    fn the_kits_own_lines_are_not_the_programs_output() {
        let kept = without_kit_lines(WITH_BACKTRACE);
        assert!(kept.contains("worker 1 done"), "{kept}");
        assert!(kept.contains("only 1 of 2 jobs ran at once"), "{kept}");
        for kit in [
            "--logfile",
            "stack backtrace",
            "rust_begin_unwind",
            "note: ",
        ] {
            assert!(!kept.contains(kit), "{kit} in {kept}");
        }
    }
}
