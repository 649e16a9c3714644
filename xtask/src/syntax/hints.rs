//! What a student is told, as `verify` reads it: the code a hint shows, found token for
//! token in a source file; the names of what a check's failure messages ask for; and the
//! words a file says to its reader, in its comments and strings.
//!
//! Hints are prose with code in them, not Rust, so a loose lexer reads both sides the
//! same way: words, string and char literals, and single punctuation characters, with
//! comments and whitespace left out (`&mut *low` and `& mut * low` are the same code).

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};

/// One token of the loose lexer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// An identifier, keyword or number.
    Word(String),
    /// A string, char or byte literal, quotes included.
    Literal(String),
    Punct(char),
    /// `..`, `...` or `…` in a hint: code left out, any tokens at all.
    Elided,
}

/// A piece of code in a hint: a line of a hint that is code, or a `span` of a hint
/// that is prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// As the hint writes it.
    pub text: String,
    /// `true` for a `span` in prose, which may also name what the student replaces.
    pub quoted: bool,
}

/// The code in `hint`. Each line is code unless it quotes code between backticks, or
/// is a `See https://…` line of links, after an optional label that says where it goes
/// (`lock:`, ``and in `combine`:``).
pub fn fragments(hint: &str) -> Vec<Fragment> {
    let mut found = Vec::new();
    for line in hint.lines() {
        let code = strip_label(line).trim();
        if code.starts_with("See ") && code.contains("://") {
            continue;
        }
        if code.contains('`') {
            found.extend(
                code.split('`')
                    .skip(1)
                    .step_by(2)
                    .filter(|span| !span.trim().is_empty())
                    .map(|span| Fragment {
                        text: span.to_string(),
                        quoted: true,
                    }),
            );
        } else if code.chars().any(|c| c.is_alphanumeric()) {
            found.push(Fragment {
                text: code.to_string(),
                quoted: false,
            });
        }
    }
    found
}

/// `lock: compare_exchange(..)` → `compare_exchange(..)`: a label is words (or a name in
/// backticks) and a colon, not a path's `::`. A struct field (`items: Arc<T>`) reads as a
/// label too, which is harmless: its type is still found.
fn strip_label(line: &str) -> &str {
    let Some(colon) = line.find(':') else {
        return line;
    };
    let (label, rest) = line.split_at(colon);
    let rest = &rest[1..];
    // A name in backticks is whole: `Store `x: T`` has no label.
    let is_label = !label.trim().is_empty()
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == ' ' || c == '`')
        && label.matches('`').count() % 2 == 0
        && (rest.is_empty() || rest.starts_with(char::is_whitespace));
    if is_label { rest } else { line }
}

/// Whether `fragment` is code of `source` (a Rust file): its tokens appear in the file's
/// code in the same order and next to each other, where an elision (`..`) may stand for
/// any code. Comments and spacing do not count.
pub fn is_found_in(fragment: &str, source: &str) -> bool {
    let mut pattern = elide(lex(fragment));
    // A line that ends a match arm or a field (`Ok(v) => v,`) may be the last one.
    if pattern.last() == Some(&Token::Punct(',')) {
        pattern.pop();
    }
    if pattern.iter().all(|token| *token == Token::Elided) {
        return true;
    }
    contains(&lex(source), &pattern)
}

/// Runs of two or three dots, and `…`, as one elision.
fn elide(tokens: Vec<Token>) -> Vec<Token> {
    let mut elided: Vec<Token> = Vec::new();
    let mut dots = 0;
    for token in tokens {
        if token == Token::Punct('.') {
            dots += 1;
            continue;
        }
        flush_dots(&mut elided, dots);
        dots = 0;
        elided.push(token);
    }
    flush_dots(&mut elided, dots);
    elided
}

fn flush_dots(tokens: &mut Vec<Token>, dots: usize) {
    match dots {
        0 => {}
        1 => tokens.push(Token::Punct('.')),
        _ => tokens.push(Token::Elided),
    }
}

/// Whether `pattern` matches a contiguous run of `text`, each `Elided` matching any run
/// of tokens: glob matching, with the usual backtracking to the last elision.
fn contains(text: &[Token], pattern: &[Token]) -> bool {
    // A match anywhere is a match of the pattern between two elisions.
    let mut glob = vec![Token::Elided];
    glob.extend_from_slice(pattern);
    glob.push(Token::Elided);
    let (mut t, mut p) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < glob.len() && glob[p] == Token::Elided {
            backtrack = Some((p, t));
            p += 1;
        } else if p < glob.len() && glob[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star, from)) = backtrack {
            p = star + 1;
            t = from + 1;
            backtrack = Some((star, from + 1));
        } else {
            return false;
        }
    }
    glob[p..].iter().all(|token| *token == Token::Elided)
}

/// The loose lexer: code only, comments and whitespace left out, and a trailing comma
/// too (`{ a, }` is `{ a }`), which rustfmt adds where a hint on one line has none.
fn lex(text: &str) -> Vec<Token> {
    let tokens = lex_all(text);
    let closes = |token: Option<&Token>| matches!(token, Some(Token::Punct(')' | ']' | '}')));
    tokens
        .iter()
        .enumerate()
        .filter(|(at, token)| !(**token == Token::Punct(',') && closes(tokens.get(at + 1))))
        .map(|(_, token)| token.clone())
        .collect()
}

fn lex_all(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest = &chars[i..];
        if c.is_whitespace() {
            i += 1;
        } else if rest.starts_with(&['/', '/']) {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if rest.starts_with(&['/', '*']) {
            i = block_comment_end(&chars, i);
        } else if c == '…' {
            tokens.push(Token::Elided);
            i += 1;
        } else if let Some(end) = literal_end(&chars, i) {
            tokens.push(Token::Literal(chars[i..end].iter().collect()));
            i = end;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Word(chars[start..i].iter().collect()));
        } else if c == '\'' {
            // A lifetime: the quote and the name.
            tokens.push(Token::Punct('\''));
            i += 1;
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

fn block_comment_end(chars: &[char], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < chars.len() {
        match (chars[i], chars[i + 1]) {
            ('/', '*') => {
                depth += 1;
                i += 2;
            }
            ('*', '/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    chars.len()
}

/// Where the literal that starts at `start` ends: a string (`"…"`, `b"…"`, `r#"…"#`) or a
/// char (`'x'`, `'\n'`); `None` when none starts there (a lifetime's quote, a word).
fn literal_end(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start;
    if chars[i] == 'b' && matches!(chars.get(i + 1), Some('"' | '\'' | 'r')) {
        i += 1;
    }
    if chars[i] == 'r' && matches!(chars.get(i + 1), Some('"' | '#')) {
        let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
        if chars.get(i + 1 + hashes) != Some(&'"') {
            return None;
        }
        let body = i + 2 + hashes;
        let closing: Vec<char> = std::iter::once('"')
            .chain(std::iter::repeat_n('#', hashes))
            .collect();
        return Some(
            (body..chars.len())
                .find(|&at| chars[at..].starts_with(&closing))
                .map_or(chars.len(), |at| at + closing.len()),
        );
    }
    match chars[i] {
        '"' => Some(quoted_end(chars, i + 1, '"')),
        '\'' if chars.get(i + 1) == Some(&'\\') => Some(quoted_end(chars, i + 1, '\'')),
        '\'' if chars.get(i + 2) == Some(&'\'') => Some(i + 3),
        _ => None,
    }
}

/// The end of a quoted literal whose body starts at `from`, escapes skipped.
fn quoted_end(chars: &[char], from: usize, quote: char) -> usize {
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// The words of a source's code (identifiers, keywords, numbers), comments and
/// literals left out.
pub fn code_words(source: &str) -> BTreeSet<String> {
    lex(source)
        .into_iter()
        .filter_map(|token| match token {
            Token::Word(word) => Some(word),
            _ => None,
        })
        .collect()
}

/// The words a file says to its reader: those of its comments (doc comments, TODOs)
/// and of its string literals (a `todo!("…")`'s message).
pub fn told_words(source: &str) -> BTreeSet<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut told = String::new();
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        let end = if rest.starts_with(&['/', '/']) {
            (i..chars.len())
                .find(|&at| chars[at] == '\n')
                .unwrap_or(chars.len())
        } else if rest.starts_with(&['/', '*']) {
            block_comment_end(&chars, i)
        } else if let Some(end) = literal_end(&chars, i) {
            end
        } else {
            i += 1;
            continue;
        };
        told.extend(&chars[i..end]);
        told.push('\n');
        i = end;
    }
    words(&told)
}

/// The words of any text: runs of letters, digits and `_`.
pub fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

/// The string literals of a Rust source's code, their escapes resolved: a check's
/// failure messages. Empty when the source does not lex.
pub fn string_literals(source: &str) -> Vec<String> {
    let Ok(stream) = source.parse::<TokenStream>() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    collect_strings(stream, &mut found);
    found
}

fn collect_strings(stream: TokenStream, found: &mut Vec<String>) {
    for tree in stream {
        match tree {
            TokenTree::Group(group) => collect_strings(group.stream(), found),
            TokenTree::Literal(literal) => {
                if let Ok(text) = syn::parse_str::<syn::LitStr>(&literal.to_string()) {
                    found.push(text.value());
                }
            }
            _ => {}
        }
    }
}

/// What a failure message asks the student to call: in each of its `code` spans, the
/// last name of every path (`std::panic::resume_unwind(payload)` → `resume_unwind`) and
/// every method called (`handle.join()` → `join`).
pub fn remedies(message: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for span in message.split('`').skip(1).step_by(2) {
        let tokens = lex(span);
        for (at, token) in tokens.iter().enumerate() {
            let Token::Word(name) = token else { continue };
            let before = |back: usize| at.checked_sub(back).map(|i| &tokens[i]);
            let last_of_path = before(1) == Some(&Token::Punct(':'))
                && before(2) == Some(&Token::Punct(':'))
                && tokens.get(at + 1) != Some(&Token::Punct(':'));
            let method = before(1) == Some(&Token::Punct('.'))
                && tokens.get(at + 1) == Some(&Token::Punct('('));
            if last_of_path || method {
                names.insert(name.clone());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::{Fragment, code_words, fragments, is_found_in, remedies, told_words};

    const SOLUTION: &str = r#"
        /// Joins the thread.
        pub fn run<T>(work: impl FnOnce() -> T) -> T {
            let handle = thread::spawn(work);
            // A panic comes back as `Err`.
            match handle.join() {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        const NAME: &str = "a // not a comment";
    "#;

    #[test]
    fn code_is_found_whatever_its_spacing_and_comments() {
        assert!(is_found_in("let handle = thread::spawn(work);", SOLUTION));
        assert!(is_found_in(
            "match handle.join() { Ok(value) => value, Err(panic) => std::panic::resume_unwind(panic), }",
            SOLUTION
        ));
        assert!(is_found_in("\"a // not a comment\"", SOLUTION));
        // Elided code stands for anything.
        assert!(is_found_in("match handle.join() { .. }", SOLUTION));
        assert!(is_found_in("Err(panic) => …", SOLUTION));
        // rustfmt's trailing commas do not count.
        assert!(is_found_in(
            "match handle.join() { Ok(value) => value, Err(panic) => std::panic::resume_unwind(panic) }",
            SOLUTION
        ));
    }

    #[test]
    fn code_the_solution_does_not_have_is_not_found() {
        assert!(!is_found_in(
            "handle.join().expect(\"the worker thread panicked\")",
            SOLUTION
        ));
        assert!(!is_found_in("handle.join().unwrap()", SOLUTION));
        // A comment is not code.
        assert!(!is_found_in("A panic comes back", SOLUTION));
        // Nor is the same code in another order.
        assert!(!is_found_in("thread::spawn(work); let handle", SOLUTION));
    }

    #[test]
    fn a_hint_s_code_is_its_code_lines_and_its_quoted_spans() {
        let hint = "lock: compare_exchange_weak(false, true)\n\
                    and in `combine`:\n\
                    items: Arc<Vec<T>>,\n\
                    Lock it with `self.lock()`, then `drop` the guard.\n\
                    Store `permits: Semaphore` instead.\n\
                    See https://docs.rs/tokio and https://docs.rs/rayon";
        let texts: Vec<(String, bool)> = fragments(hint)
            .into_iter()
            .map(|Fragment { text, quoted }| (text, quoted))
            .collect();
        assert_eq!(
            texts,
            [
                ("compare_exchange_weak(false, true)".to_string(), false),
                ("Arc<Vec<T>>,".to_string(), false),
                ("self.lock()".to_string(), true),
                ("drop".to_string(), true),
                ("permits: Semaphore".to_string(), true),
            ]
        );
    }

    #[test]
    fn remedies_are_the_names_a_message_asks_to_call() {
        let message = "the panic was replaced (`unwrap` and `expect` make a panic of their \
                       own). Pass it on with `std::panic::resume_unwind(payload)`; \
                       `handle.join()` gives it back.";
        let names: Vec<String> = remedies(message).into_iter().collect();
        assert_eq!(names, ["join", "resume_unwind"]);
    }

    #[test]
    fn told_words_are_those_of_comments_and_strings_and_code_words_the_rest() {
        let told = told_words(SOLUTION);
        assert!(told.contains("Joins") && told.contains("Err") && told.contains("comment"));
        assert!(!told.contains("resume_unwind"));
        let code = code_words(SOLUTION);
        assert!(code.contains("resume_unwind") && !code.contains("Joins"));
        assert!(!code.contains("comment"), "a string is not code");
    }
}
