//! The runner's own conventions, as tests: a convention that only a reviewer remembers
//! is soon broken. Each rule names the files that break it.

use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::Visit;

/// The only files of the runner that may hold `unsafe` code: the OS layer's two
/// families. Everything else reaches the system through them.
const UNSAFE_ALLOWED: [&str; 2] = ["os/unix.rs", "os/windows.rs"];

/// A function longer than this mixes a loop with the decisions inside it; the
/// decisions want names of their own.
const MAX_FUNCTION_LINES: usize = 80;

fn runner_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&root).unwrap();
            let relative = relative.to_string_lossy().replace('\\', "/");
            (relative, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

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

/// The runner's layers, lowest first (ARCHITECTURE.md, "Architecture Invariant"): a
/// module uses its own layer and those below it, never one above.
const LAYERS: [&str; 7] = [
    "os", "model", "syntax", "engine", "report", "commands", "main",
];

/// The crate root's own items, and the layer each belongs to: `Exit` is how a command
/// ended.
const ROOT_ITEMS: [(&str, &str); 1] = [("Exit", "commands")];

/// Imports that run against the layers today, each with why it is still here. Each is
/// `(file, the module it reaches, why)`; an entry that matches nothing fails the test,
/// so the list only shrinks.
const KNOWN_UPWARD: &[(&str, &str, &str)] = &[];

/// One path a file names that leads into the crate: where, and the module it reaches.
#[derive(Debug, Clone, PartialEq)]
struct Reach {
    line: usize,
    /// The absolute path, from the crate's root: `engine::cargo::Flavor`.
    target: Vec<String>,
}

/// The paths a file names into its own crate: every `use` (flattened) and every path
/// written `crate::…`, `super::…` or `self::…` in code and in macro calls, resolved
/// against the file's module and the inline modules around it.
struct Reaches {
    module: Vec<String>,
    found: Vec<Reach>,
}

impl Reaches {
    fn of(file: &str, source: &str) -> Vec<Reach> {
        let mut module: Vec<String> = file
            .trim_end_matches(".rs")
            .split('/')
            .map(String::from)
            .collect();
        if module.last().is_some_and(|last| last == "mod") {
            module.pop();
        }
        let mut reaches = Reaches {
            module,
            found: Vec::new(),
        };
        reaches.visit_file(&syn::parse_file(source).unwrap());
        reaches.found
    }

    /// Records `segments` if it leads into the crate.
    fn record(&mut self, segments: &[String], line: usize) {
        let mut target = match segments.first().map(String::as_str) {
            Some("crate") => Vec::new(),
            Some("super" | "self") => self.module.clone(),
            _ => return,
        };
        let mut rest = if segments[0] == "crate" {
            &segments[1..]
        } else {
            segments
        };
        while let Some((first, tail)) = rest.split_first() {
            match first.as_str() {
                "super" => {
                    target.pop();
                }
                "self" => {}
                _ => break,
            }
            rest = tail;
        }
        target.extend_from_slice(rest);
        if !target.is_empty() {
            self.found.push(Reach { line, target });
        }
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(&path.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(name) => self.use_leaf(prefix, &name.ident),
            syn::UseTree::Rename(rename) => self.use_leaf(prefix, &rename.ident),
            syn::UseTree::Glob(glob) => {
                let line = glob.star_token.span.start().line;
                self.record(&prefix.clone(), line);
            }
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    self.use_tree(item, prefix);
                }
            }
        }
    }

    fn use_leaf(&mut self, prefix: &[String], ident: &syn::Ident) {
        let mut segments = prefix.to_vec();
        // `use super::x::{self}` names `x`.
        if ident != "self" {
            segments.push(ident.to_string());
        }
        self.record(&segments, ident.span().start().line);
    }

    /// `crate::a::b` and `super::a` written inside a macro call, which syn leaves as
    /// tokens.
    fn macro_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut index = 0;
        while index < tokens.len() {
            match &tokens[index] {
                TokenTree::Group(group) => self.macro_tokens(group.stream()),
                TokenTree::Ident(ident) if ident == "crate" || ident == "super" => {
                    let line = ident.span().start().line;
                    let mut segments = vec![ident.to_string()];
                    let mut next = index + 1;
                    while let (
                        Some(TokenTree::Punct(a)),
                        Some(TokenTree::Punct(b)),
                        Some(TokenTree::Ident(name)),
                    ) = (tokens.get(next), tokens.get(next + 1), tokens.get(next + 2))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        segments.push(name.to_string());
                        next += 3;
                    }
                    if segments.len() > 1 {
                        self.record(&segments, line);
                    }
                    index = next;
                    continue;
                }
                _ => {}
            }
            index += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Reaches {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.module.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.module.pop();
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, &mut Vec::new());
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.segments.len() > 1 {
            let segments: Vec<String> = path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect();
            self.record(&segments, path.span().start().line);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.macro_tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// The layer of a module path (`["engine", "cargo"]`), or of a crate root item.
fn layer_of(module: &[String]) -> Option<usize> {
    let first = module.first()?.as_str();
    let first = ROOT_ITEMS
        .iter()
        .find(|(item, _)| *item == first)
        .map_or(first, |(_, layer)| *layer);
    LAYERS.iter().position(|layer| *layer == first)
}

/// The commands, by their module's name: a file or folder of `commands/`.
fn command_names() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "mod")
        .collect()
}

/// Every reach of `file` that runs up the layers, or from one command into another, as
/// `(line, target, what is wrong)`.
fn layer_breaches(file: &str, source: &str, commands: &[String]) -> Vec<(usize, String, String)> {
    let from: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    let Some(from_layer) = layer_of(&from) else {
        return Vec::new();
    };
    let own_command = (LAYERS[from_layer] == "commands")
        .then(|| from.get(1).filter(|name| *name != "mod").cloned())
        .flatten();
    let mut breaches = Vec::new();
    for reach in Reaches::of(file, source) {
        let Some(to_layer) = layer_of(&reach.target) else {
            continue;
        };
        let target = reach.target.join("::");
        if to_layer > from_layer {
            breaches.push((
                reach.line,
                target,
                format!(
                    "{} imports from {}, a layer above it",
                    LAYERS[from_layer], LAYERS[to_layer]
                ),
            ));
        } else if let Some(own) = &own_command
            && reach
                .target
                .first()
                .is_some_and(|first| first == "commands")
            && let Some(other) = reach.target.get(1).filter(|name| commands.contains(name))
            && other != own
        {
            breaches.push((
                reach.line,
                target,
                format!("the command `{own}` imports the command `{other}`"),
            ));
        }
    }
    breaches
}

#[test]
fn no_import_runs_up_the_layers() {
    let commands = command_names();
    let mut breaches = Vec::new();
    let mut known_used = vec![false; KNOWN_UPWARD.len()];
    for (path, source) in runner_sources() {
        if path == "lib.rs" || path == "main.rs" {
            continue;
        }
        for (line, target, wrong) in layer_breaches(&path, &source, &commands) {
            let known = KNOWN_UPWARD.iter().position(|(file, reached, _)| {
                *file == path && (target == *reached || target.starts_with(&format!("{reached}::")))
            });
            match known {
                Some(index) => known_used[index] = true,
                None => breaches.push(format!("xtask/src/{path}:{line}: `{target}`: {wrong}")),
            }
        }
    }
    let stale: Vec<&str> = KNOWN_UPWARD
        .iter()
        .zip(&known_used)
        .filter(|(_, used)| !**used)
        .map(|((file, _, _), _)| *file)
        .collect();
    assert!(
        breaches.is_empty(),
        "imports that run up the layers {LAYERS:?} (ARCHITECTURE.md, \"Architecture \
         Invariant\"): move what is shared down, or pass it in from above:\n{}",
        breaches.join("\n")
    );
    assert!(
        stale.is_empty(),
        "KNOWN_UPWARD lists imports that are gone; remove their entries: {stale:?}"
    );
}

#[test]
fn the_layer_rule_can_fail() {
    let commands: Vec<String> = ["list", "run", "watch"].map(String::from).to_vec();
    let model = "use crate::engine::cargo;\nuse crate::model::{catalog::Exercise, kit::{self, Kit}};\nfn f() { crate::report::style::green(\"x\"); }\nmod tests { use super::super::super::commands::list; }";
    let found: Vec<(usize, String)> = layer_breaches("model/kit.rs", model, &commands)
        .into_iter()
        .map(|(line, target, _)| (line, target))
        .collect();
    assert_eq!(
        found,
        [
            (1, "engine::cargo".to_string()),
            (3, "report::style::green".to_string()),
            (4, "commands::list".to_string()),
        ]
    );
    let watch = "use super::state::Event;\nuse crate::commands::DEBOUNCE;\nfn f() { let _ = format!(\"{}\", crate::commands::list()); }";
    let found = layer_breaches("commands/watch/mod.rs", watch, &commands);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1.as_str()), (3, "commands::list"));
    assert!(
        found[0]
            .2
            .contains("the command `watch` imports the command `list`")
    );
}

/// The layers that run nothing: no process started, by std or through the OS layer's
/// API. The model is data; a reporter writes what it is given.
const RUN_NOTHING: [&str; 2] = ["model", "report"];

/// Every path named outside `#[cfg(test)]` items, with its line: `use` trees flattened.
#[derive(Default)]
struct Names {
    found: Vec<(usize, String)>,
}

fn is_test_only(attributes: &[syn::Attribute]) -> bool {
    attributes.iter().any(|attribute| {
        attribute.path().is_ident("cfg")
            && attribute
                .meta
                .require_list()
                .is_ok_and(|list| list.tokens.to_string() == "test")
    })
}

impl Names {
    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &str) {
        match tree {
            syn::UseTree::Path(path) => {
                self.use_tree(&path.tree, &format!("{prefix}{}::", path.ident))
            }
            syn::UseTree::Name(name) => self.found.push((
                name.ident.span().start().line,
                format!("{prefix}{}", name.ident),
            )),
            syn::UseTree::Rename(rename) => self.found.push((
                rename.ident.span().start().line,
                format!("{prefix}{}", rename.ident),
            )),
            syn::UseTree::Glob(glob) => self
                .found
                .push((glob.star_token.span.start().line, format!("{prefix}*"))),
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    self.use_tree(item, prefix);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Names {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attributes = match item {
            syn::Item::Mod(item) => &item.attrs,
            syn::Item::Fn(item) => &item.attrs,
            syn::Item::Impl(item) => &item.attrs,
            syn::Item::Use(item) => &item.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_test_only(attributes) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, "");
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let written: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.found
            .push((path.span().start().line, written.join("::")));
        syn::visit::visit_path(self, path);
    }

    /// A macro call is named with its `!`, apart from a function of the same name.
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let written: Vec<String> = mac
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        self.found.push((
            mac.path.span().start().line,
            format!("{}!", written.join("::")),
        ));
        syn::visit::visit_macro(self, mac);
    }
}

/// Whether a path starts a process: std's `Command`, or the OS layer's children.
fn starts_a_process(path: &str) -> bool {
    path.split("::").any(|segment| segment == "Command")
        || ["os::process", "os::sandbox"]
            .iter()
            .any(|api| path.contains(api))
}

#[test]
fn the_model_and_the_reporters_run_nothing() {
    let mut running = Vec::new();
    for (path, source) in runner_sources() {
        if !RUN_NOTHING
            .iter()
            .any(|layer| path.starts_with(&format!("{layer}/")))
        {
            continue;
        }
        let mut names = Names::default();
        names.visit_file(&syn::parse_file(&source).unwrap());
        for (line, name) in names.found {
            if starts_a_process(&name) {
                running.push(format!("xtask/src/{path}:{line}: `{name}`"));
            }
        }
    }
    assert!(
        running.is_empty(),
        "{RUN_NOTHING:?} run nothing (ARCHITECTURE.md, \"Architecture Invariant\"); start \
         the process in the engine and pass its answer in:\n{}",
        running.join("\n")
    );
}

#[test]
fn the_run_nothing_rule_can_fail() {
    let source = "use std::process::{Command, Stdio};\nfn f() { crate::engine::cargo::cargo(); std::process::Command::new(\"git\"); }\n#[cfg(test)]\nmod tests { fn g() { std::process::Command::new(\"mkfifo\"); } }\nfn h() { crate::os::process::run(); }";
    let mut names = Names::default();
    names.visit_file(&syn::parse_file(source).unwrap());
    let lines: Vec<usize> = names
        .found
        .iter()
        .filter(|(_, name)| starts_a_process(name))
        .map(|(line, _)| *line)
        .collect();
    assert_eq!(lines, [1, 2, 5]);
}

/// The macros that print, std's and the crate's own (which shadow std's), as `Names`
/// records a macro call.
const PRINT_MACROS: [&str; 5] = ["print!", "println!", "eprint!", "eprintln!", "dbg!"];

/// Whether a path prints: a printing macro, std's standard streams, or the OS layer's
/// terminal and output, which write to them.
fn prints(path: &str) -> bool {
    let segments: Vec<&str> = path.split("::").collect();
    matches!(segments.as_slice(), [name] if PRINT_MACROS.contains(name))
        || segments
            .windows(2)
            .any(|pair| pair[0] == "io" && matches!(pair[1], "stdout" | "stderr"))
        || ["os::terminal", "os::output"]
            .iter()
            .any(|api| path.contains(api))
}

#[test]
fn the_engine_never_prints() {
    let mut printing = Vec::new();
    for (path, source) in runner_sources() {
        if !path.starts_with("engine/") {
            continue;
        }
        let mut names = Names::default();
        names.visit_file(&syn::parse_file(&source).unwrap());
        for (line, name) in names.found {
            if prints(&name) {
                printing.push(format!("xtask/src/{path}:{line}: `{name}`"));
            }
        }
    }
    assert!(
        printing.is_empty(),
        "the engine never prints (ARCHITECTURE.md, \"Architecture Invariant\"): tell the \
         observer an `Event` and let the reporters draw it:\n{}",
        printing.join("\n")
    );
}

#[test]
fn the_never_prints_rule_can_fail() {
    let source = "use std::io::{self, Write, stderr};\nfn f(stderr: &str) { eprintln!(\"x\"); let _ = stderr; }\nfn g() { let _ = io::stdout().flush(); crate::os::terminal::rewrite_line(); }\n#[cfg(test)]\nmod tests { fn h() { println!(\"y\"); } }\nfn k() { crate::report::timeline::print(); let print = |x: u8| x; print(1); }";
    let mut names = Names::default();
    names.visit_file(&syn::parse_file(source).unwrap());
    let lines: Vec<usize> = names
        .found
        .iter()
        .filter(|(_, name)| prints(name))
        .map(|(line, _)| *line)
        .collect();
    assert_eq!(lines, [1, 2, 3, 3]);
}

/// The integration tests `.ci/run` runs that a plain `cargo test` leaves out.
const CI_RUNS_THE_IGNORED: &str = "cargo test --package xtask --test it -- --ignored";

/// Each `#[ignore]` in `source`: its `file:line`, and its reason (empty if none).
fn ignores(file: &str, source: &str) -> Vec<(String, String)> {
    struct Ignores<'a> {
        file: &'a str,
        found: Vec<(String, String)>,
    }
    impl Visit<'_> for Ignores<'_> {
        fn visit_attribute(&mut self, attribute: &syn::Attribute) {
            if !attribute.path().is_ident("ignore") {
                return;
            }
            let reason = match &attribute.meta {
                syn::Meta::NameValue(syn::MetaNameValue {
                    value:
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(reason),
                            ..
                        }),
                    ..
                }) => reason.value(),
                _ => String::new(),
            };
            let line = attribute.span().start().line;
            self.found.push((format!("{}:{line}", self.file), reason));
        }
    }
    let syntax = syn::parse_file(source).unwrap_or_else(|err| panic!("{file}: {err}"));
    let mut ignores = Ignores {
        file,
        found: Vec::new(),
    };
    ignores.visit_file(&syntax);
    ignores.found
}

/// The ignored tests that no run of `.ci/run` would run: an integration test's whose
/// reason does not name `.ci/run`, and any of the runner's unit tests (`.ci/run` runs
/// the ignored tests of the integration binary only).
fn ignored_but_never_run(
    integration: &[(String, String)],
    unit: &[(String, String)],
) -> Vec<String> {
    let integration = integration
        .iter()
        .flat_map(|(file, source)| ignores(file, source))
        .filter(|(_, reason)| !reason.contains(".ci/run"));
    let unit = unit.iter().flat_map(|(file, source)| ignores(file, source));
    integration.chain(unit).map(|(at, _)| at).collect()
}

#[test]
fn every_ignored_test_says_why_and_ci_runs_it() {
    let ci =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/run")).unwrap();
    assert!(
        ci.lines().any(|line| line.trim() == CI_RUNS_THE_IGNORED),
        ".ci/run must run the ignored integration tests: `{CI_RUNS_THE_IGNORED}`"
    );
    let it = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let mut files = Vec::new();
    collect(&it, &mut files);
    let integration: Vec<(String, String)> = files
        .iter()
        .map(|path| {
            let file = path.strip_prefix(&it).unwrap().to_string_lossy();
            (
                format!("tests/it/{file}"),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .collect();
    let unit: Vec<(String, String)> = runner_sources()
        .into_iter()
        .map(|(file, source)| (format!("src/{file}"), source))
        .collect();
    let found = ignored_but_never_run(&integration, &unit);
    assert!(
        found.is_empty(),
        "a test left out of `cargo test` must say why, and be one that `.ci/run` runs (an \
         integration test, with \".ci/run\" in its reason): {found:?}"
    );
}

#[test]
fn the_ignore_rule_can_fail() {
    let integration = r#"
        #[test]
        #[ignore]
        fn said_nothing() {}
        #[test]
        #[ignore = "flaky"]
        fn run_nowhere() {}
        mod inner {
            #[test]
            #[ignore = "slow (a minute): .ci/run runs it"]
            fn run_by_ci() {}
        }
    "#;
    let unit = r#"
        #[test]
        #[ignore = "slow: .ci/run runs it"]
        fn a_unit_test() {}
    "#;
    assert_eq!(
        ignored_but_never_run(
            &[("it.rs".into(), integration.into())],
            &[("unit.rs".into(), unit.into())]
        ),
        ["it.rs:3", "it.rs:6", "unit.rs:3"]
    );
}
