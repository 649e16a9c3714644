//! Reading tokens: where a path may start and where an item ends, and the shape of
//! the compiler's known soundness hole, which is refused on sight.

use proc_macro2::{Spacing, TokenTree};

/// Words that cannot start a path (`self`, `super`, `crate` and `Self` can).
pub(super) const KEYWORDS: [&str; 48] = [
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// The index of the `;` that ends the item starting at `from` (or the end).
pub(super) fn statement_end(tokens: &[TokenTree], from: usize) -> usize {
    (from..tokens.len())
        .find(|&index| is_punct(tokens.get(index), ';'))
        .unwrap_or(tokens.len())
}

pub(super) fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

pub(super) fn is_word(token: Option<&TokenTree>, word: &str) -> bool {
    matches!(token, Some(TokenTree::Ident(ident)) if ident == word)
}

/// A keyword, as written (a raw identifier `r#use` is not one).
pub(super) fn is_keyword(token: &TokenTree, keyword: &str) -> bool {
    matches!(token, TokenTree::Ident(ident) if ident == keyword)
}

/// Whether `tokens[index]` comes right after `::`, inside a path being read.
pub(super) fn follows_path_separator(tokens: &[TokenTree], index: usize) -> bool {
    index >= 2
        && is_punct(tokens.get(index - 1), ':')
        && matches!(&tokens[index - 2], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
}

/// Whether `tokens` start with `&'a &'b` (or `&'a mut &'b`): a type whose lifetimes
/// imply a bound (`'b: 'a`) that the compiler forgets when a function taking it becomes
/// a function pointer (rust-lang/rust#25860), which turns any lifetime into `'static`
/// and, from there, any value into any type, without `unsafe`.
pub(super) fn nested_named_references(tokens: &[TokenTree]) -> bool {
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

/// `'a` and `'label`: a lifetime's name is not a path.
pub(super) fn is_lifetime(tokens: &[TokenTree], index: usize) -> bool {
    matches!(
        index.checked_sub(1).and_then(|i| tokens.get(i)),
        Some(TokenTree::Punct(p)) if p.as_char() == '\'' && p.spacing() == Spacing::Joint
    )
}

pub(super) fn unraw(name: &str) -> String {
    name.strip_prefix("r#").unwrap_or(name).to_string()
}

pub(super) fn line_of(token: &TokenTree) -> usize {
    token.span().start().line
}

#[cfg(test)]
mod tests {
    use super::super::reasons::UNSOUND;
    use super::super::tests::{allowed, refused};

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
}
