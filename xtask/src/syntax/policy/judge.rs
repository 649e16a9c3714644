//! The policy's walk over a file's tokens: the names it binds first, then every
//! attribute, import, path, macro definition and macro variable, and the words that
//! need the catalog's leave (`unsafe`, `extern`).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, Spacing, TokenTree};

use super::super::attributes;
use super::paths::{Use, Written, use_tree};
use super::reasons::*;
use super::tokens::*;
use super::{Refusal, Rules};

/// One file's judgement in progress.
pub(super) struct Judge<'a> {
    pub(super) rules: &'a Rules<'a>,
    /// Names that `use` items bind, anywhere in the file, to what they name. Scopes are
    /// not told apart: a name bound twice may be either.
    pub(super) aliases: BTreeMap<String, BTreeSet<Written>>,
    /// Modules the file defines, whose names may lead a path to an alias inside them.
    pub(super) modules: BTreeSet<String>,
    pub(super) refusals: BTreeSet<Refusal>,
}

impl<'a> Judge<'a> {
    pub(super) fn new(rules: &'a Rules<'a>) -> Judge<'a> {
        Judge {
            rules,
            aliases: BTreeMap::new(),
            modules: BTreeSet::new(),
            refusals: BTreeSet::new(),
        }
    }

    pub(super) fn refuse(&mut self, line: usize, what: impl Into<String>, why: &'static str) {
        self.refusals.insert(Refusal {
            line,
            what: what.into(),
            why,
        });
    }

    /// First pass: the aliases that `use` items bind and the modules the file defines,
    /// wherever they are, so that a path can be resolved before its alias is seen.
    pub(super) fn collect_names(&mut self, tokens: &[TokenTree]) {
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
    pub(super) fn scan(&mut self, tokens: &[TokenTree], depth: usize) {
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
}

#[cfg(test)]
mod tests {
    use super::super::reasons::*;
    use super::super::tests::{allowed, refusals, refused};
    use crate::syntax::attributes;

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

    #[test]
    fn unsafe_needs_the_catalogs_leave() {
        refused("fn f(p: *const u8) -> u8 { unsafe { *p } }", 1, UNSAFE);
        assert!(refusals("unsafe impl Sync for X {}", &["unsafe"], false).is_empty());
    }

    #[test]
    fn ordinary_code_is_allowed() {
        allowed(
            "use std::sync::{Arc, Mutex};\nuse std::thread;\n#[derive(Debug, Default)]\n#[allow(dead_code)]\npub struct S { process: u32 }\nfn process(env: u32) -> u32 { env }\nfn f(s: &S) -> u32 { s.process + process(1) }\n#[tokio::main]\nasync fn main() { thread::spawn(|| {}); let _ = Arc::new(Mutex::new(1)); }\nmod tests {}\nfn g() -> std::io::Result<()> { use std::io::Write; writeln!(std::io::stdout(), \"hi\") }",
        );
    }
}
