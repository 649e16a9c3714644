//! Architecture Invariants, as tests: the model and the reporters run nothing, and the
//! engine never prints.

use syn::spanned::Spanned;
use syn::visit::Visit;

use super::runner_sources;

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
