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

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use super::attributes;

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

const PROCESS: &str =
    "process control could end the test before its harness reports, or fake that report.";
const ENVIRONMENT: &str = "the environment and the arguments belong to the runner; reading them lets code forge the harness's report.";
const FILES: &str = "an exercise has no business with files: code that can write them can forge the harness's report or read other students' work.";
const NETWORK: &str = "an exercise has no business with the network.";
const OS: &str = "it reaches the operating system directly, around std's safe interfaces.";
const FFI: &str =
    "FFI and inline assembly reach the operating system around every other rule of the kit.";
pub(super) const LINKER: &str =
    "linker attributes place code where the program's normal flow, and the kit, cannot see it.";
pub(super) const MACROS: &str = "exported macros land in the checks' crate, where they would replace the checks' own `assert!` and `panic!`.";
const INCLUDE: &str = "it pulls in files that are not part of the exercise.";
pub(super) const MODULE: &str = "only this file is graded, so its code must be in this file.";
pub(super) const TESTS: &str =
    "a test in the exercise file would be counted as one of the kit's checks.";
const CHECKS: &str = "it reaches the checks' crate, of which this file is a module, rather than the exercise's own code.";
const UNSAFE: &str =
    "this exercise needs no unsafe code, and unsafe code could write into the checks' memory.";
const MACRO_VARIABLE: &str = "a path, macro name, attribute or import built from a macro's variables cannot be judged where it is written; write it out.";
const MACRO_DEFINITION: &str = "the kit judges the code as it is written, and a macro of the file's own could assemble a path, attribute or module out of its sight; write the code out.";
const EXTERN_CRATE: &str = "`extern crate` binds a crate under a name of its choosing, or brings in its macros; name the crate by its path.";
const REBOUND: &str = "the kit knows the attributes it allows by this name, which must mean here what it means everywhere; choose another name.";
const PRELUDE: &str = "std's prelude holds its built-in attribute macros (`test`, `global_allocator`, …), which an import could rename; its names are in scope already.";
const UNSOUND: &str = "it is the shape of a known hole in the compiler's checks (rust-lang/rust#25860), through which safe code can reinterpret any memory and fake the harness's verdict; an exercise never needs a reference to a reference with two lifetimes of its own.";
const NESTED: &str = "its brackets nest deeper than any exercise needs (more than 256 levels), deeper than the kit's readers of Rust can follow.";
const WHICH_CHECK: &str = "it can tell the code which check is calling it (the checks' names are in their closures' types, their callers' locations and their backtraces), and an answer must behave the same under every check.";
const INTERNAL: &str = "it is a hidden helper of a dependency's macro, which builds paths from what it is given; call the macro itself.";
const GLOB: &str = "a glob import from there would bring in what the kit does not allow under names it cannot follow; import what you need by name.";
const UNREADABLE: &str = "the compiler builds it, but the kit's reader of Rust cannot read it, so the kit cannot judge it; write it more plainly.";
const TANGLED: &str =
    "its aliases are too tangled for the kit to follow; import each item once, by name.";
const CHECK_HELPERS: &str = "the checks' helpers are for the checks: an exercise that uses them is judged by what it borrowed.";
const LOOM: &str = "loom sees only its own types, so code built on std's (or on a crate built on them: tokio, futures, rayon) would pass the model check even when racy; import it from the shim instead (`threadlings::sync`, `threadlings::cell`, `threadlings::thread`, `threadlings::hint`), which is std's in a normal build and loom's under the model check.";

/// Paths an exercise may not name, with everything under them, and why.
const BANNED: &[(&str, &str)] = &[
    ("threadlings::check", CHECK_HELPERS),
    ("std::process", PROCESS),
    ("tokio::process", PROCESS),
    ("std::env", ENVIRONMENT),
    ("core::env", ENVIRONMENT),
    ("std::option_env", ENVIRONMENT),
    ("core::option_env", ENVIRONMENT),
    ("std::fs", FILES),
    // `Path`'s own methods (`metadata`, `read_dir`, `read_link`, `exists`) reach the
    // file system without naming `std::fs`.
    ("std::path", FILES),
    ("tokio::fs", FILES),
    ("std::io::pipe", FILES),
    ("std::io::PipeReader", FILES),
    ("std::io::PipeWriter", FILES),
    ("std::net", NETWORK),
    ("tokio::net", NETWORK),
    ("std::os", OS),
    ("tokio::signal", OS),
    ("tokio::io::unix", OS),
    ("std::arch", FFI),
    ("core::arch", FFI),
    ("std::intrinsics", FFI),
    ("core::intrinsics", FFI),
    ("std::include", INCLUDE),
    ("core::include", INCLUDE),
    ("std::include_str", INCLUDE),
    ("core::include_str", INCLUDE),
    ("std::include_bytes", INCLUDE),
    ("core::include_bytes", INCLUDE),
    ("std::prelude", PRELUDE),
    ("core::prelude", PRELUDE),
    ("tokio::test", TESTS),
    ("std::any::type_name", WHICH_CHECK),
    ("core::any::type_name", WHICH_CHECK),
    ("std::any::type_name_of_val", WHICH_CHECK),
    ("core::any::type_name_of_val", WHICH_CHECK),
    ("std::panic::Location", WHICH_CHECK),
    ("core::panic::Location", WHICH_CHECK),
    ("std::backtrace", WHICH_CHECK),
    // The macros that turn what they are given into a path, each behind a public
    // macro that gives them only what it has checked (ARCHITECTURE.md, "Trusting a
    // test run"): tokio's `select_variant!` appends a path it is given to its own.
    ("tokio::select_variant", INTERNAL),
    ("tokio::count", INTERNAL),
    ("tokio::count_field", INTERNAL),
    ("tokio::select_priv_declare_output_enum", INTERNAL),
    ("tokio::select_priv_clean_pattern", INTERNAL),
    ("tokio::__task_local_inner", INTERNAL),
    ("loom::__thread_local_inner", INTERNAL),
    ("loom::__lazy_static_internal", INTERNAL),
];

/// What loom cannot see, refused under the loom check: std's synchronization, and the
/// crates whose types hold std's atomics and locks inside.
const LOOM_BANNED: [&str; 15] = [
    "std::sync",
    "core::sync",
    "alloc::sync",
    "std::cell::UnsafeCell",
    "core::cell::UnsafeCell",
    "std::cell::Cell",
    "core::cell::Cell",
    "std::cell::OnceCell",
    "core::cell::OnceCell",
    "std::hint::spin_loop",
    "core::hint::spin_loop",
    "tokio",
    "futures",
    "rayon",
    "std::thread",
];

/// Under loom, what the shim itself takes from std.
const LOOM_ALLOWED: [&str; 2] = [
    "std::sync::atomic::Ordering",
    "core::sync::atomic::Ordering",
];

/// Macros of std's prelude that reach what `BANNED` refuses when called without a
/// path, and the path the catalog allows them by.
const BANNED_MACROS: [(&str, &str); 8] = [
    ("env", "std::env"),
    ("option_env", "std::option_env"),
    ("include", "std::include"),
    ("include_str", "std::include_str"),
    ("include_bytes", "std::include_bytes"),
    ("asm", "std::arch::asm"),
    ("global_asm", "std::arch::global_asm"),
    ("naked_asm", "std::arch::naked_asm"),
];

/// How many readings of one path the aliases may give before the file is refused: a
/// name bound many times over could otherwise make following them take forever.
const MAX_READINGS: usize = 256;

/// Words that cannot start a path (`self`, `super`, `crate` and `Self` can).
const KEYWORDS: [&str; 48] = [
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Judges `source` against `rules`: every refusal, in the order of the file.
pub fn judge(source: &str, rules: &Rules) -> Vec<Refusal> {
    if let Some(line) = super::nested_too_deep(source) {
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

/// A path as the file wrote it: `::std::process` or `s::process`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Written {
    leading_colons: bool,
    segments: Vec<String>,
}

impl Written {
    fn show(&self) -> String {
        let path = self.segments.join("::");
        if self.leading_colons {
            format!("`::{path}`")
        } else {
            format!("`{path}`")
        }
    }
}

struct Judge<'a> {
    rules: &'a Rules<'a>,
    /// Names that `use` items bind, anywhere in the file, to what they name. Scopes are
    /// not told apart: a name bound twice may be either.
    aliases: BTreeMap<String, BTreeSet<Written>>,
    /// Modules the file defines, whose names may lead a path to an alias inside them.
    modules: BTreeSet<String>,
    refusals: BTreeSet<Refusal>,
}

impl<'a> Judge<'a> {
    fn new(rules: &'a Rules<'a>) -> Judge<'a> {
        Judge {
            rules,
            aliases: BTreeMap::new(),
            modules: BTreeSet::new(),
            refusals: BTreeSet::new(),
        }
    }

    fn refuse(&mut self, line: usize, what: impl Into<String>, why: &'static str) {
        self.refusals.insert(Refusal {
            line,
            what: what.into(),
            why,
        });
    }

    /// First pass: the aliases that `use` items bind and the modules the file defines,
    /// wherever they are, so that a path can be resolved before its alias is seen.
    fn collect_names(&mut self, tokens: &[TokenTree]) {
        let mut index = 0;
        while index < tokens.len() {
            if is_keyword(&tokens[index], "use") && !is_punct(tokens.get(index + 1), '<') {
                let end = statement_end(tokens, index + 1);
                for import in use_tree(&tokens[index + 1..end]) {
                    if let Some(binding) = import.binding {
                        let mut target = import.path;
                        target.segments.retain(|s| s != "self" && s != "super");
                        self.aliases.entry(binding).or_default().insert(target);
                    }
                }
                index = end;
                continue;
            }
            if is_keyword(&tokens[index], "mod")
                && let Some(TokenTree::Ident(name)) = tokens.get(index + 1)
                && matches!(tokens.get(index + 2), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace)
            {
                self.modules.insert(unraw(&name.to_string()));
            }
            if let TokenTree::Group(group) = &tokens[index] {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                self.collect_names(&inner);
            }
            index += 1;
        }
    }

    /// Second pass: judges every token, attribute, import, path and macro call.
    /// `depth` counts the file's own modules around the tokens, for `super`.
    fn scan(&mut self, tokens: &[TokenTree], depth: usize) {
        let mut index = 0;
        while index < tokens.len() {
            let token = &tokens[index];
            let line = line_of(token);
            match token {
                TokenTree::Punct(punct) if punct.as_char() == '#' => {
                    let inner = usize::from(is_punct(tokens.get(index + 1), '!'));
                    if let Some(TokenTree::Group(group)) = tokens.get(index + 1 + inner)
                        && group.delimiter() == Delimiter::Bracket
                    {
                        let attribute: Vec<TokenTree> = group.stream().into_iter().collect();
                        self.attribute(&attribute, line);
                        self.scan(&attribute, depth);
                        index += 2 + inner;
                        continue;
                    }
                }
                TokenTree::Punct(punct) if punct.as_char() == '$' => {
                    self.macro_variable(tokens, index);
                }
                TokenTree::Punct(punct)
                    if punct.as_char() == '&' && nested_named_references(&tokens[index..]) =>
                {
                    self.refuse(
                        line,
                        "`&'a &'b` (a reference to a reference, both with lifetimes)",
                        UNSOUND,
                    );
                }
                TokenTree::Ident(ident) => {
                    let word = ident.to_string();
                    match word.as_str() {
                        "use" if !is_punct(tokens.get(index + 1), '<') => {
                            let end = statement_end(tokens, index + 1);
                            self.import(&tokens[index + 1..end], line, depth);
                            index = end;
                            continue;
                        }
                        "mod" => {
                            if let Some(body) = self.module(tokens, index) {
                                self.scan(&body, depth + 1);
                                index += 3;
                                continue;
                            }
                        }
                        _ => self.word(&word, tokens.get(index + 1), line),
                    }
                    let starts_path = !KEYWORDS.contains(&word.as_str())
                        && !follows_path_separator(tokens, index)
                        && !is_punct(index.checked_sub(1).and_then(|i| tokens.get(i)), '.')
                        && !is_lifetime(tokens, index);
                    if starts_path {
                        index = self.path(tokens, index, false, depth);
                        continue;
                    }
                }
                TokenTree::Punct(punct)
                    if punct.as_char() == ':'
                        && punct.spacing() == Spacing::Joint
                        && is_punct(tokens.get(index + 1), ':')
                        && matches!(tokens.get(index + 2), Some(TokenTree::Ident(_))) =>
                {
                    index = self.path(tokens, index + 2, true, depth);
                    continue;
                }
                TokenTree::Group(group) => {
                    let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                    self.scan(&inner, depth);
                }
                _ => {}
            }
            index += 1;
        }
    }

    /// Refuses what a word starts, seen with the token after it: `extern`, `unsafe`,
    /// and the definition of a macro.
    fn word(&mut self, word: &str, next: Option<&TokenTree>, line: usize) {
        match word {
            "extern" if is_word(next, "crate") => {
                self.refuse(line, "`extern crate`", EXTERN_CRATE);
            }
            "extern" => self.refuse(line, "`extern`", FFI),
            "unsafe" if !self.allows("unsafe") => self.refuse(line, "`unsafe`", UNSAFE),
            "macro_rules" | "r#macro_rules"
                if is_punct(next, '!') && !self.allows("macro_rules") =>
            {
                self.refuse(line, "`macro_rules!`", MACRO_DEFINITION);
            }
            "macro" if matches!(next, Some(TokenTree::Ident(_))) => {
                self.refuse(line, "`macro`", MACRO_DEFINITION);
            }
            _ => {}
        }
    }

    /// Whether the catalog allows this exercise `item` (`unsafe`, `macro_rules`).
    fn allows(&self, item: &str) -> bool {
        self.rules.allowed.iter().any(|allowed| allowed == item)
    }

    /// Refuses a binding of a name that allowed attributes start with (`derive`,
    /// `tokio`), unless it binds `tokio` to itself.
    fn binding(&mut self, name: &str, target: Option<&Written>, line: usize) {
        let itself = target.is_some_and(|target| target.segments == [name]);
        if attributes::ROOTS.contains(&name) && !itself {
            self.refuse(line, format!("the name `{name}`"), REBOUND);
        }
    }

    /// `mod name;` is refused; `mod name { … }` gives its body.
    fn module(&mut self, tokens: &[TokenTree], index: usize) -> Option<Vec<TokenTree>> {
        let line = line_of(&tokens[index]);
        let name = match tokens.get(index + 1) {
            Some(TokenTree::Ident(name)) => {
                self.binding(&unraw(&name.to_string()), None, line);
                name.to_string()
            }
            Some(TokenTree::Punct(p)) if p.as_char() == '$' => {
                self.refuse(line, "`mod $…`", MACRO_VARIABLE);
                return None;
            }
            _ => return None,
        };
        match tokens.get(index + 2) {
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                Some(group.stream().into_iter().collect())
            }
            Some(TokenTree::Punct(p)) if p.as_char() == ';' => {
                self.refuse(line, format!("`mod {name};`"), MODULE);
                None
            }
            _ => None,
        }
    }

    /// Rules on `$name` in a macro's body (outside macros `$` is not Rust at all).
    fn macro_variable(&mut self, tokens: &[TokenTree], index: usize) {
        let line = line_of(&tokens[index]);
        let Some(TokenTree::Ident(name)) = tokens.get(index + 1) else {
            return;
        };
        let name = name.to_string();
        if name == "crate" {
            self.refuse(line, "`$crate`", CHECKS);
            return;
        }
        let before = index.checked_sub(1).and_then(|i| tokens.get(i));
        let joined_before = is_punct(before, ':')
            && index >= 2
            && matches!(&tokens[index - 2], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint);
        let joined_after = matches!(tokens.get(index + 2), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
            && is_punct(tokens.get(index + 3), ':');
        let called = matches!(tokens.get(index + 2), Some(TokenTree::Punct(p)) if p.as_char() == '!' && p.spacing() == Spacing::Alone);
        if joined_before || joined_after || called {
            self.refuse(line, format!("`${name}` in a path"), MACRO_VARIABLE);
        }
    }

    /// Judges an attribute's content (the tokens inside `#[…]`).
    fn attribute(&mut self, attribute: &[TokenTree], line: usize) {
        if attribute
            .iter()
            .any(|token| matches!(token, TokenTree::Punct(p) if p.as_char() == '$'))
        {
            self.refuse(
                line,
                "an attribute from a macro's variables",
                MACRO_VARIABLE,
            );
            return;
        }
        if let Some((what, why)) = attributes::judge(attribute, self.rules.allowed) {
            self.refuse(line, what, why);
        }
    }

    /// Judges a `use` item's tree (the tokens between `use` and `;`).
    fn import(&mut self, tree: &[TokenTree], line: usize, depth: usize) {
        if tree
            .iter()
            .any(|token| matches!(token, TokenTree::Punct(p) if p.as_char() == '$'))
        {
            self.refuse(line, "a `use` from a macro's variables", MACRO_VARIABLE);
            return;
        }
        for import in use_tree(tree) {
            if let Some(binding) = &import.binding {
                self.binding(binding, Some(&import.path), line);
            }
            let shown = if import.glob {
                format!("`{}::*`", import.path.segments.join("::"))
            } else {
                import.path.show()
            };
            self.judge_path(
                &import.path,
                &shown,
                line,
                depth,
                Use::Import { glob: import.glob },
            );
        }
    }

    /// Reads the path that starts at `tokens[start]` (an identifier), judges it, and
    /// returns the index after it.
    fn path(&mut self, tokens: &[TokenTree], start: usize, leading: bool, depth: usize) -> usize {
        let line = line_of(&tokens[start]);
        let mut segments = Vec::new();
        let mut index = start;
        while let Some(TokenTree::Ident(ident)) = tokens.get(index) {
            segments.push(unraw(&ident.to_string()));
            let separated = matches!(tokens.get(index + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
                && is_punct(tokens.get(index + 2), ':');
            if !separated {
                index += 1;
                break;
            }
            index += 3;
        }
        let written = Written {
            leading_colons: leading,
            segments,
        };
        let macro_call = matches!(tokens.get(index), Some(TokenTree::Punct(p)) if p.as_char() == '!' && p.spacing() == Spacing::Alone);
        if macro_call && !written.leading_colons && written.segments.len() == 1 {
            let name = &written.segments[0];
            if let Some((_, path)) = BANNED_MACROS.iter().find(|(banned, _)| banned == name) {
                let path: Vec<String> = path.split("::").map(str::to_string).collect();
                if let Some(why) = self.banned(&path) {
                    self.refuse(line, format!("`{name}!`"), why);
                }
            }
        }
        self.judge_path(&written, &written.show(), line, depth, Use::Path);
        index
    }

    /// Refuses `written` if any path it may resolve to is banned (for a glob, if it
    /// holds something banned).
    fn judge_path(&mut self, written: &Written, shown: &str, line: usize, depth: usize, how: Use) {
        let glob = how == Use::Import { glob: true };
        let mut resolved = Vec::new();
        if let Err(why) = self.resolve(written, depth, how, 8, &mut resolved) {
            self.refuse(line, shown.to_string(), why);
            return;
        }
        for path in resolved {
            if let Some(why) = self.banned(&path) {
                self.refuse(line, shown.to_string(), why);
                return;
            }
            if glob && let Some(why) = self.holds_banned(&path) {
                self.refuse(line, shown.to_string(), why);
                return;
            }
        }
    }

    /// Every absolute path `written` may stand for, through the file's aliases and
    /// modules. `Err` when it leaves the exercise for the checks' crate.
    fn resolve(
        &self,
        written: &Written,
        mut depth: usize,
        how: Use,
        budget: u8,
        out: &mut Vec<Vec<String>>,
    ) -> Result<(), &'static str> {
        if written.leading_colons {
            out.push(written.segments.clone());
            return Ok(());
        }
        let mut rest: &[String] = &written.segments;
        while let Some((first, tail)) = rest.split_first() {
            // `pub(crate)` and `pub(super)` name the checks' crate harmlessly; a path
            // into it, or an import from it, reaches what the checks imported.
            let into = !tail.is_empty() || how != Use::Path;
            match first.as_str() {
                "self" => rest = tail,
                "super" if depth == 0 && into => return Err(CHECKS),
                "super" => {
                    depth = depth.saturating_sub(1);
                    rest = tail;
                }
                "crate" if into => return Err(CHECKS),
                _ => break,
            }
        }
        let Some((first, tail)) = rest.split_first() else {
            return Ok(());
        };
        if out.len() >= MAX_READINGS {
            return Err(TANGLED);
        }
        out.push(rest.to_vec());
        if budget == 0 {
            return Ok(());
        }
        if let Some(targets) = self.aliases.get(first) {
            for target in targets {
                let mut segments = target.segments.clone();
                segments.extend_from_slice(tail);
                let expanded = Written {
                    leading_colons: target.leading_colons,
                    segments,
                };
                self.resolve(&expanded, depth, how, budget - 1, out)?;
            }
        }
        if self.modules.contains(first) && !tail.is_empty() {
            let inner = Written {
                leading_colons: false,
                segments: tail.to_vec(),
            };
            self.resolve(&inner, depth + 1, how, budget - 1, out)?;
        }
        Ok(())
    }

    /// Why `path` is refused, if it is.
    fn banned(&self, path: &[String]) -> Option<&'static str> {
        if self.allowed(path) {
            return None;
        }
        if let Some((_, why)) = BANNED.iter().find(|(banned, _)| starts_with(path, banned)) {
            return Some(why);
        }
        if self.rules.loom
            && !LOOM_ALLOWED
                .iter()
                .any(|allowed| starts_with(path, allowed))
            && LOOM_BANNED.iter().any(|banned| starts_with(path, banned))
        {
            return Some(LOOM);
        }
        None
    }

    /// Why a glob import of `path` is refused: it holds something banned.
    fn holds_banned(&self, path: &[String]) -> Option<&'static str> {
        let inside = |banned: &str| {
            let banned: Vec<&str> = banned.split("::").collect();
            banned.len() > path.len() && banned.iter().zip(path).all(|(a, b)| *a == b)
        };
        if BANNED.iter().any(|(banned, _)| inside(banned))
            || (self.rules.loom && LOOM_BANNED.iter().any(|banned| inside(banned)))
        {
            return Some(GLOB);
        }
        None
    }

    fn allowed(&self, path: &[String]) -> bool {
        self.rules
            .allowed
            .iter()
            .any(|allowed| starts_with(path, allowed))
    }
}

/// How a path is used: in code, or imported by `use` (a glob, or by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Path,
    Import { glob: bool },
}

/// Whether `path` is `prefix` or lies under it.
fn starts_with(path: &[String], prefix: &str) -> bool {
    let prefix: Vec<&str> = prefix.split("::").collect();
    prefix.len() <= path.len() && prefix.iter().zip(path).all(|(a, b)| *a == b)
}

/// One path a `use` tree names, and the name it binds (none for a glob or `_`).
struct Import {
    path: Written,
    binding: Option<String>,
    glob: bool,
}

/// The paths of a `use` tree: `::a::b::{self, c as d, e::*}`.
fn use_tree(tokens: &[TokenTree]) -> Vec<Import> {
    let mut imports = Vec::new();
    let leading = is_punct(tokens.first(), ':');
    let start = if leading { 2 } else { 0 };
    let prefix = Written {
        leading_colons: leading,
        segments: Vec::new(),
    };
    use_subtree(&tokens[start.min(tokens.len())..], prefix, &mut imports);
    imports
}

fn use_subtree(tokens: &[TokenTree], mut prefix: Written, imports: &mut Vec<Import>) {
    let mut index = 0;
    loop {
        match tokens.get(index) {
            Some(TokenTree::Ident(ident)) => {
                let name = unraw(&ident.to_string());
                if is_punct(tokens.get(index + 1), ':') && is_punct(tokens.get(index + 2), ':') {
                    prefix.segments.push(name);
                    index += 3;
                    continue;
                }
                let binding = match (tokens.get(index + 1), tokens.get(index + 2)) {
                    (Some(TokenTree::Ident(kw)), Some(TokenTree::Ident(alias))) if *kw == "as" => {
                        let alias = unraw(&alias.to_string());
                        (alias != "_").then_some(alias)
                    }
                    _ if name == "self" => prefix.segments.last().cloned(),
                    _ => Some(name.clone()),
                };
                if name != "self" {
                    prefix.segments.push(name);
                }
                imports.push(Import {
                    path: prefix,
                    binding,
                    glob: false,
                });
                return;
            }
            Some(TokenTree::Punct(p)) if p.as_char() == '*' => {
                imports.push(Import {
                    path: prefix,
                    binding: None,
                    glob: true,
                });
                return;
            }
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                for part in split_commas(&inner) {
                    use_subtree(part, prefix.clone(), imports);
                }
                return;
            }
            _ => return,
        }
    }
}

/// The tokens between commas at the top level of `tokens`.
fn split_commas(tokens: &[TokenTree]) -> Vec<&[TokenTree]> {
    tokens
        .split(|token| matches!(token, TokenTree::Punct(p) if p.as_char() == ','))
        .filter(|part| !part.is_empty())
        .collect()
}

/// The index of the `;` that ends the item starting at `from` (or the end).
fn statement_end(tokens: &[TokenTree], from: usize) -> usize {
    (from..tokens.len())
        .find(|&index| is_punct(tokens.get(index), ';'))
        .unwrap_or(tokens.len())
}

fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn is_word(token: Option<&TokenTree>, word: &str) -> bool {
    matches!(token, Some(TokenTree::Ident(ident)) if ident == word)
}

/// A keyword, as written (a raw identifier `r#use` is not one).
fn is_keyword(token: &TokenTree, keyword: &str) -> bool {
    matches!(token, TokenTree::Ident(ident) if ident == keyword)
}

/// Whether `tokens[index]` comes right after `::`, inside a path being read.
fn follows_path_separator(tokens: &[TokenTree], index: usize) -> bool {
    index >= 2
        && is_punct(tokens.get(index - 1), ':')
        && matches!(&tokens[index - 2], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
}

/// `'a` and `'label`: a lifetime's name is not a path.
/// Whether `tokens` start with `&'a &'b` (or `&'a mut &'b`): a type whose lifetimes
/// imply a bound (`'b: 'a`) that the compiler forgets when a function taking it becomes
/// a function pointer (rust-lang/rust#25860), which turns any lifetime into `'static`
/// and, from there, any value into any type, without `unsafe`.
fn nested_named_references(tokens: &[TokenTree]) -> bool {
    let lifetime_at = |index: usize| {
        matches!(tokens.get(index), Some(TokenTree::Punct(p)) if p.as_char() == '\'' && p.spacing() == Spacing::Joint)
            && matches!(tokens.get(index + 1), Some(TokenTree::Ident(_)))
    };
    if !is_punct(tokens.first(), '&') || !lifetime_at(1) {
        return false;
    }
    let mut next = 3;
    if matches!(tokens.get(next), Some(TokenTree::Ident(word)) if *word == "mut") {
        next += 1;
    }
    is_punct(tokens.get(next), '&') && lifetime_at(next + 1)
}

fn is_lifetime(tokens: &[TokenTree], index: usize) -> bool {
    matches!(
        index.checked_sub(1).and_then(|i| tokens.get(i)),
        Some(TokenTree::Punct(p)) if p.as_char() == '\'' && p.spacing() == Spacing::Joint
    )
}

fn unraw(name: &str) -> String {
    name.strip_prefix("r#").unwrap_or(name).to_string()
}

fn line_of(token: &TokenTree) -> usize {
    token.span().start().line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusals(source: &str, allowed: &[&str], loom: bool) -> Vec<Refusal> {
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
    fn refused(source: &str, line: usize, why: &str) {
        let found = refusals(source, &[], false);
        assert!(
            found.iter().any(|r| r.line == line && r.why == why),
            "expected a refusal at line {line} ({why}) of\n{source}\nfound {found:#?}"
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

    #[track_caller]
    fn allowed(source: &str) {
        let found = refusals(source, &[], false);
        assert!(
            found.is_empty(),
            "expected\n{source}\nto be allowed: {found:#?}"
        );
    }

    #[test]
    fn process_control_is_refused_however_the_path_is_written() {
        refused("fn f() { std::process::exit(0) }", 1, PROCESS);
        refused("fn f() { ::std::process::exit(0) }", 1, PROCESS);
        refused("fn f() {\n return ::std::process::exit(0); }", 2, PROCESS);
        refused(
            "fn f(a: u8) -> bool { a > ::std::process::exit(0) }",
            1,
            PROCESS,
        );
        refused("fn f() { r#std::r#process::exit(0) }", 1, PROCESS);
        refused("fn f() { std/* a */::/**/process :: exit(0) }", 1, PROCESS);
        refused(
            "fn f() { <std::process::Command>::new(\"x\"); }",
            1,
            PROCESS,
        );
        refused(
            "use std::process::{self as p};\nfn f() { p::exit(0) }",
            1,
            PROCESS,
        );
        refused(
            "fn f() { tokio::process::Command::new(\"sh\"); }",
            1,
            PROCESS,
        );
    }

    /// A wrong answer that keys off the check calling it: the name of the check is in
    /// the type of the closure it passes, in its caller's location under
    /// `#[track_caller]`, and in a backtrace.
    #[test]
    fn what_names_the_calling_check_is_refused() {
        refused(
            "pub fn run<F: FnOnce()>(f: F) { if std::any::type_name::<F>().contains(\"same_time\") {} f() }",
            1,
            WHICH_CHECK,
        );
        refused(
            "use std::any;\npub fn run<F: FnOnce()>(f: F) { any::type_name_of_val(&f); f() }",
            2,
            WHICH_CHECK,
        );
        refused(
            "#[track_caller]\npub fn run() -> u32 { std::panic::Location::caller().line() }",
            2,
            WHICH_CHECK,
        );
        refused(
            "use std::panic::Location as L;\npub fn run() { L::caller(); }",
            1,
            WHICH_CHECK,
        );
        refused(
            "pub fn run() { std::backtrace::Backtrace::force_capture(); }",
            1,
            WHICH_CHECK,
        );
    }

    /// The known exploit of rust-lang/rust#25860 ("cve-rs") needs a reference to a
    /// reference, both with named lifetimes; elided ones, and one named, are ordinary.
    #[test]
    fn the_shape_of_the_lifetime_hole_is_refused() {
        refused(
            "fn t<'a, 'b, T>(_: &'a &'b (), v: &'b T) -> &'a T { v }",
            1,
            UNSOUND,
        );
        refused(
            "fn t<'a, 'b, T>(_: &'a mut &'b (), v: &'b mut T) -> &'a mut T { v }",
            1,
            UNSOUND,
        );
        refused(
            "struct S<'a, 'b>(std::marker::PhantomData<&'a &'b ()>);",
            1,
            UNSOUND,
        );
        allowed("fn f(words: &[&str]) -> usize { words.len() }");
        allowed("fn f<'a>(words: &'a [&str]) -> &'a str { words[0] }");
        allowed("fn f<'a>(x: &&'a str) -> &'a str { x }");
    }

    #[test]
    fn paths_of_the_file_system_are_refused_with_their_methods() {
        refused(
            "pub fn f() -> bool { std::path::Path::new(\"/proc/1\").exists() }",
            1,
            FILES,
        );
        refused(
            "use std::path::Path;\npub fn f() -> bool { Path::new(\"/\").is_dir() }",
            1,
            FILES,
        );
    }

    #[test]
    fn aliases_and_reexports_are_followed() {
        refused("use std as s;\nfn f() { s::process::exit(0) }", 2, PROCESS);
        refused(
            "use ::std as s;\nuse s as t;\nfn f() { t::process::abort() }",
            3,
            PROCESS,
        );
        refused(
            "mod m { pub use std as s; }\nfn f() { m::s::process::exit(0) }",
            2,
            PROCESS,
        );
        refused(
            "fn f() { inner::s::env::args(); }\nmod inner { pub use core as c; pub use std as s; }",
            1,
            ENVIRONMENT,
        );
        refused("use std::io as sio;\nfn f() { sio::pipe(); }", 2, FILES);
        // Contextual keywords and raw identifiers are names like any other.
        refused(
            "use std as union;\nfn f() { union::process::exit(0) }",
            2,
            PROCESS,
        );
        refused(
            "use std as raw;\nfn f() { raw::env::args(); }",
            2,
            ENVIRONMENT,
        );
        refused(
            "use std as r#return;\nfn f() { r#return::process::exit(0) }",
            2,
            PROCESS,
        );
    }

    #[test]
    fn aliases_too_tangled_to_follow_are_refused() {
        let mut source = String::from("mod m0 { pub use std as a; }\n");
        for module in 1..300 {
            let before = module - 1;
            source.push_str(&format!(
                "mod m{module} {{ pub use super::m{before}::a; }}\n"
            ));
        }
        source.push_str("fn f() { a::thread::yield_now(); }\n");
        let found = refusals(&source, &[], false);
        assert!(found.iter().any(|r| r.why == TANGLED), "{found:#?}");
    }

    #[test]
    fn globs_that_hold_banned_items_are_refused() {
        refused("use std::*;", 1, GLOB);
        refused("use tokio::*;", 1, GLOB);
        refused("use std::{io::*};", 1, GLOB);
        allowed("use std::sync::atomic::*;\nuse rayon::prelude::*;");
    }

    #[test]
    fn the_environment_files_network_and_os_are_refused() {
        refused("fn f() { std::env::args(); }", 1, ENVIRONMENT);
        refused("const X: &str = env!(\"HOME\");", 1, ENVIRONMENT);
        refused("fn f() { option_env!(\"HOME\"); }", 1, ENVIRONMENT);
        refused("fn f() { std::fs::write(\"log\", \"ok\"); }", 1, FILES);
        refused(
            "async fn f() { tokio::fs::write(\"log\", \"ok\").await; }",
            1,
            FILES,
        );
        refused("use std::net::TcpStream;", 1, NETWORK);
        refused("use std::os::fd::FromRawFd;", 1, OS);
        refused("const S: &str = include_str!(\"/etc/passwd\");", 1, INCLUDE);
        refused(
            "#[doc = include_str!(\"../../solutions/x.rs\")]\nfn f() {}",
            1,
            INCLUDE,
        );
    }

    #[test]
    fn macros_that_would_reach_the_checks_crate_are_refused() {
        refused(
            "#[macro_export]\nmacro_rules! assert { ($($t:tt)*) => { () } }",
            1,
            MACROS,
        );
        refused(
            "#![macro_use]\nmacro_rules! assert_eq { ($($t:tt)*) => {} }",
            1,
            MACROS,
        );
        refused(
            "#[cfg_attr(all(), macro_export)]\nmacro_rules! panic { ($($t:tt)*) => {} }",
            1,
            attributes::NOT_ALLOWED,
        );
        refused(
            "#[macro_use]\nmod inner { macro_rules! m { () => {} } }",
            1,
            MACROS,
        );
    }

    #[test]
    fn macros_of_the_files_own_are_refused() {
        refused(
            "macro_rules! p { ($($t:ident)*) => { $($t)::* }; }\nfn f() { p!(std process exit)(0) }",
            1,
            MACRO_DEFINITION,
        );
        refused(
            "fn f() {\n    macro_rules! twice { ($e:expr) => { $e + $e } }\n}",
            2,
            MACRO_DEFINITION,
        );
        refused("r#macro_rules! m { () => {} }", 1, MACRO_DEFINITION);
        refused(
            "pub macro p($($t:ident)*) { $($t)::* }",
            1,
            MACRO_DEFINITION,
        );
        // A macro that writes a macro: the outer one is refused, whatever the inner does.
        refused(
            "macro_rules! outer { ($d:tt) => { macro_rules! p { ($d($d t:ident)*) => { $d($d t)::* }; } }; }\nouter!($);",
            1,
            MACRO_DEFINITION,
        );
        // `macro_rules` is a name like any other where no macro is defined.
        allowed("fn f(macro_rules: u32) -> u32 { macro_rules }");
    }

    #[test]
    fn forgeries_built_by_a_macro_are_refused_where_it_is_defined() {
        let forgery = "macro_rules! p { ($($t:ident)*) => { $($t)::* }; }\nfn f() { let _ = p!(std env args); p!(std fs write)(\"log\", \"ok\"); p!(std process exit)(0) }";
        let found = refusals(forgery, &[], false);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].line, found[0].why), (1, MACRO_DEFINITION));
        let atomics = "macro_rules! p { ($($t:ident)*) => { $($t)::* }; }\nstruct L { f: p!(std sync atomic AtomicBool) }";
        let found = refusals(atomics, &["unsafe"], true);
        assert!(
            found.iter().any(|r| r.why == MACRO_DEFINITION),
            "{found:#?}"
        );
        let solution = "macro_rules! m { ($h:tt $n:ident $v:literal $k:tt $s:ident) => { $h [$n = $v] $k $s; }; }\nm!(# path \"../../../solutions/01_article/spawn_join.rs\" mod sol);\npub use sol::*;";
        refused(solution, 1, MACRO_DEFINITION);
    }

    /// Where the catalog allows macros, what they build from their variables is still
    /// refused: a second guard, not a proof.
    #[test]
    fn allowed_macros_may_not_build_what_cannot_be_read() {
        let refused_with_macros = |source: &str| {
            let found = refusals(source, &["macro_rules"], false);
            assert!(
                found.iter().any(|r| r.why == MACRO_VARIABLE),
                "{source}: {found:#?}"
            );
        };
        refused_with_macros("macro_rules! p { ($a:ident, $b:ident) => { $a::$b::exit(0) } }");
        refused_with_macros("macro_rules! m { ($n:ident) => { $n!(\"HOME\") } }");
        refused_with_macros("macro_rules! u { ($a:ident) => { use $a::process; } }");
        refused_with_macros("macro_rules! a { ($a:meta) => { #[$a] fn f() {} } }");
        let found = refusals(
            "macro_rules! c { () => { $crate::AtomicBool::new(false) } }",
            &["macro_rules"],
            false,
        );
        assert!(found.iter().any(|r| r.why == CHECKS), "{found:#?}");
        let found = refusals(
            "macro_rules! q { () => { std::process::exit(0) } }",
            &["macro_rules"],
            false,
        );
        assert!(found.iter().any(|r| r.why == PROCESS), "{found:#?}");
        let twice = "macro_rules! twice { ($e:expr) => { $e + $e } }\nfn f() -> u32 { twice!(2) }";
        assert!(refusals(twice, &["macro_rules"], false).is_empty());
    }

    #[test]
    fn attributes_come_from_a_short_list() {
        allowed(
            "/// A doc comment.\n#[derive(Debug, Default)]\n#[allow(clippy::manual_async_fn)]\npub struct S;\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {}\n#[inline]\n#[must_use]\n#[track_caller]\nfn f() -> u8 { 0 }",
        );
        refused("#[cfg(test)]\nmod tests {}", 1, attributes::NOT_ALLOWED);
        refused(
            "#[cfg_attr(all(), path = \"../x.rs\")]\nmod x {}",
            1,
            attributes::NOT_ALLOWED,
        );
        refused(
            "#[tokio::main(crate = \"tokio\")]\nasync fn main() {}",
            1,
            attributes::TOKIO_MAIN,
        );
        refused(
            "#[doc = include_str!(\"../../solutions/x.rs\")]\nfn f() {}",
            1,
            attributes::DOC,
        );
        refused(
            "//! Inner.\n#![doc = concat!(\"a\", \"b\")]",
            2,
            attributes::DOC,
        );
        let repr = "#[repr(align(64))]\nstruct Padded(u64);";
        refused(repr, 1, attributes::NOT_ALLOWED);
        assert!(refusals(repr, &["#[repr]"], false).is_empty());
    }

    #[test]
    fn the_names_of_allowed_attributes_cannot_be_rebound() {
        refused("use tokio::test as main;", 1, TESTS);
        refused("mod tokio { pub use ::tokio::test as main; }", 1, REBOUND);
        refused("use futures as tokio;", 1, REBOUND);
        refused(
            "use core::prelude::v1::test as derive;\n#[derive]\nfn free_points() {}",
            1,
            REBOUND,
        );
        refused("use core::prelude::v1::test as derive;", 1, PRELUDE);
        refused("use std::prelude::rust_2024::*;", 1, PRELUDE);
        allowed("use tokio;\nuse ::tokio::sync::Mutex;");
    }

    /// The dependencies whose exported macros were read for any that turns what it is
    /// given into a path, attribute, module or file read (ARCHITECTURE.md, "Trusting a
    /// test run"), in the versions read.
    const READ: [(&str, &str); 9] = [
        ("tokio", "1.54.1"),
        ("tokio-macros", "2.7.2"),
        ("futures", "0.3.34"),
        ("futures-util", "0.3.34"),
        ("futures-core", "0.3.34"),
        ("futures-macro", "0.3.34"),
        ("rayon", "1.12.0"),
        ("rayon-core", "1.13.0"),
        ("loom", "0.7.3"),
    ];

    /// A new version's macros are read again before `Cargo.lock` takes it: until then,
    /// this fails.
    #[test]
    fn the_dependencies_macros_were_read_in_the_locked_versions() {
        let lock = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock");
        let lock: toml::Table = std::fs::read_to_string(lock).unwrap().parse().unwrap();
        let locked: Vec<(String, String)> = lock["package"]
            .as_array()
            .unwrap()
            .iter()
            .map(|package| {
                let field = |key: &str| package[key].as_str().unwrap().to_string();
                (field("name"), field("version"))
            })
            .collect();
        for (name, version) in READ {
            let versions: Vec<&str> = locked
                .iter()
                .filter(|(locked, _)| locked == name)
                .map(|(_, version)| version.as_str())
                .collect();
            assert_eq!(
                versions,
                [version],
                "{name}'s macros were read in {version}: read those of the locked version, \
                 and the policy's list of refused macros, before taking it"
            );
        }
    }

    #[test]
    fn the_dependencies_hidden_macro_helpers_are_refused() {
        refused(
            "mod m { pub use std as _0; }\nfn f() { tokio::select_variant!(m, () ::process::exit)(0) }",
            2,
            INTERNAL,
        );
        refused("use tokio::count_field;", 1, INTERNAL);
        refused(
            "loom::__lazy_static_internal!(() static ref X: u8 = 0;);",
            1,
            INTERNAL,
        );
        refused("use loom::*;", 1, GLOB);
        allowed(
            "async fn f() { tokio::join!(async {}, async {}); tokio::select! { _ = async {} => {} } }",
        );
    }

    #[test]
    fn ffi_linker_attributes_modules_and_tests_are_refused() {
        refused("unsafe extern \"C\" { fn _exit(code: i32) -> !; }", 1, FFI);
        refused("extern crate std as s;", 1, EXTERN_CRATE);
        refused("use core::arch::asm;", 1, FFI);
        refused("fn f() { asm!(\"nop\"); }", 1, FFI);
        refused("#[unsafe(no_mangle)]\npub fn main() {}", 1, LINKER);
        refused("#[export_name = \"main\"]\npub fn m() {}", 1, LINKER);
        refused(
            "#[used]\n#[unsafe(link_section = \".init_array\")]\nstatic F: fn() = f;",
            1,
            LINKER,
        );
        refused("#[global_allocator]\nstatic A: A = A;", 1, LINKER);
        refused("mod other;", 1, MODULE);
        refused(
            "#[path = \"../../solutions/01_article/spawn_join.rs\"]\nmod s {}",
            1,
            MODULE,
        );
        refused("#[test]\nfn free_points() {}", 1, TESTS);
        refused("#[tokio::test]\nasync fn free_points() {}", 1, TESTS);
        refused(
            "#[cfg_attr(not(any()), test)]\nfn free_points() {}",
            1,
            attributes::NOT_ALLOWED,
        );
        refused(
            "#[no_implicit_prelude]\nmod m {}",
            1,
            attributes::NOT_ALLOWED,
        );
    }

    #[test]
    fn the_checks_crate_is_out_of_reach() {
        refused("use super::*;", 1, CHECKS);
        refused("fn f() { crate::AtomicBool::new(false); }", 1, CHECKS);
        refused("use crate::Ordering;", 1, CHECKS);
        allowed("pub(crate) fn f() {}\npub(super) fn g() {}\nmod inner { use super::f; }");
    }

    #[test]
    fn unsafe_needs_the_catalogs_leave() {
        refused("fn f(p: *const u8) -> u8 { unsafe { *p } }", 1, UNSAFE);
        assert!(refusals("unsafe impl Sync for X {}", &["unsafe"], false).is_empty());
    }

    #[test]
    fn the_catalog_allows_single_items() {
        let source = "fn f() { std::env::var(\"X\"); }\nfn g() { std::env::args(); }";
        let found = refusals(source, &["std::env::var"], false);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].line, 2);
        let found = refusals(
            "const D: &str = env!(\"CARGO_MANIFEST_DIR\");",
            &["std::env"],
            false,
        );
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn literals_comments_and_lifetimes_neither_hide_nor_fake_a_path() {
        refused(
            "const Q: char = '\"';\nfn f() { std::process::exit(0) }",
            2,
            PROCESS,
        );
        refused(
            "const R: &str = r#\"a \" b\"#;\nfn f() { std::process::exit(0) }",
            2,
            PROCESS,
        );
        allowed(
            "// std::process::exit(0)\n/* std::env::args() */\nconst S: &str = \"std::fs::write\";\n/// `std::process::exit`\nfn f<'process>(x: &'process u8) -> &'process u8 { 'env: loop { break 'env x; } }",
        );
    }

    #[test]
    fn ordinary_code_is_allowed() {
        allowed(
            "use std::sync::{Arc, Mutex};\nuse std::thread;\n#[derive(Debug, Default)]\n#[allow(dead_code)]\npub struct S { process: u32 }\nfn process(env: u32) -> u32 { env }\nfn f(s: &S) -> u32 { s.process + process(1) }\n#[tokio::main]\nasync fn main() { thread::spawn(|| {}); let _ = Arc::new(Mutex::new(1)); }\nmod tests {}\nfn g() -> std::io::Result<()> { use std::io::Write; writeln!(std::io::stdout(), \"hi\") }",
        );
    }

    #[test]
    fn under_loom_std_synchronization_is_refused_whatever_the_path() {
        let loom = |source: &str| refusals(source, &["unsafe"], true);
        for source in [
            "use std::sync::atomic::{AtomicBool, Ordering};",
            "use ::std::sync::atomic::AtomicBool;",
            "use std as s;\nuse s::sync::atomic::AtomicBool;",
            "use std::cell::UnsafeCell;",
            "fn f() { std::thread::spawn(|| {}); }",
            "use core::{cell::UnsafeCell, mem};",
            "const Q: char = '\"'; use std::sync::Mutex;",
        ] {
            let found = loom(source);
            assert!(
                found.iter().any(|refusal| refusal.why == LOOM),
                "{source}: {found:#?}"
            );
        }
        // A std atomic reached through a type that holds one, without naming std.
        let borrowed = loom("struct L { flag: threadlings::check::DropCounter }");
        assert!(!borrowed.is_empty(), "{borrowed:#?}");
        assert!(
            loom("use futures::channel::oneshot;")
                .iter()
                .any(|r| r.why == LOOM)
        );
        let shim = "use threadlings::sync::atomic::{AtomicBool, Ordering as O};\nuse std::sync::atomic::Ordering;\nuse threadlings::cell::UnsafeCell;\nfn f() { threadlings::hint::spin_loop(); }";
        assert!(loom(shim).is_empty(), "{:#?}", loom(shim));
        assert!(refusals("use std::sync::Mutex;", &[], false).is_empty());
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
