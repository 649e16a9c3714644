//! Architecture Invariant, as a test: no import runs up the layers, and no command
//! imports another.

use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::Visit;

use super::runner_sources;

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
