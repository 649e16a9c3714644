//! The items of a student's file, and which of them a failing check was running when it
//! failed, read from the check file: the student's line a verdict points at when the
//! failure names none.

use std::collections::BTreeMap;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use crate::model::kit::nested_too_deep;

/// The items of a student's file, by name, with the line each is declared on.
#[derive(Debug, Default)]
pub struct Items {
    /// Free functions.
    functions: BTreeMap<String, usize>,
    /// Methods, by type and by name alone.
    methods: BTreeMap<(String, String), usize>,
    method_names: BTreeMap<String, usize>,
    /// Structs, enums, traits, unions and type aliases.
    types: BTreeMap<String, usize>,
    /// `impl Send for T` and `impl Sync for T`, by `T`: the first one's line.
    thread_impls: BTreeMap<String, usize>,
}

impl Items {
    /// The items of `source`; none for a file that does not parse.
    pub fn of(source: &str) -> Items {
        let mut items = Items::default();
        if nested_too_deep(source).is_some() {
            return items;
        }
        let Ok(file) = syn::parse_file(source) else {
            return items;
        };
        for item in &file.items {
            items.add(item);
        }
        items
    }

    fn add(&mut self, item: &syn::Item) {
        let line = |ident: &syn::Ident| ident.span().start().line;
        match item {
            syn::Item::Fn(function) => {
                let name = &function.sig.ident;
                self.functions.insert(name.to_string(), line(name));
            }
            syn::Item::Struct(item) => self.add_type(&item.ident),
            syn::Item::Enum(item) => self.add_type(&item.ident),
            syn::Item::Trait(item) => self.add_type(&item.ident),
            syn::Item::Union(item) => self.add_type(&item.ident),
            syn::Item::Type(item) => self.add_type(&item.ident),
            syn::Item::Impl(block) => self.add_impl(block),
            _ => {}
        }
    }

    fn add_type(&mut self, ident: &syn::Ident) {
        self.types
            .insert(ident.to_string(), ident.span().start().line);
    }

    fn add_impl(&mut self, block: &syn::ItemImpl) {
        let syn::Type::Path(path) = &*block.self_ty else {
            return;
        };
        let Some(ty) = path.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        let trait_name = block
            .trait_
            .as_ref()
            .and_then(|(path, _)| path.segments.last())
            .map(|segment| segment.ident.to_string());
        if matches!(trait_name.as_deref(), Some("Send" | "Sync")) {
            let start = match &block.unsafety {
                Some(unsafety) => unsafety.span,
                None => block.impl_token.span,
            };
            self.thread_impls
                .entry(ty.clone())
                .or_insert(start.start().line);
        }
        for item in &block.items {
            if let syn::ImplItem::Fn(method) = item {
                let name = method.sig.ident.to_string();
                let at = method.sig.ident.span().start().line;
                self.methods.insert((ty.clone(), name.clone()), at);
                self.method_names.entry(name).or_insert(at);
            }
        }
    }

    /// The line of the first `impl Send` or `impl Sync` for a type of the file that
    /// `code` uses, else of the first such type's declaration: where a promise about
    /// threads is made, for a compile-fail case that compiled.
    pub fn thread_promise_used_by(&self, code: &str) -> Option<usize> {
        let Ok(tokens) = code.parse::<TokenStream>() else {
            return None;
        };
        let mut used = Vec::new();
        idents(tokens, &mut used);
        let types: Vec<&String> = used
            .iter()
            .filter_map(|(name, _)| self.types.get_key_value(name).map(|(name, _)| name))
            .collect();
        types
            .iter()
            .find_map(|ty| self.thread_impls.get(*ty))
            .or_else(|| types.first().and_then(|ty| self.types.get(*ty)))
            .copied()
    }
}

/// Every identifier in `tokens`, with its line, in order.
fn idents(tokens: TokenStream, found: &mut Vec<(String, usize)>) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => found.push((ident.to_string(), ident.span().start().line)),
            TokenTree::Group(group) => idents(group.stream(), found),
            _ => {}
        }
    }
}

/// A function of the check file: its module path, name, lines and body.
struct Function {
    path: String,
    first_line: usize,
    last_line: usize,
    body: TokenStream,
}

/// The line of the student's file that a failing check was running, of the student's
/// functions and methods that the test `test` calls (through the check file's own
/// helpers too): the first one called in the statement at `failed_at` (the check's line
/// where it failed), else the last one called before it; or the last one of all when
/// the check did not fail at a line of its file. A test the file does not have (a
/// build error) is the function around `failed_at`.
pub fn called_by_check(
    checks: &str,
    test: &str,
    failed_at: Option<usize>,
    items: &Items,
) -> Option<usize> {
    let tokens = checks.parse::<TokenStream>().ok()?;
    let mut functions = Vec::new();
    collect_functions(tokens, "", &mut functions);
    let start = functions
        .iter()
        .find(|function| function.path == test)
        .or_else(|| {
            let line = failed_at?;
            functions
                .iter()
                .filter(|f| (f.first_line..=f.last_line).contains(&line))
                .max_by_key(|f| f.first_line)
        })?;
    let walk = Walk {
        functions: &functions,
        items,
        failed_at,
    };
    match walk.function(start, &mut vec![start.path.clone()]) {
        Ok(calls) => calls.last().copied(),
        Err(chosen) => chosen,
    }
}

fn collect_functions(tokens: TokenStream, prefix: &str, found: &mut Vec<Function>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut index = 0;
    while index < tokens.len() {
        let keyword = match &tokens[index] {
            TokenTree::Ident(ident) if ident == "fn" || ident == "mod" => ident.to_string(),
            _ => {
                index += 1;
                continue;
            }
        };
        let Some(TokenTree::Ident(name)) = tokens.get(index + 1) else {
            index += 1;
            continue;
        };
        let body = tokens[index + 2..].iter().position(|token| {
            matches!(token, TokenTree::Group(group) if group.delimiter() == Delimiter::Brace)
                || matches!(token, TokenTree::Punct(p) if p.as_char() == ';')
        });
        let Some(TokenTree::Group(group)) = body.and_then(|at| tokens.get(index + 2 + at)) else {
            index += 2;
            continue;
        };
        if keyword == "mod" {
            collect_functions(group.stream(), &format!("{prefix}{name}::"), found);
        } else {
            found.push(Function {
                path: format!("{prefix}{name}"),
                first_line: name.span().start().line,
                last_line: group.span().end().line,
                body: group.stream(),
            });
        }
        index += 2 + body.unwrap_or(0) + 1;
    }
}

struct Walk<'a> {
    functions: &'a [Function],
    items: &'a Items,
    failed_at: Option<usize>,
}

/// What walking a function found: `Ok` with the student's lines it called when the
/// failing line is not in it, `Err` with the line chosen once it is.
type Walked = Result<Vec<usize>, Option<usize>>;

impl Walk<'_> {
    /// Walks `function` statement by statement.
    fn function(&self, function: &Function, open: &mut Vec<String>) -> Walked {
        let mut before: Vec<usize> = Vec::new();
        let mut statement = Vec::new();
        let mut tokens = function.body.clone().into_iter().peekable();
        while let Some(token) = tokens.next() {
            let ends = matches!(&token, TokenTree::Punct(p) if p.as_char() == ';');
            statement.push(token);
            if !ends && tokens.peek().is_some() {
                continue;
            }
            let mut own = Vec::new();
            let reached = self.statement(&statement, &mut own, open);
            let fallback = || own.first().or(before.last()).copied();
            match reached {
                Err(chosen) => return Err(chosen.or_else(fallback)),
                Ok(true) => return Err(fallback()),
                Ok(false) => before.extend(&own),
            }
            statement.clear();
        }
        Ok(before)
    }

    /// Walks one statement, adding the student's lines it calls to `own`: `Ok(true)`
    /// when the failing line is in it, `Err` when a helper it calls holds that line.
    fn statement(
        &self,
        tokens: &[TokenTree],
        own: &mut Vec<usize>,
        open: &mut Vec<String>,
    ) -> Result<bool, Option<usize>> {
        let mut reached = false;
        let mut flat = Vec::new();
        flatten(tokens.iter().cloned(), &mut flat);
        for (index, token) in flat.iter().enumerate() {
            let TokenTree::Ident(ident) = token else {
                continue;
            };
            reached |= Some(ident.span().start().line) == self.failed_at;
            let name = ident.to_string();
            let punct_at = |at: usize, c: char| matches!(flat.get(at), Some(TokenTree::Punct(p)) if p.as_char() == c);
            let parenthesis = |at: Option<&TokenTree>| matches!(at, Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
            let arguments = parenthesis(flat.get(index + 1));
            // A function handed to another as an argument (`run_paused(F, on_the_clock)`).
            let handed_on =
                index > 0 && (punct_at(index - 1, ',') || parenthesis(flat.get(index - 1)));
            let method_call = index > 0 && punct_at(index - 1, '.');
            let helper = self
                .helper(&name, open)
                .filter(|_| !method_call && (arguments || handed_on));
            if !arguments && !punct_at(index + 1, ':') && helper.is_none() {
                continue;
            }
            if let Some(helper) = helper {
                open.push(helper.path.clone());
                let walked = self.function(helper, open);
                open.pop();
                own.extend(walked?);
                continue;
            }
            let path_before = index >= 3 && punct_at(index - 1, ':');
            let ty = match path_before.then(|| &flat[index - 3]) {
                Some(TokenTree::Ident(ty)) => Some(ty.to_string()),
                _ => None,
            };
            let found = ty
                .and_then(|ty| self.items.methods.get(&(ty, name.clone())))
                .or_else(|| self.items.functions.get(&name))
                .or_else(|| {
                    method_call
                        .then(|| self.items.method_names.get(&name))
                        .flatten()
                });
            own.extend(found);
        }
        Ok(reached)
    }

    /// A function of the check file called `name`, not one being walked already.
    fn helper(&self, name: &str, open: &[String]) -> Option<&Function> {
        self.functions.iter().find(|function| {
            function.path.rsplit("::").next() == Some(name) && !open.contains(&function.path)
        })
    }
}

/// The tokens of a statement in order, groups opened but kept too (a call's argument
/// list follows its name).
fn flatten(tokens: impl Iterator<Item = TokenTree>, flat: &mut Vec<TokenTree>) {
    for token in tokens {
        if let TokenTree::Group(group) = &token {
            let inner = group.stream();
            flat.push(token.clone());
            flatten(inner.into_iter(), flat);
        } else {
            flat.push(token);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::EXERCISE;
    use super::*;

    const CHECKS: &str = r#"
#[path = "../../exercises/01_a/x.rs"]
mod exercise;
use exercise::Pool;

fn on_a_pool(n: usize) -> Pool {
    let pool = Pool::new(n);
    pool
}

#[test]
fn runs_jobs() {
    let pool = on_a_pool(2);
    pool.execute(|| ());
    assert_eq!(
        exercise::run_on_new_thread(|| 1),
        1
    );
    pool.execute(|| ());
}

mod more {
    #[test]
    fn builds() {
        let _ = super::on_a_pool(1);
    }
}

#[test]
fn runs_a_helper_handed_on() {
    run_paused(2, on_a_pool);
}

#[test]
fn passes_a_panic_on() {
    check_in_the_kit(move || {
        let total = exercise::run_on_new_thread(|| 1);
        Pool::new(total).execute(|| ());
    });
}
"#;

    #[test]
    fn the_last_call_of_the_students_code_before_the_failing_line_is_found() {
        let items = Items::of(EXERCISE);
        // Failed at the `assert_eq!` (line 15): its statement calls `run_on_new_thread`.
        assert_eq!(
            called_by_check(CHECKS, "runs_jobs", Some(15), &items),
            Some(18)
        );
        // Failed at the call to `execute` (line 14).
        assert_eq!(
            called_by_check(CHECKS, "runs_jobs", Some(14), &items),
            Some(13)
        );
        // Failed elsewhere: the last call of all.
        assert_eq!(called_by_check(CHECKS, "runs_jobs", None, &items), Some(13));
        // Through the check's own helper, in a module.
        assert_eq!(
            called_by_check(CHECKS, "more::builds", None, &items),
            Some(9)
        );
        // At a line inside the helper.
        assert_eq!(
            called_by_check(CHECKS, "runs_jobs", Some(7), &items),
            Some(9)
        );
        // A build error at a line of a function that is not a test.
        assert_eq!(called_by_check(CHECKS, "build", Some(7), &items), Some(9));
        // Failed in the kit's library, called at line 36: what the statement there runs
        // first, not the methods it calls on the result.
        assert_eq!(
            called_by_check(CHECKS, "passes_a_panic_on", Some(36), &items),
            Some(18)
        );
        // A helper handed to another function, not called by name.
        assert_eq!(
            called_by_check(CHECKS, "runs_a_helper_handed_on", None, &items),
            Some(9)
        );
        assert_eq!(
            called_by_check(CHECKS, "passes_a_panic_on", None, &items),
            Some(13)
        );
    }

    #[test]
    fn a_promise_about_threads_is_found_for_the_type_a_case_uses() {
        let items = Items::of(EXERCISE);
        let case = "fn main() { let b = RawBox(std::ptr::null_mut::<u8>()); }";
        assert_eq!(items.thread_promise_used_by(case), Some(31));
        assert_eq!(
            items.thread_promise_used_by("let p = Pool::new(1);"),
            Some(4)
        );
        assert_eq!(items.thread_promise_used_by("let x = 1;"), None);
    }
}
