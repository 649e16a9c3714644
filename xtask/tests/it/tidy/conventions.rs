//! The runner's house rules: `unsafe` only in the OS layer, a header on every file, no
//! function or file too long to hold, every folder in the code map.

use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::Visit;

use super::runner_sources;

/// The only files of the runner that may hold `unsafe` code: the OS layer's two
/// families. Everything else reaches the system through them.
const UNSAFE_ALLOWED: [&str; 2] = ["os/unix.rs", "os/windows.rs"];

/// A function longer than this mixes a loop with the decisions inside it; the
/// decisions want names of their own.
const MAX_FUNCTION_LINES: usize = 80;

/// Whether `unsafe` appears as a keyword (not in a comment or a string) anywhere in
/// the tokens.
fn has_unsafe(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => ident == "unsafe",
        TokenTree::Group(group) => has_unsafe(group.stream()),
        _ => false,
    })
}

#[test]
fn unsafe_code_is_only_in_the_os_layer() {
    let offenders: Vec<String> = runner_sources()
        .into_iter()
        .filter(|(path, _)| !UNSAFE_ALLOWED.contains(&path.as_str()))
        .filter(|(_, source)| has_unsafe(source.parse().unwrap()))
        .map(|(path, _)| path)
        .collect();
    assert!(
        offenders.is_empty(),
        "`unsafe` outside {UNSAFE_ALLOWED:?}: {offenders:?}; move the system call into the OS layer"
    );
}

#[test]
fn the_crate_denies_unsafe_code_outside_the_os_layer() {
    for (path, source) in runner_sources() {
        if path == "lib.rs" || path == "main.rs" {
            assert!(
                source.contains("#![deny(unsafe_code)]"),
                "{path} must deny unsafe_code"
            );
        }
        if source.contains("allow(unsafe_code)") {
            assert_eq!(path, "os/mod.rs", "only the OS layer may allow unsafe_code");
        }
    }
}

#[test]
fn every_file_says_what_it_is_for() {
    let headless: Vec<String> = runner_sources()
        .into_iter()
        .filter(|(_, source)| !source.trim_start().starts_with("//!"))
        .map(|(path, _)| path)
        .collect();
    assert!(
        headless.is_empty(),
        "these files lack a `//!` header saying what they are for: {headless:?}"
    );
}

/// Every function and method, with its length in lines.
#[derive(Default)]
struct FunctionLengths {
    found: Vec<(String, usize, usize)>,
}

impl FunctionLengths {
    fn record(&mut self, name: String, span: proc_macro2::Span) {
        let lines = span.end().line - span.start().line + 1;
        self.found.push((name, span.start().line, lines));
    }
}

impl<'ast> Visit<'ast> for FunctionLengths {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.record(item.sig.ident.to_string(), item.span());
        syn::visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.record(item.sig.ident.to_string(), item.span());
        syn::visit::visit_impl_item_fn(self, item);
    }
}

#[test]
fn no_function_is_a_wall_of_code() {
    let mut long = Vec::new();
    for (path, source) in runner_sources() {
        let file = syn::parse_file(&source).unwrap();
        let mut lengths = FunctionLengths::default();
        lengths.visit_file(&file);
        for (name, line, lines) in lengths.found {
            if lines > MAX_FUNCTION_LINES {
                long.push(format!("{path}:{line} {name} ({lines} lines)"));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines: {long:#?}"
    );
}

/// A file longer than this holds more than one thing a newcomer can keep in mind; what
/// changes together goes into a file of its own.
const MAX_FILE_LINES: usize = 600;

fn over_length(source: &str) -> Option<usize> {
    let lines = source.lines().count();
    (lines > MAX_FILE_LINES).then_some(lines)
}

#[test]
fn no_file_is_a_wall() {
    let long: Vec<String> = runner_sources()
        .into_iter()
        .filter_map(|(path, source)| Some(format!("{path} ({} lines)", over_length(&source)?)))
        .collect();
    assert!(
        long.is_empty(),
        "files of xtask/src over {MAX_FILE_LINES} lines: {long:?}; split them by what changes together"
    );
}

#[test]
fn the_length_rule_can_fail() {
    assert_eq!(over_length(&"x\n".repeat(MAX_FILE_LINES)), None);
    assert_eq!(
        over_length(&"x\n".repeat(MAX_FILE_LINES + 1)),
        Some(MAX_FILE_LINES + 1)
    );
    let body = "    let x = 1;\n".repeat(MAX_FUNCTION_LINES);
    let file = syn::parse_file(&format!("fn long() {{\n{body}}}\n")).unwrap();
    let mut lengths = FunctionLengths::default();
    lengths.visit_file(&file);
    assert_eq!(lengths.found[0].2, MAX_FUNCTION_LINES + 2);
    assert!(has_unsafe("fn f() { unsafe { g() } }".parse().unwrap()));
    assert!(!has_unsafe(
        "// unsafe\nfn f() { \"unsafe\"; }".parse().unwrap()
    ));
}

#[test]
fn every_folder_is_in_the_code_map() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture = std::fs::read_to_string(root.join("../ARCHITECTURE.md")).unwrap();
    let start = architecture
        .find("```\nxtask/src/")
        .expect("a code map of xtask/src/");
    let map = &architecture[start..];
    let map = &map[..map[4..].find("```").unwrap_or(map.len() - 4) + 4];
    let mut folders = Vec::new();
    let mut pending = vec![root.join("src")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(format!("{}/", path.file_name().unwrap().to_string_lossy()));
                pending.push(path);
            }
        }
    }
    let unnamed: Vec<&String> = folders
        .iter()
        .filter(|folder| !map.contains(folder.as_str()))
        .collect();
    assert!(
        unnamed.is_empty(),
        "folders of xtask/src/ that ARCHITECTURE.md's code map does not name: {unnamed:?}"
    );
}
