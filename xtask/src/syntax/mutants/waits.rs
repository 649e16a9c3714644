//! Operators on waiting and holding back: a wait on a condition variable, a `recv()`
//! or a `park()` turned into a poll, a bound on a channel or semaphore widened, a bound
//! dropped from an `unsafe impl`, and a fence, spin hint, `drop`, `join` or barrier left
//! out.

use syn::spanned::Spanned;

use super::Finder;

impl Finder<'_> {
    /// A statement that calls a fence, a spin hint, `yield_now`, `drop`, `join()` or a
    /// barrier's `wait()`, left out.
    pub(super) fn leave_out_statement(&mut self, stmt: &syn::Stmt) {
        if let syn::Stmt::Expr(expr, Some(_)) = stmt {
            let removed = match expr {
                syn::Expr::Call(call) => match &*call.func {
                    syn::Expr::Path(path) => path.path.segments.last().and_then(|last| {
                        let name = last.ident.to_string();
                        match name.as_str() {
                            "fence" | "compiler_fence" | "spin_loop" | "yield_now" | "drop" => {
                                Some(format!("`{name}(…)` left out"))
                            }
                            _ => None,
                        }
                    }),
                    _ => None,
                },
                syn::Expr::MethodCall(_) if calls_join(expr) => Some("`join()` left out".into()),
                syn::Expr::MethodCall(call) if call.method == "wait" && call.args.is_empty() => {
                    Some("`wait()` on a barrier left out".into())
                }
                syn::Expr::Await(awaited) if calls_yield_now(&awaited.base) => {
                    Some("`yield_now().await` left out".into())
                }
                _ => None,
            };
            if let Some(description) = removed {
                self.edit(stmt, String::new(), description);
            }
        }
    }

    /// In an `unsafe impl` of `Send` or `Sync`, each bound of its type parameters and
    /// where clause, dropped in turn.
    pub(super) fn drop_bounds_of_unsafe_impl(&mut self, item: &syn::ItemImpl) {
        let marker = item
            .trait_
            .as_ref()
            .and_then(|(path, _)| path.segments.last())
            .map(|segment| segment.ident.to_string());
        if item.unsafety.is_some() && matches!(marker.as_deref(), Some("Send" | "Sync")) {
            let marker = marker.unwrap_or_default();
            for param in item.generics.type_params() {
                self.drop_each_bound(&param.ident.to_string(), param, &param.bounds, &marker);
            }
            if let Some(clause) = &item.generics.where_clause {
                for predicate in &clause.predicates {
                    if let syn::WherePredicate::Type(predicate) = predicate {
                        let bounded = self.text(&predicate.bounded_ty).to_string();
                        self.drop_each_bound(&bounded, predicate, &predicate.bounds, &marker);
                    }
                }
            }
        }
    }

    /// A bound (of a channel, a semaphore, a stream's buffer) widened so that it no longer
    /// holds anything back.
    pub(super) fn widen(&mut self, bound: &syn::Expr, description: String) {
        let widened = format!("({}) + 64", self.text(bound));
        self.edit(bound, widened, description);
    }

    /// `condvar.wait(guard)` as a 1 ms poll: waiting by time instead of being notified.
    pub(super) fn wait_polled(&mut self, call: &syn::ExprMethodCall) {
        let (condvar, guard) = (
            self.text(&*call.receiver).to_string(),
            self.text(&call.args[0]).to_string(),
        );
        self.edit(
            call,
            format!("{condvar}.wait_timeout({guard}, std::time::Duration::from_millis(1)).map(|(guard, _)| guard)"),
            "`wait` on a condition variable replaced by a 1 ms poll".into(),
        );
    }

    /// `condvar.wait_while(guard, condition)` as a loop of 1 ms polls, as `wait_polled`.
    pub(super) fn wait_while_polled(&mut self, call: &syn::ExprMethodCall) {
        let condvar = self.text(&*call.receiver).to_string();
        let (guard, condition) = (
            self.text(&call.args[0]).to_string(),
            self.text(&call.args[1]).to_string(),
        );
        self.edit(
            call,
            format!(
                "{{ let mut guard = {guard}; while ({condition})(&mut *guard) {{ guard = {condvar}.wait_timeout(guard, std::time::Duration::from_millis(1)).unwrap().0; }} Ok::<_, std::sync::PoisonError<_>>(guard) }}"
            ),
            "`wait_while` replaced by a 1 ms poll".into(),
        );
    }

    /// A blocking `recv()` as a busy spin on `try_recv()`, which burns a core waiting.
    pub(super) fn recv_spun(&mut self, call: &syn::ExprMethodCall) {
        let receiver = self.text(&*call.receiver).to_string();
        self.edit(
            call,
            format!(
                "loop {{ match {receiver}.try_recv() {{ Err(std::sync::mpsc::TryRecvError::Empty) => std::thread::yield_now(), other => break other.map_err(|_| std::sync::mpsc::RecvError) }} }}"
            ),
            "`recv()` replaced by a spin on `try_recv()`".into(),
        );
    }

    /// One mutant per bound of `bounded: A + B + …` in an `unsafe impl` of `marker`,
    /// with that bound left out.
    fn drop_each_bound(
        &mut self,
        bounded: &str,
        node: &impl Spanned,
        bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::token::Plus>,
        marker: &str,
    ) {
        let texts: Vec<String> = bounds
            .iter()
            .map(|bound| self.text(bound).to_string())
            .collect();
        for (index, dropped) in texts.iter().enumerate() {
            let kept: Vec<&str> = texts
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != index)
                .map(|(_, text)| text.as_str())
                .collect();
            let replacement = if kept.is_empty() {
                format!("{bounded}:")
            } else {
                format!("{bounded}: {}", kept.join(" + "))
            };
            self.edit(
                node,
                replacement,
                format!("the bound `{bounded}: {dropped}` left out of `unsafe impl {marker}`"),
            );
        }
    }
}

/// Whether `expr` is a call of `yield_now()`.
fn calls_yield_now(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::Call(call)
        if matches!(&*call.func, syn::Expr::Path(path)
            if path.path.segments.last().is_some_and(|last| last.ident == "yield_now")))
}

/// Whether a method chain calls `join()`: `handle.join().unwrap()`.
fn calls_join(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::MethodCall(call) => {
            (call.method == "join" && call.args.is_empty()) || calls_join(&call.receiver)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{mutated, names};

    #[test]
    fn a_bound_is_dropped_from_an_unsafe_impl_one_at_a_time() {
        let source = "unsafe impl<T: Send + Sync> Sync for Lock<T> {}\nunsafe impl<T> Send for Arc<T> where T: Send + Sync {}\nimpl<T: Send> Clone for X<T> {}\n";
        let found = names(source);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(
            mutated(source, "`T: Send` left out of `unsafe impl Sync`")
                .starts_with("unsafe impl<T: Sync> Sync")
        );
        assert!(
            mutated(source, "`T: Sync` left out of `unsafe impl Send`")
                .contains("where T: Send {}")
        );
    }

    #[test]
    fn waits_bounds_drops_and_joins_are_changed() {
        let source = "fn f() {\n    let (tx, rx) = mpsc::sync_channel(2);\n    cv.notify_all();\n    drop(tx);\n    handle.join().unwrap();\n    std::hint::spin_loop();\n}\n";
        assert!(mutated(source, "sync_channel").contains("mpsc::sync_channel((2) + 64)"));
        assert!(mutated(source, "notify_one").contains("cv.notify_one();"));
        assert!(
            mutated("fn r() { let b = self.best.read().unwrap(); }", "`read()`")
                .contains("self.best.write().unwrap()")
        );
        assert!(!mutated(source, "`drop(…)` left out").contains("drop(tx)"));
        assert!(!mutated(source, "`join()` left out").contains("join"));
        assert!(!mutated(source, "`spin_loop(…)` left out").contains("spin_loop"));
    }

    #[test]
    fn waits_become_polls() {
        let source = "fn f() {\n    g = cv.wait(g).unwrap();\n    let v = rx.recv();\n    std::thread::park();\n    barrier.wait();\n}\nasync fn a() { let v = rx.recv().await; }\n";
        assert!(mutated(source, "1 ms poll").contains(
            "g = cv.wait_timeout(g, std::time::Duration::from_millis(1)).map(|(guard, _)| guard).unwrap();"
        ));
        assert!(mutated(source, "`recv()` replaced").contains("match rx.try_recv()"));
        assert!(
            mutated(source, "`recv().await` replaced").contains("tokio::task::yield_now().await")
        );
        assert!(mutated(source, "`thread::park()`").contains("std::thread::yield_now();"));
        assert!(!mutated(source, "barrier").contains("barrier.wait()"));
        let recvs = names(source)
            .iter()
            .filter(|name| name.contains("recv"))
            .count();
        assert_eq!(recvs, 2, "one mutant per `recv`: {:?}", names(source));
    }
}
