//! Copy detection's fingerprint: a file's tokens with its local names numbered in the
//! order they are bound, so that two files differing only in formatting, comments and
//! the names of their variables and parameters get the same fingerprint. Names that
//! reach outside the file (functions, types, methods, fields, macros) are kept, so two
//! different answers stay apart.

use std::collections::BTreeMap;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use crate::model::kit::nested_too_deep;

/// The normalized fingerprint of `source` (FNV-1a over the normalized tokens, in hex);
/// text that does not lex as Rust is fingerprinted as it is, line endings aside.
pub fn fingerprint(source: &str) -> String {
    let stream = match nested_too_deep(source) {
        None => source.parse::<TokenStream>().ok(),
        Some(_) => None,
    };
    let normalized = match stream {
        Some(stream) => normalize(&flatten(stream)),
        None => source.replace("\r\n", "\n"),
    };
    crate::model::shipped::fnv1a_hex(&normalized)
}

/// A token as text; joint punctuation (`::`, `=>`, `->`) is one token, and a group
/// is its opening delimiter, its tokens and its closing one.
fn flatten(stream: TokenStream) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut punct = String::new();
    let mut trees = stream.into_iter().peekable();
    while let Some(tree) = trees.next() {
        // Doc comments are `#[doc = "…"]` (or `#![doc …]`) to the lexer: comments still.
        if matches!(&tree, TokenTree::Punct(p) if p.as_char() == '#') {
            if matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                let bang = trees.next();
                if trees.peek().is_some_and(is_doc_attribute) {
                    trees.next();
                    continue;
                }
                tokens.push("#".into());
                punct.extend(bang.map(|_| '!'));
                continue;
            }
            if trees.peek().is_some_and(is_doc_attribute) {
                trees.next();
                continue;
            }
        }
        if let TokenTree::Punct(p) = &tree {
            punct.push(p.as_char());
            if p.spacing() == Spacing::Alone {
                tokens.push(std::mem::take(&mut punct));
            }
            continue;
        }
        if !punct.is_empty() {
            tokens.push(std::mem::take(&mut punct));
        }
        match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                tokens.push(open.into());
                tokens.extend(flatten(group.stream()));
                tokens.push(close.into());
            }
            TokenTree::Ident(ident) => tokens.push(ident.to_string()),
            TokenTree::Literal(literal) => tokens.push(literal.to_string()),
            TokenTree::Punct(_) => unreachable!("handled above"),
        }
    }
    if !punct.is_empty() {
        tokens.push(punct);
    }
    tokens
}

fn is_doc_attribute(tree: &TokenTree) -> bool {
    let TokenTree::Group(group) = tree else {
        return false;
    };
    group.delimiter() == Delimiter::Bracket
        && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(ident)) if ident == "doc")
}

/// The tokens joined, with every local name replaced by its number: `_0`, `_1`, ….
fn normalize(tokens: &[String]) -> String {
    let locals = bound_names(tokens);
    let mut numbers: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(tokens.len());
    for (index, token) in tokens.iter().enumerate() {
        let after_dot = index > 0 && tokens[index - 1] == ".";
        if locals.contains(token.as_str()) && !after_dot {
            let next = numbers.len();
            let number = *numbers.entry(token.as_str()).or_insert(next);
            out.push(format!("_{number}"));
        } else if !token.is_empty() {
            out.push(token.clone());
        }
    }
    out.join(" ")
}

/// Names the file binds itself: after `let` and `for`, closure parameters, and a
/// function's parameters (a name followed by a single `:` in its parentheses).
fn bound_names(tokens: &[String]) -> std::collections::BTreeSet<&str> {
    let mut names = std::collections::BTreeSet::new();
    let mut index = 0;
    while index < tokens.len() {
        let token = tokens[index].as_str();
        let pattern_end = match token {
            "let" => Some(["=", ";"]),
            "for" => Some(["in", "in"]),
            "|" if opens_closure(tokens, index) => Some(["|", "|"]),
            "fn" => {
                bind_parameters(tokens, index, &mut names);
                None
            }
            _ => None,
        };
        if let Some(ends) = pattern_end {
            index += 1;
            let mut depth = 0usize;
            while index < tokens.len() && !(depth == 0 && ends.contains(&tokens[index].as_str())) {
                let here = tokens[index].as_str();
                match here {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth = depth.saturating_sub(1),
                    // A type annotation ends the names at this depth: `let x: T = …`.
                    ":" if depth == 0 => break,
                    _ if is_local_name(tokens, index) => {
                        names.insert(here);
                    }
                    _ => {}
                }
                index += 1;
            }
        }
        index += 1;
    }
    names
}

/// `fn NAME<…>(a: A, mut b: B)`: binds `a` and `b`.
fn bind_parameters<'a>(
    tokens: &'a [String],
    fn_index: usize,
    names: &mut std::collections::BTreeSet<&'a str>,
) {
    let Some(open) = tokens[fn_index..].iter().position(|t| t == "(") else {
        return;
    };
    let mut depth = 0usize;
    for index in fn_index + open..tokens.len() {
        match tokens[index].as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            _ if depth == 1
                && tokens.get(index + 1).is_some_and(|next| next == ":")
                && is_local_name(tokens, index) =>
            {
                names.insert(tokens[index].as_str());
            }
            _ => {}
        }
    }
}

/// A `|` that starts a closure's parameters rather than an `or`.
fn opens_closure(tokens: &[String], index: usize) -> bool {
    index == 0
        || matches!(
            tokens[index - 1].as_str(),
            "(" | "," | "=" | "move" | "{" | ";" | "=>" | "return"
        )
}

/// A lower-case name that is not a keyword, a path's segment or a call.
fn is_local_name(tokens: &[String], index: usize) -> bool {
    const KEYWORDS: [&str; 12] = [
        "mut", "ref", "self", "in", "let", "for", "move", "_", "true", "false", "box", "async",
    ];
    let token = tokens[index].as_str();
    let starts_lower = token
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c == '_');
    let next = tokens.get(index + 1).map(String::as_str);
    let before = index.checked_sub(1).map(|i| tokens[i].as_str());
    starts_lower
        && token.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&token)
        && !matches!(next, Some("(" | "::" | "!" | "{"))
        && !matches!(before, Some("::" | "."))
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn formatting_comments_and_local_names_do_not_count() {
        let mine = "pub fn double(n: u32) -> u32 { let twice = n + n; twice }";
        let theirs = "/// Mine.\npub fn double(x: u32)->u32{\n    // add it to itself\n    let result = x + x;\n    result\n}\n";
        assert_eq!(fingerprint(mine), fingerprint(theirs));
        let closures = "fn f(v: &[u32]) -> u32 { v.iter().map(|item| item * 2).sum() }";
        let renamed = "fn f(xs: &[u32]) -> u32 { xs.iter().map(|x| x * 2).sum() }";
        assert_eq!(fingerprint(closures), fingerprint(renamed));
    }

    #[test]
    fn a_different_answer_stays_apart() {
        let sum = "pub fn double(n: u32) -> u32 { let twice = n + n; twice }";
        let product = "pub fn double(n: u32) -> u32 { let twice = n * 2; twice }";
        assert_ne!(fingerprint(sum), fingerprint(product));
        // Methods and functions are names from outside: renaming them is a change.
        assert_ne!(
            fingerprint("fn f(a: &AtomicU32) { a.fetch_add(1, Relaxed); }"),
            fingerprint("fn f(a: &AtomicU32) { a.fetch_sub(1, Relaxed); }")
        );
        assert_ne!(fingerprint("fn f() { g() }"), fingerprint("fn f() { h() }"));
    }
}
