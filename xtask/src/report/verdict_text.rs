//! A case's verdict as a person reads it in a report: the explained message first,
//! then what the program or compiler printed, with the grader's own paths (its kit,
//! its scratch trees, cargo's registry) replaced by paths relative to the kit, so that
//! the same mistake reads the same for every student and no report shows where the
//! grader ran. The class report and Gradescope's `output` both take their text here.

use crate::model::location::normalize;
use crate::model::outcome::CaseResult;

use super::causes;

/// One case that did not pass, in the words a report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub case: String,
    /// The cause's words (`data race`, `does not compile`, …).
    pub cause: &'static str,
    /// The student's line, when the verdict has one.
    pub location: Option<String>,
    /// What went wrong, explained; the grader's paths made relative.
    pub explained: String,
    /// What the process or compiler printed (loom's panic, a backtrace), the grader's
    /// paths made relative; empty when it printed nothing that matters.
    pub raw: String,
}

pub fn of(case: &CaseResult) -> Verdict {
    Verdict {
        case: case.name.clone(),
        cause: causes::label_of(case),
        location: case.location.as_ref().map(ToString::to_string),
        explained: kit_relative(case.message.trim()),
        raw: kit_relative(case.output.trim()),
    }
}

impl Verdict {
    /// The verdict as plain text: the headline, the explanation, then the output,
    /// indented, after a line that says what it is.
    pub fn text(&self) -> String {
        let at = self
            .location
            .as_ref()
            .map(|location| format!(" at {location}"))
            .unwrap_or_default();
        let mut text = format!("{} ({}){at}: {}", self.case, self.cause, self.explained);
        if !self.raw.is_empty() {
            text.push_str("\n\nWhat it printed:\n");
            for line in self.raw.lines() {
                text.push_str("    ");
                text.push_str(line);
                text.push('\n');
            }
            text.truncate(text.trim_end().len());
        }
        text
    }
}

/// The first line of a case's explained message, the grader's paths made relative:
/// what groups the same mistake across students.
pub fn first_line(case: &CaseResult) -> String {
    let line = case
        .message
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or_default();
    kit_relative(line.trim())
}

/// `text` with every absolute path made relative: a place in the kit (however deep
/// the grader's copy or scratch tree) becomes `exercises/…`, `tests/…`, `src/…`; a
/// crate's source in cargo's registry `loom-0.7.3/src/…`; the toolchain's `library/…`;
/// any other absolute path its file name after `…/`. Relative paths lose their
/// detours (`tests/x/../../exercises/a.rs` → `exercises/a.rs`).
pub fn kit_relative(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, path, after)) = next_path(rest) {
        out.push_str(before);
        out.push_str(&rewrite(path));
        rest = after;
    }
    out.push_str(rest);
    out
}

fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '\\' | '~' | '+' | '@' | '%')
}

/// The next path in `text`: the text before it, the path, the text after. A path
/// starts where a word starts, with `/` (not `//`, a URL's or a comment's), a drive
/// (`C:\`), or is relative with a `..` detour in it.
fn next_path(text: &str) -> Option<(&str, &str, &str)> {
    let mut word_start = true;
    for (at, c) in text.char_indices() {
        if word_start {
            let rest = &text[at..];
            let end = rest.find(|c| !is_path_char(c)).unwrap_or(rest.len());
            let drive = rest.len() > 3
                && rest.as_bytes()[0].is_ascii_alphabetic()
                && rest.as_bytes()[1] == b':'
                && matches!(rest.as_bytes()[2], b'\\' | b'/');
            let end = if drive {
                2 + rest[2..]
                    .find(|c| !is_path_char(c))
                    .unwrap_or(rest.len() - 2)
            } else {
                end
            };
            let word = &rest[..end];
            let absolute =
                drive || (word.starts_with('/') && !word.starts_with("//") && word.len() > 1);
            let detour = word.contains("/../") || word.contains("\\..\\");
            if absolute || detour {
                return Some((&text[..at], word, &rest[end..]));
            }
        }
        word_start = !is_path_char(c);
    }
    None
}

/// The kit's top folders, in the order they are looked for: a path in a scratch tree
/// or a student's copy is taken from the last of these in it.
const KIT_FOLDERS: [&str; 5] = ["exercises", "solutions", "tests", "xtask", "src"];

fn rewrite(path: &str) -> String {
    let path = normalize(path);
    if !(path.starts_with('/') || path.as_bytes().get(1) == Some(&b':')) {
        return path;
    }
    let parts: Vec<&str> = path.split('/').collect();
    let after = |marker: &[&str], skip: usize| -> Option<String> {
        let at = parts
            .windows(marker.len())
            .rposition(|window| window == marker)?;
        let rest = parts.get(at + marker.len() + skip..)?;
        (!rest.is_empty()).then(|| rest.join("/"))
    };
    if path.starts_with("/rustc/") {
        return path;
    }
    let found = after(&["registry", "src"], 1)
        .or_else(|| after(&["git", "checkouts"], 2))
        .or_else(|| after(&["lib", "rustlib", "src", "rust"], 0))
        .or_else(|| {
            KIT_FOLDERS.iter().find_map(|folder| {
                let at = parts.iter().rposition(|part| part == folder)?;
                (at + 1 < parts.len()).then(|| parts[at..].join("/"))
            })
        });
    found.unwrap_or_else(|| format!("…/{}", parts.last().copied().unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::outcome::Cause;

    #[test]
    fn the_graders_paths_become_the_kits() {
        let loom = "thread 'two' panicked at /home/grader/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/location.rs:115:9:\n\
            created: /srv/kit/target/threadlings/threadlings/scratch/submission/tests/spin_lock/../../exercises/06_atomics/spin_lock.rs:14:59\n\
            at ./tests/pool/../../exercises/04_x/pool.rs:31:17, see https://docs.rs/loom // not a path\n\
            at C:\\Users\\grader\\kit\\src\\check\\rendezvous.rs:80:13 and /tmp/threadlings-scratch-17/out.txt\n\
            at /rustc/5980/library/std/src/panicking.rs:689:5 and /home/g/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib/rustlib/src/rust/library/core/src/ops.rs:3";
        assert_eq!(
            kit_relative(loom),
            "thread 'two' panicked at loom-0.7.3/src/rt/location.rs:115:9:\n\
            created: exercises/06_atomics/spin_lock.rs:14:59\n\
            at exercises/04_x/pool.rs:31:17, see https://docs.rs/loom // not a path\n\
            at src/check/rendezvous.rs:80:13 and …/out.txt\n\
            at /rustc/5980/library/std/src/panicking.rs:689:5 and library/core/src/ops.rs:3"
        );
        // A student's copy nested in a class folder reads as the kit's file.
        assert_eq!(
            kit_relative("/class/ann/threadlings-main/exercises/01_a/b.rs:3"),
            "exercises/01_a/b.rs:3"
        );
        for untouched in ["1/2 and/or 3", "a / b", "/", "x = a/../b"] {
            let expected = if untouched.contains("..") {
                "x = b"
            } else {
                untouched
            };
            assert_eq!(kit_relative(untouched), expected, "{untouched}");
        }
    }

    #[test]
    fn the_explanation_comes_first_and_the_output_after_it() {
        let case = CaseResult::failure("two", Cause::DataRace, "in some interleaving…\nmore")
            .with_output("panicked at /home/g/kit/exercises/06_a/s.rs:4:1");
        let verdict = of(&case);
        assert_eq!(verdict.cause, "data race");
        assert_eq!(first_line(&case), "in some interleaving…");
        assert_eq!(
            verdict.text(),
            "two (data race): in some interleaving…\nmore\n\nWhat it printed:\n    panicked at exercises/06_a/s.rs:4:1"
        );
        let bare = CaseResult::failure("t", Cause::TimedOut, "took too long");
        assert_eq!(of(&bare).text(), "t (timed out): took too long");
    }
}
