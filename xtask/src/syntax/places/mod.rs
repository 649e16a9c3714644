//! The places in a student's file that a verdict points at: its `todo!()`s and the
//! TODO comment that says, in the file's own words, what to do first; its items; and
//! which of them a failing check was running when it failed, read from the check file.
//!
//! Here, the `todo!()`s and their TODO comments; `running.rs`, the file's items and
//! which of them a failing check was running.

mod running;

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;

use crate::model::kit::nested_too_deep;
pub use running::{Items, called_by_check};

/// A `todo!()` or `unimplemented!()` of the student's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    pub line: usize,
    /// Its message, when it has one: `todo!("join the thread")`.
    pub text: Option<String>,
}

/// The file's `todo!()`s and `unimplemented!()`s, in order; none in a file that does
/// not lex.
pub fn todos(source: &str) -> Vec<Todo> {
    if nested_too_deep(source).is_some() {
        return Vec::new();
    }
    let Ok(tokens) = source.parse::<TokenStream>() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    find_todos(tokens, &mut found);
    found
}

fn find_todos(tokens: TokenStream, found: &mut Vec<Todo>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) if ident == "todo" || ident == "unimplemented" => {
                let bang = matches!(tokens.get(index + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                if !bang {
                    continue;
                }
                let text = match tokens.get(index + 2) {
                    Some(TokenTree::Group(group)) => first_string(group.stream()),
                    _ => None,
                };
                found.push(Todo {
                    line: ident.span().start().line,
                    text,
                });
            }
            TokenTree::Group(group) => find_todos(group.stream(), found),
            _ => {}
        }
    }
}

/// The text of a macro's first argument, when it is a plain string literal.
fn first_string(tokens: TokenStream) -> Option<String> {
    let Some(TokenTree::Literal(literal)) = tokens.into_iter().next() else {
        return None;
    };
    let text = literal.to_string();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    Some(inner.replace("\\\"", "\""))
}

/// The TODO comment to do first for the `todo!()` at `line`: the first TODO in the
/// function around it, else the nearest above it; with its line, and its words up to
/// the end of the comment.
pub fn todo_comment(source: &str, line: usize) -> Option<(usize, String)> {
    let lines: Vec<&str> = source.lines().collect();
    let is_todo = |index: &usize| {
        let text = lines[*index].trim_start();
        text.starts_with("//") && text.contains("TODO")
    };
    let end = line.min(lines.len());
    let in_function = function_around(source, line)
        .and_then(|start| (start.saturating_sub(1)..end).find(is_todo));
    let index = in_function.or_else(|| (0..end).rev().find(is_todo))?;
    Some((index + 1, comment_from(&lines, index)))
}

/// The words of the comment that starts at `index`, from its `TODO` on, its following
/// comment lines joined.
fn comment_from(lines: &[&str], index: usize) -> String {
    let strip = |line: &str| {
        line.trim_start()
            .trim_start_matches('/')
            .trim_start_matches('!')
            .trim()
            .to_string()
    };
    let first = strip(lines[index]);
    let first = first[first.find("TODO").unwrap_or(0)..]
        .trim_start_matches("TODO")
        .trim_start_matches([':', ' '])
        .to_string();
    let mut words = vec![first];
    for line in &lines[index + 1..] {
        let text = line.trim_start();
        if !text.starts_with("//") || text.contains("TODO") {
            break;
        }
        words.push(strip(text));
    }
    words.retain(|word| !word.is_empty());
    words.join(" ")
}

/// The first line of the innermost function (free, or in an `impl` or a trait) around
/// `line`.
fn function_around(source: &str, line: usize) -> Option<usize> {
    if nested_too_deep(source).is_some() {
        return None;
    }
    let file = syn::parse_file(source).ok()?;
    let mut spans = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Fn(function) => spans.push(function.span()),
            syn::Item::Impl(block) => spans.extend(
                block
                    .items
                    .iter()
                    .filter(|item| matches!(item, syn::ImplItem::Fn(_)))
                    .map(|item| item.span()),
            ),
            syn::Item::Trait(block) => spans.extend(
                block
                    .items
                    .iter()
                    .filter(|item| matches!(item, syn::TraitItem::Fn(_)))
                    .map(|item| item.span()),
            ),
            _ => {}
        }
    }
    spans
        .into_iter()
        .map(|span| (span.start().line, span.end().line))
        .filter(|(start, end)| (*start..=*end).contains(&line))
        .max_by_key(|(start, _)| *start)
        .map(|(start, _)| start)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const EXERCISE: &str = r#"//! An exercise.
use std::thread;

pub struct Pool {
    size: usize,
}

impl Pool {
    pub fn new(size: usize) -> Pool {
        Pool { size }
    }

    pub fn execute(&self, job: impl FnOnce()) {
        job()
    }
}

pub fn run_on_new_thread<T>(work: impl FnOnce() -> T) -> T {
    let handle = thread::spawn(|| {
        // Code to be run in the new thread
        // TODO: run `work` here. The closure must
        // take ownership of it.
    });

    // TODO: join `handle`.
    todo!("join the thread")
}

pub struct RawBox<T>(*mut T);

unsafe impl<T> Send for RawBox<T> {}
"#;

    #[test]
    fn a_todo_is_found_with_its_message_and_its_first_todo_comment() {
        let found = todos(EXERCISE);
        assert_eq!(
            found,
            [Todo {
                line: 26,
                text: Some("join the thread".into())
            }]
        );
        assert_eq!(
            todo_comment(EXERCISE, 26),
            Some((
                21,
                "run `work` here. The closure must take ownership of it.".into()
            ))
        );
        assert_eq!(todos("// todo!() in a comment\nfn f() {}"), []);
    }
}
