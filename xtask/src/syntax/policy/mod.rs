//! The policy for graded files: what an exercise file may not reach.
//!
//! An exercise file runs inside the test process, so whatever it can reach, it can use
//! to fake a verdict: end the process before the harness reports, read the harness's
//! arguments and write its log, or replace the checks' `assert!`. The policy refuses
//! those means before anything is built:
//!
//! - process control, the environment and arguments, the file system, networking,
//!   `std::os`, and the dependencies' wrappers of these;
//! - FFI and inline assembly, `include!` and its kin, modules in other files, `extern
//!   crate`, and the hidden helpers of the dependencies' macros;
//! - `unsafe`, unless the catalog allows it for the exercise (unsafe code could write
//!   into the checks' memory);
//! - under the loom check, std's synchronization types, which loom cannot see.
//!
//! It is sound by refusing what a reading of tokens cannot judge: macros of the file's
//! own (`macro_rules!`, `macro`), which could glue identifiers into a path, attribute or
//! module out of its sight, and every attribute outside a short list (`attributes.rs`).
//! What is left to the compiler is then written out, as tokens this module reads; the
//! ARCHITECTURE's "Trusting a test run" gives the whole argument.
//!
//! The file is read with proc-macro2's lexer, a real Rust front end, so comments,
//! strings, char literals and raw strings neither hide nor fake a path. Paths are judged
//! after the file's own aliases are resolved (`use std as s`, `use ::std::…`, re-exports
//! from the file's own modules). A file the lexer cannot read is not judged here at all:
//! the compiler's error is its verdict, and should it build, it is refused before it runs
//! (`Refusal::is_unreadable`).

mod judge;
mod paths;
mod reasons;
mod tokens;

use proc_macro2::{TokenStream, TokenTree};

use crate::model::kit::nested_too_deep;
use judge::Judge;
pub(super) use reasons::{LINKER, MACROS, MODULE, TESTS};
use reasons::{NESTED, UNREADABLE};

/// One thing a file may not do: where, what, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Refusal {
    pub line: usize,
    /// What the file wrote, in backticks: `` `std::process::exit` ``.
    pub what: String,
    /// Why the kit does not allow it, in one sentence.
    pub why: &'static str,
}

impl Refusal {
    /// "`std::process::exit` is not allowed in an exercise: …"
    pub fn sentence(&self) -> String {
        format!("{} is not allowed in an exercise: {}", self.what, self.why)
    }

    /// The file could not be read as Rust: the compiler, not the policy, has the first
    /// word on it.
    pub fn is_unreadable(&self) -> bool {
        self.why == UNREADABLE
    }
}

/// What a file is judged against.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// What the catalog allows this exercise: `unsafe`, `macro_rules`, an attribute
    /// (`#[repr]`), or paths such as `std::env::var`.
    pub allowed: &'a [String],
    /// The loom check's rules: std's synchronization types are refused too.
    pub loom: bool,
}

/// Judges `source` against `rules`: every refusal, in the order of the file.
pub fn judge(source: &str, rules: &Rules) -> Vec<Refusal> {
    if let Some(line) = nested_too_deep(source) {
        return vec![Refusal {
            line,
            what: "this file".into(),
            why: NESTED,
        }];
    }
    let tokens = match lex(source) {
        Ok(tokens) => tokens,
        Err(line) => {
            return vec![Refusal {
                line,
                what: "this file".into(),
                why: UNREADABLE,
            }];
        }
    };
    let mut judge = Judge::new(rules);
    judge.collect_names(&tokens);
    judge.scan(&tokens, 0);
    let mut refusals: Vec<Refusal> = judge.refusals.into_iter().collect();
    refusals.sort();
    refusals
}

/// The file's tokens; a leading byte-order mark and `#!` line are not Rust.
fn lex(source: &str) -> Result<Vec<TokenTree>, usize> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let source = match source.strip_prefix("#!") {
        Some(rest) if is_shebang(rest) => {
            let end = rest.find('\n').unwrap_or(rest.len());
            format!("{}{}", " ".repeat(end + 2), &rest[end..])
        }
        _ => source.to_string(),
    };
    source
        .parse::<TokenStream>()
        .map(|stream| stream.into_iter().collect())
        .map_err(|err| err.span().start().line)
}

/// Whether a file's leading `#!`, followed by `rest`, starts a line the compiler skips
/// (`#!/usr/bin/env …`). It is an inner attribute, as rustc reads it, when a `[` comes
/// next after whitespace and comments that are not doc comments: `#! // …` then `[doc =
/// …]` on the next line is `#![doc = …]`.
fn is_shebang(rest: &str) -> bool {
    // rustc's whitespace, and `char::is_whitespace`: erring towards an attribute, which
    // the policy then reads, rather than a line it skips.
    let blank = |c: char| c.is_whitespace() || matches!(c, '\u{200e}' | '\u{200f}');
    let mut rest = rest.trim_start_matches(blank);
    loop {
        if let Some(after) = rest.strip_prefix("//") {
            let doc =
                after.starts_with('!') || (after.starts_with('/') && !after.starts_with("//"));
            if doc {
                return true;
            }
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            let doc = after.starts_with('!')
                || (after.starts_with('*') && !after.starts_with("**") && !after.starts_with("*/"));
            if doc {
                return true;
            }
            rest = after_block_comment(after);
        } else {
            return !rest.starts_with('[');
        }
        rest = rest.trim_start_matches(blank);
    }
}

/// What follows the block comment whose `/*` came just before `text` (they nest).
fn after_block_comment(text: &str) -> &str {
    let mut depth = 1;
    let mut index = 0;
    let bytes = text.as_bytes();
    while index + 1 < bytes.len() {
        match &bytes[index..index + 2] {
            b"/*" => {
                depth += 1;
                index += 2;
            }
            b"*/" => {
                depth -= 1;
                index += 2;
                if depth == 0 {
                    return &text[index..];
                }
            }
            _ => index += 1,
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    //! The policy's tests, each beside the part it tests; here, what they share and
    //! the file as a whole: its lines, a shebang, a file that does not lex.

    use super::*;
    use crate::syntax::attributes;

    pub(super) fn refusals(source: &str, allowed: &[&str], loom: bool) -> Vec<Refusal> {
        let allowed: Vec<String> = allowed.iter().map(|item| item.to_string()).collect();
        judge(
            source,
            &Rules {
                allowed: &allowed,
                loom,
            },
        )
    }

    /// Asserts that `source` is refused at `line` for `why`.
    #[track_caller]
    pub(super) fn refused(source: &str, line: usize, why: &str) {
        let found = refusals(source, &[], false);
        assert!(
            found.iter().any(|r| r.line == line && r.why == why),
            "expected a refusal at line {line} ({why}) of\n{source}\nfound {found:#?}"
        );
    }

    #[track_caller]
    pub(super) fn allowed(source: &str) {
        let found = refusals(source, &[], false);
        assert!(
            found.is_empty(),
            "expected\n{source}\nto be allowed: {found:#?}"
        );
    }

    #[test]
    fn line_endings_change_no_refusal() {
        let source = "//! An exercise.\nuse std as s;\n\n/// A doc.\nfn f() {\n    let _ = \"a\nb\";\n    s::process::exit(0)\n}\nfn g() { std::env::args(); }\n";
        let lines = |found: Vec<Refusal>| -> Vec<(usize, String)> {
            found.iter().map(|r| (r.line, r.sentence())).collect()
        };
        let unix = lines(refusals(source, &[], false));
        assert_eq!(unix.len(), 2, "{unix:?}");
        assert_eq!(
            lines(refusals(&source.replace('\n', "\r\n"), &[], false)),
            unix
        );
    }

    #[test]
    fn a_shebang_line_is_skipped_but_an_inner_attribute_after_it_is_read() {
        allowed("#!/usr/bin/env run-cargo-script\nfn f() {}");
        allowed("\u{feff}#!/bin/sh\nfn f() {}");
        // rustc reads these as `#![doc = include_str!(…)]`, not as a shebang line.
        for source in [
            "#! // a comment\n[doc = include_str!(\"../../solutions/x.rs\")]",
            "#! /* a /* nested */ comment */ [doc = include_str!(\"x.rs\")]",
            "#!\u{200e}[doc = include_str!(\"x.rs\")]",
        ] {
            let found = refusals(source, &[], false);
            assert!(
                found.iter().any(|r| r.why == attributes::DOC),
                "{source:?}: {found:#?}"
            );
        }
        // After a doc comment, it is a shebang line again: the compiler skips it.
        allowed("#! /// doc\n fn f() {}");
    }

    /// The engine builds such a file, so that the compiler's error is the verdict, and
    /// refuses it only should it build.
    #[test]
    fn an_unreadable_file_is_told_apart_from_a_refused_one() {
        for source in [
            "fn f() { let s = \"never closed; }",
            "fn f() -> u32 {\n    (1 + 2\n}",
        ] {
            let found = refusals(source, &[], false);
            assert_eq!(found.len(), 1, "{found:#?}");
            assert!(found[0].is_unreadable(), "{found:#?}");
        }
        let refused = refusals("fn f() { std::process::exit(0) }", &[], false);
        assert!(!refused[0].is_unreadable());
    }
}
