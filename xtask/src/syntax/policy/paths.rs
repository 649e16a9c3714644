//! Paths as the file writes them and what they may stand for: `use` trees read,
//! aliases and the file's own modules followed to absolute paths, each judged against
//! the lists of `reasons.rs` (a glob by what it holds).

use proc_macro2::{Delimiter, TokenTree};

use super::judge::Judge;
use super::reasons::*;
use super::tokens::{is_punct, unraw};

/// How many readings of one path the aliases may give before the file is refused: a
/// name bound many times over could otherwise make following them take forever.
const MAX_READINGS: usize = 256;

/// A path as the file wrote it: `::std::process` or `s::process`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Written {
    pub(super) leading_colons: bool,
    pub(super) segments: Vec<String>,
}

impl Written {
    pub(super) fn show(&self) -> String {
        let path = self.segments.join("::");
        if self.leading_colons {
            format!("`::{path}`")
        } else {
            format!("`{path}`")
        }
    }
}

impl Judge<'_> {
    /// Refuses `written` if any path it may resolve to is banned (for a glob, if it
    /// holds something banned).
    pub(super) fn judge_path(
        &mut self,
        written: &Written,
        shown: &str,
        line: usize,
        depth: usize,
        how: Use,
    ) {
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
    pub(super) fn banned(&self, path: &[String]) -> Option<&'static str> {
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
pub(super) enum Use {
    Path,
    Import { glob: bool },
}

/// Whether `path` is `prefix` or lies under it.
fn starts_with(path: &[String], prefix: &str) -> bool {
    let prefix: Vec<&str> = prefix.split("::").collect();
    prefix.len() <= path.len() && prefix.iter().zip(path).all(|(a, b)| *a == b)
}

/// One path a `use` tree names, and the name it binds (none for a glob or `_`).
pub(super) struct Import {
    pub(super) path: Written,
    pub(super) binding: Option<String>,
    pub(super) glob: bool,
}

/// The paths of a `use` tree: `::a::b::{self, c as d, e::*}`.
pub(super) fn use_tree(tokens: &[TokenTree]) -> Vec<Import> {
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

#[cfg(test)]
mod tests {
    use super::super::reasons::*;
    use super::super::tests::{allowed, refusals, refused};

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
    fn the_checks_crate_is_out_of_reach() {
        refused("use super::*;", 1, CHECKS);
        refused("fn f() { crate::AtomicBool::new(false); }", 1, CHECKS);
        refused("use crate::Ordering;", 1, CHECKS);
        allowed("pub(crate) fn f() {}\npub(super) fn g() {}\nmod inner { use super::f; }");
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
}
