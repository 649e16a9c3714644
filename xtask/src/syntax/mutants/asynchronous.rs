//! Operators on async code: concurrent futures awaited in turn (`join_all`, `join!`,
//! `select!`), a timeout left out, a blocking sleep on the runtime's thread, an awaited
//! `recv()` spun on `try_recv()`.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use syn::spanned::Spanned;

use super::{Finder, key};

impl Finder<'_> {
    /// The operators on an awaited call: `recv()`, `join_all`, `try_join_all`, `timeout`,
    /// `sleep`.
    pub(super) fn await_in_turn(&mut self, awaited: &syn::ExprAwait) {
        if let syn::Expr::MethodCall(call) = &*awaited.base
            && call.method == "recv"
            && call.args.is_empty()
        {
            self.owned.insert(key(call.span()));
            let receiver = self.text(&*call.receiver).to_string();
            self.edit(
                awaited,
                format!(
                    "loop {{ match {receiver}.try_recv() {{ Ok(value) => break Some(value), Err(tokio::sync::mpsc::error::TryRecvError::Empty) => tokio::task::yield_now().await, Err(_) => break None }} }}"
                ),
                "`recv().await` replaced by a spin on `try_recv()`".into(),
            );
        }
        if let syn::Expr::Call(call) = &*awaited.base
            && let syn::Expr::Path(path) = &*call.func
            && let Some(last) = path.path.segments.last()
        {
            let arguments: Vec<String> = call
                .args
                .iter()
                .map(|arg| self.text(arg).to_string())
                .collect();
            match (last.ident.to_string().as_str(), arguments.as_slice()) {
                ("join_all", [futures]) => self.edit(
                    awaited,
                    format!(
                        "{{ let mut outputs = Vec::new(); for future in {futures} {{ outputs.push(future.await); }} outputs }}"
                    ),
                    "`join_all(futures).await` awaited in turn".into(),
                ),
                ("try_join_all", [futures]) => self.edit(
                    awaited,
                    format!(
                        "(async {{ let mut outputs = Vec::new(); for future in {futures} {{ outputs.push(future.await?); }} Ok(outputs) }}).await"
                    ),
                    "`try_join_all(futures).await` awaited in turn".into(),
                ),
                ("timeout", [_, future]) => self.edit(
                    awaited,
                    format!("Ok::<_, tokio::time::error::Elapsed>(({future}).await)"),
                    "`timeout(…)` left out: the future is awaited however long it takes".into(),
                ),
                ("sleep", [duration]) => self.edit(
                    awaited,
                    format!("std::thread::sleep({duration})"),
                    "`tokio::time::sleep(…).await` → `std::thread::sleep(…)`, which blocks the runtime's thread".into(),
                ),
                _ => {}
            }
        }
    }

    /// `join!`, `try_join!` and `select!` in async code, awaited in turn.
    pub(super) fn macro_in_turn(&mut self, mac: &syn::Macro) {
        let name = mac
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .unwrap_or_default();
        if self.async_depth > 0 {
            match name.as_str() {
                "join" | "try_join" => {
                    let futures = split_top_level(mac.tokens.clone(), ',');
                    if futures.len() >= 2 {
                        let awaited: Vec<String> = futures
                            .iter()
                            .map(|future| {
                                if name == "join" {
                                    format!("({future}).await")
                                } else {
                                    format!("({future}).await?")
                                }
                            })
                            .collect();
                        let replacement = if name == "join" {
                            format!("({})", awaited.join(", "))
                        } else {
                            format!("(async {{ Ok(({})) }}).await", awaited.join(", "))
                        };
                        self.edit(mac, replacement, format!("`{name}!` awaited in turn"));
                    }
                }
                "select" => {
                    if let Some(first) = first_select_branch(mac.tokens.clone()) {
                        self.edit(
                            mac,
                            first,
                            "`select!` awaiting its first branch alone".into(),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

/// The pieces of a token stream between top-level `separator`s, as source text.
fn split_top_level(tokens: TokenStream, separator: char) -> Vec<String> {
    let mut pieces = vec![TokenStream::new()];
    for token in tokens {
        if matches!(&token, TokenTree::Punct(p) if p.as_char() == separator) {
            pieces.push(TokenStream::new());
        } else {
            pieces
                .last_mut()
                .expect("one piece at least")
                .extend([token]);
        }
    }
    pieces
        .into_iter()
        .map(|piece| piece.to_string())
        .filter(|piece| !piece.trim().is_empty())
        .collect()
}

/// `select! { PAT = FUTURE => HANDLER, … }` with only its first branch, awaited:
/// `{ let PAT = (FUTURE).await; HANDLER }`.
fn first_select_branch(tokens: TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut rest = tokens.as_slice();
    if let [TokenTree::Ident(biased), TokenTree::Punct(semi), tail @ ..] = rest
        && *biased == "biased"
        && semi.as_char() == ';'
    {
        rest = tail;
    }
    let is = |token: &TokenTree, c: char| matches!(token, TokenTree::Punct(p) if p.as_char() == c);
    let assign = (0..rest.len()).find(|&i| {
        is(&rest[i], '=')
            && !matches!(&rest[i], TokenTree::Punct(p) if p.spacing() == Spacing::Joint)
            && !(i > 0
                && matches!(&rest[i - 1], TokenTree::Punct(p) if p.spacing() == Spacing::Joint))
    })?;
    let arrow = (assign + 1..rest.len().saturating_sub(1))
        .find(|&i| is(&rest[i], '=') && is(&rest[i + 1], '>'))?;
    let pattern: TokenStream = rest[..assign].iter().cloned().collect();
    let future: TokenStream = rest[assign + 1..arrow].iter().cloned().collect();
    let handler: TokenStream = match rest.get(arrow + 2) {
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
            [rest[arrow + 2].clone()].into_iter().collect()
        }
        _ => rest[arrow + 2..]
            .iter()
            .take_while(|token| !is(token, ','))
            .cloned()
            .collect(),
    };
    Some(format!("{{ let {pattern} = ({future}).await; {handler} }}"))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{mutated, names};

    #[test]
    fn concurrent_futures_are_awaited_in_turn_and_spawns_run_inline() {
        let source = "async fn f() {\n    let all = join_all(tasks).await;\n    let (a, b) = tokio::join!(one(), two());\n    let h = tokio::spawn(work());\n    tokio::time::sleep(Duration::from_secs(1)).await;\n}\n";
        assert!(
            mutated(source, "`join_all")
                .contains("for future in tasks { outputs.push(future.await); }")
        );
        assert!(
            mutated(source, "`join!`").contains("let (a, b) = ((one ()).await, (two ()).await);")
        );
        assert!(mutated(source, "`tokio::spawn").contains("let output = (work()).await;"));
        assert!(
            mutated(source, "std::thread::sleep")
                .contains("std::thread::sleep(Duration::from_secs(1));")
        );
        // Outside async code, `.await` is not possible, so no such mutant.
        assert!(names("fn g() { tokio::spawn(work()); }").is_empty());
        let threads = "fn g() { let h = std::thread::spawn(move || 1); }";
        assert!(mutated(threads, "run inline").contains("let output = (move || 1)();"));
    }

    #[test]
    fn select_awaits_its_first_branch_alone() {
        let source =
            "async fn f() { tokio::select! { v = rx.recv() => { v } _ = sleep(d) => None, } }";
        assert!(
            mutated(source, "`select!`").contains("{ let v = (rx . recv ()).await; { v } }"),
            "{}",
            mutated(source, "`select!`")
        );
    }
}
