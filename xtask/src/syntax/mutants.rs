//! Mutation operators for `cargo xtask mutants`: plausible wrong answers made from a
//! reference solution by changing its syntax, one change at a time. Each operator is a
//! concurrency mistake a student makes: an ordering weakened, a fence or spin hint
//! dropped, parallel work made sequential, concurrent futures awaited in turn, work
//! spawned and then run inline, a blocking sleep in async code, `notify_all` reduced to
//! `notify_one`, a bound dropped from an `unsafe impl`, a bound on a channel or
//! semaphore widened, a `drop` or `join` removed.
//!
//! The file is parsed with syn, and each change replaces the exact source of the node it
//! changes, so that a comment or string that mentions `Ordering::Acquire` is never a
//! mutant, and the rest of the file keeps its text.

use std::collections::BTreeSet;
use std::ops::Range;

use proc_macro2::{Delimiter, Spacing, Span, TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

/// One wrong answer made from a solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutant {
    /// How the catalog names it, stable while the solution's line stays:
    /// "line 31: `Ordering::Acquire` → `Ordering::Relaxed` (in `compare_exchange`)".
    pub name: String,
    /// The whole exercise file, mutated.
    pub source: String,
}

/// Every mutant of `source`, in the order of the file.
pub fn mutants(source: &str) -> Result<Vec<Mutant>, String> {
    let file = syn::parse_file(source)
        .map_err(|err| format!("cannot parse it (line {}): {err}", err.span().start().line))?;
    let mut finder = Finder {
        source,
        edits: Vec::new(),
        async_depth: 0,
        rayon_imports: rayon_imports(&file),
        owned: BTreeSet::new(),
    };
    finder.visit_file(&file);
    proc_macro2::extra::invalidate_current_thread_spans();
    let mut edits = finder.edits;
    edits.sort_by_key(|edit| edit.range.start);
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for edit in edits {
        if !seen.insert((edit.range.start, edit.range.end, edit.replacement.clone())) {
            continue;
        }
        let mut mutated = String::with_capacity(source.len() + edit.replacement.len());
        mutated.push_str(&source[..edit.range.start]);
        mutated.push_str(&edit.replacement);
        mutated.push_str(&source[edit.range.end..]);
        found.push(Mutant {
            name: format!("line {}: {}", edit.line, edit.description),
            source: mutated,
        });
    }
    Ok(found)
}

struct Edit {
    range: Range<usize>,
    replacement: String,
    line: usize,
    description: String,
}

struct Finder<'a> {
    source: &'a str,
    edits: Vec<Edit>,
    /// Inside an `async` block or function: where `.await` is allowed.
    async_depth: usize,
    /// Names imported from rayon (`join`, `scope`), so that a bare `join(…)` is known.
    rayon_imports: BTreeSet<String>,
    /// Nodes another operator owns (the byte ranges of rayon's `scope.spawn` calls and
    /// of awaited `recv()` calls), which the generic operators leave alone.
    owned: BTreeSet<(usize, usize)>,
}

/// Where an ordering is used, which decides what it may be weakened to and stay valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Load,
    Store,
    ReadModifyWrite,
    /// The ordering of a compare-exchange that fails: a load.
    Failure,
    Fence,
    Unknown,
}

impl Use {
    fn of_argument(method: &str, index: usize) -> Use {
        match (method, index) {
            ("load", _) => Use::Load,
            ("store", _) => Use::Store,
            ("compare_exchange" | "compare_exchange_weak", 2) | ("fetch_update", 0) => {
                Use::ReadModifyWrite
            }
            ("compare_exchange" | "compare_exchange_weak", 3) | ("fetch_update", 1) => Use::Failure,
            (
                "swap" | "fetch_add" | "fetch_sub" | "fetch_and" | "fetch_or" | "fetch_xor"
                | "fetch_nand" | "fetch_max" | "fetch_min",
                _,
            ) => Use::ReadModifyWrite,
            _ => Use::Unknown,
        }
    }

    /// The weaker orderings that are still valid here.
    fn weaker(self, ordering: &str) -> &'static [&'static str] {
        match (self, ordering) {
            (Use::Load | Use::Failure, "SeqCst") => &["Acquire"],
            (Use::Store, "SeqCst") => &["Release"],
            (Use::ReadModifyWrite | Use::Fence, "SeqCst") => &["AcqRel"],
            (Use::ReadModifyWrite | Use::Fence | Use::Unknown, "AcqRel") => &["Acquire", "Release"],
            (Use::Fence, _) => &[],
            (_, "Acquire" | "Release") => &["Relaxed"],
            _ => &[],
        }
    }
}

/// rayon's parallel adapters and what they are when sequential.
const SEQUENTIAL: [(&str, &str); 12] = [
    ("par_iter", "iter"),
    ("par_iter_mut", "iter_mut"),
    ("into_par_iter", "into_iter"),
    ("par_chunks", "chunks"),
    ("par_chunks_mut", "chunks_mut"),
    ("par_sort", "sort"),
    ("par_sort_by", "sort_by"),
    ("par_sort_by_key", "sort_by_key"),
    ("par_sort_unstable", "sort_unstable"),
    ("par_sort_unstable_by", "sort_unstable_by"),
    ("par_sort_unstable_by_key", "sort_unstable_by_key"),
    ("par_lines", "lines"),
];

impl Finder<'_> {
    fn text(&self, node: &impl Spanned) -> &str {
        &self.source[node.span().byte_range()]
    }

    fn edit(&mut self, node: &impl Spanned, replacement: String, description: String) {
        let span = node.span();
        self.edits.push(Edit {
            range: span.byte_range(),
            replacement,
            line: span.start().line,
            description,
        });
    }

    /// Weakens an ordering argument (`Ordering::Acquire` and the like).
    fn weaken(&mut self, argument: &syn::Expr, used: Use, context: &str) {
        let syn::Expr::Path(path) = argument else {
            return;
        };
        let segments: Vec<String> = path
            .path
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect();
        let [.., owner, ordering] = segments.as_slice() else {
            return;
        };
        if owner != "Ordering" {
            return;
        }
        let last = path.path.segments.last().expect("two segments");
        for weaker in used.weaker(ordering) {
            let description =
                format!("`Ordering::{ordering}` → `Ordering::{weaker}` (in `{context}`)");
            self.edit(&last.ident, (*weaker).to_string(), description);
        }
    }

    /// `s.spawn(f)` inside `rayon::scope(|s| …)`, run in turn: `(f)(s)`.
    fn scope_in_turn(&mut self, call: &syn::ExprCall) {
        let Some(syn::Expr::Closure(closure)) = call.args.first() else {
            return;
        };
        let Some(syn::Pat::Ident(scope)) = closure.inputs.first() else {
            return;
        };
        let mut spawns = Spawns {
            scope: scope.ident.to_string(),
            found: Vec::new(),
        };
        spawns.visit_expr(&closure.body);
        for (spawn, work) in spawns.found {
            self.owned.insert(key(spawn));
            let replacement = format!("({})({})", &self.source[work.byte_range()], spawns.scope);
            self.edit(
                &spawn,
                replacement,
                "`scope.spawn(work)` run in turn: `work(scope)`".into(),
            );
        }
    }
}

fn key(span: Span) -> (usize, usize) {
    let range = span.byte_range();
    (range.start, range.end)
}

/// The path a call names, read once: its last segment is the function's name, the
/// others say where it comes from.
struct Callee {
    segments: Vec<String>,
}

impl Callee {
    fn of(path: &syn::ExprPath) -> Callee {
        Callee {
            segments: path
                .path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect(),
        }
    }

    fn name(&self) -> &str {
        self.segments.last().map(String::as_str).unwrap_or_default()
    }

    /// Whether the path names `module` on its way: `std::thread::spawn` goes through
    /// `thread`.
    fn goes_through(&self, module: &str) -> bool {
        self.segments.iter().any(|segment| segment == module)
    }

    /// A name alone, as imported: `join(…)` rather than `rayon::join(…)`.
    fn is_bare(&self) -> bool {
        self.segments.len() == 1
    }
}

/// `Ordering::AcqRel` as written, split into what a separate load and a separate store
/// would use: (`Ordering::Acquire`, `Ordering::Release`).
fn split_ordering(written: &str) -> Option<(String, String)> {
    let (prefix, ordering) = written.trim().rsplit_once("::")?;
    let (load, store) = match ordering {
        "SeqCst" => ("SeqCst", "SeqCst"),
        "AcqRel" => ("Acquire", "Release"),
        "Acquire" => ("Acquire", "Relaxed"),
        "Release" => ("Relaxed", "Release"),
        "Relaxed" => ("Relaxed", "Relaxed"),
        _ => return None,
    };
    Some((format!("{prefix}::{load}"), format!("{prefix}::{store}")))
}

/// The `scope.spawn(work)` calls on one scope: where each call is, and its work.
struct Spawns {
    scope: String,
    found: Vec<(Span, Span)>,
}

impl Visit<'_> for Spawns {
    fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
        let on_scope =
            matches!(&*call.receiver, syn::Expr::Path(path) if path.path.is_ident(&self.scope));
        if on_scope && call.method == "spawn" && call.args.len() == 1 {
            self.found.push((call.span(), call.args[0].span()));
        }
        visit::visit_expr_method_call(self, call);
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        let asynchronous = item.sig.asyncness.is_some();
        self.async_depth += usize::from(asynchronous);
        visit::visit_item_fn(self, item);
        self.async_depth -= usize::from(asynchronous);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        let asynchronous = item.sig.asyncness.is_some();
        self.async_depth += usize::from(asynchronous);
        visit::visit_impl_item_fn(self, item);
        self.async_depth -= usize::from(asynchronous);
    }

    fn visit_expr_async(&mut self, block: &'ast syn::ExprAsync) {
        self.async_depth += 1;
        visit::visit_expr_async(self, block);
        self.async_depth -= 1;
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        // A closure's body is async only if the closure is.
        let outer = std::mem::replace(
            &mut self.async_depth,
            usize::from(closure.asyncness.is_some()),
        );
        visit::visit_expr_closure(self, closure);
        self.async_depth = outer;
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        for (index, argument) in call.args.iter().enumerate() {
            self.weaken(argument, Use::of_argument(&method, index), &method);
        }
        if let Some((_, sequential)) = SEQUENTIAL.iter().find(|(parallel, _)| *parallel == method) {
            self.edit(
                &call.method,
                (*sequential).to_string(),
                format!("`{method}` made sequential: `{sequential}`"),
            );
        }
        self.mutate_method_call(call, &method);
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let syn::Expr::Path(path) = &*call.func else {
            visit::visit_expr_call(self, call);
            return;
        };
        self.mutate_call(call, path);
        // The function itself is a path handled here, not a value to mutate.
        for argument in &call.args {
            self.visit_expr(argument);
        }
    }

    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        // `thread::spawn` passed as a function: `.map(thread::spawn)`.
        let segments: Vec<String> = path
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if let [.., module, name] = segments.as_slice()
            && module == "thread"
            && name == "spawn"
        {
            self.edit(
                path,
                "|work| { let output = work(); std::thread::spawn(move || output) }".into(),
                "`thread::spawn` run inline, before the thread starts".into(),
            );
        }
        visit::visit_expr_path(self, path);
    }

    fn visit_expr_await(&mut self, awaited: &'ast syn::ExprAwait) {
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
        visit::visit_expr_await(self, awaited);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
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
        visit::visit_macro(self, mac);
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
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
        visit::visit_stmt(self, stmt);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
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
        visit::visit_item_impl(self, item);
    }
}

impl Finder<'_> {
    /// The operators a method's name (and its number of arguments) chooses: at most one
    /// per call, beside the orderings and parallel adapters every call is searched for.
    fn mutate_method_call(&mut self, call: &syn::ExprMethodCall, method: &str) {
        // Another operator (rayon's scope, an awaited `recv()`) already mutates this call.
        let owned = self.owned.contains(&key(call.span()));
        match (method, call.args.len()) {
            ("par_bridge", _) => self.leave_out_call(
                call,
                "`par_bridge()` left out: the iterator runs sequentially".into(),
            ),
            ("read", 0) => self.edit(
                &call.method,
                "write".into(),
                "`read()` → `write()`: readers take turns".into(),
            ),
            ("notify_all" | "notify_waiters", _) => self.edit(
                &call.method,
                "notify_one".into(),
                format!("`{method}` → `notify_one`"),
            ),
            ("worker_threads" | "num_threads" | "max_blocking_threads", 1) => {
                self.leave_out_call(call, format!("`.{method}(…)` left out"))
            }
            ("spawn", 1) if !owned => self.spawn_inline(call),
            ("wait", 1) => self.wait_polled(call),
            ("wait_while", 2) => self.wait_while_polled(call),
            ("recv", 0) if !owned => self.recv_spun(call),
            ("fetch_add" | "fetch_sub" | "swap", 2) => self.split_read_modify_write(call, method),
            ("compare_exchange" | "compare_exchange_weak", 4) => self.check_then_set(call, method),
            ("buffer_unordered" | "buffered", 1) => self.widen(
                &call.args[0],
                format!("the bound of `{method}` widened by 64"),
            ),
            _ => {}
        }
    }

    /// The operators a called function's path chooses: rayon's `join` and `scope`, the
    /// spawns of threads and tasks, parking, runtimes, and the bounds of channels.
    fn mutate_call(&mut self, call: &syn::ExprCall, path: &syn::ExprPath) {
        let callee = Callee::of(path);
        let arguments: Vec<String> = call
            .args
            .iter()
            .map(|arg| self.text(arg).to_string())
            .collect();
        match (callee.name(), arguments.as_slice()) {
            ("fence", [_]) => self.weaken(&call.args[0], Use::Fence, "fence"),
            ("join", [a, b]) if self.is_rayon(&callee) => self.edit(
                call,
                format!("(({a})(), ({b})())"),
                "`rayon::join(a, b)` run in turn: `(a(), b())`".into(),
            ),
            ("scope", [_]) if self.is_rayon(&callee) => self.scope_in_turn(call),
            ("spawn", [work]) if callee.goes_through("thread") => self.edit(
                call,
                format!("{{ let output = ({work})(); std::thread::spawn(move || output) }}"),
                "`thread::spawn(work)` run inline, before the thread starts".into(),
            ),
            ("spawn", [work])
                if (callee.goes_through("tokio") || callee.goes_through("task"))
                    && self.async_depth > 0 =>
            {
                self.edit(
                    call,
                    format!(
                        "{{ let output = ({work}).await; tokio::spawn(async move {{ output }}) }}"
                    ),
                    "`tokio::spawn(future)` run inline: awaited before the task starts".into(),
                )
            }
            ("spawn_blocking", [work]) => self.edit(
                call,
                format!(
                    "{{ let output = ({work})(); tokio::task::spawn_blocking(move || output) }}"
                ),
                "`spawn_blocking(work)` run inline, on the runtime's thread".into(),
            ),
            ("park", []) if callee.goes_through("thread") || callee.is_bare() => self.edit(
                call,
                "std::thread::yield_now()".into(),
                "`thread::park()` replaced by a spin on `yield_now()`".into(),
            ),
            ("new_multi_thread", []) => self.edit(
                &path.path.segments.last().expect("a name").ident,
                "new_current_thread".into(),
                "a multi-thread runtime made single-threaded".into(),
            ),
            ("sync_channel", [_]) => self.widen(
                &call.args[0],
                "the bound of `sync_channel` widened by 64".into(),
            ),
            ("channel", [_]) if callee.goes_through("mpsc") || callee.goes_through("broadcast") => {
                self.widen(
                    &call.args[0],
                    "the bound of the channel widened by 64".into(),
                )
            }
            ("new", [_]) if callee.goes_through("Semaphore") => self.widen(
                &call.args[0],
                "the semaphore's permits widened by 64".into(),
            ),
            _ => {}
        }
    }

    /// Whether a call is rayon's function of that name: by its path, or as a bare name
    /// that the file imports from rayon (a bare `join` may be anything else).
    fn is_rayon(&self, callee: &Callee) -> bool {
        callee.goes_through("rayon")
            || (callee.is_bare() && self.rayon_imports.contains(callee.name()))
    }

    /// A call replaced by its receiver: the builder step or adapter it made is gone.
    fn leave_out_call(&mut self, call: &syn::ExprMethodCall, description: String) {
        let receiver = self.text(&*call.receiver).to_string();
        self.edit(call, receiver, description);
    }

    /// A bound (of a channel, a semaphore, a stream's buffer) widened so that it no longer
    /// holds anything back.
    fn widen(&mut self, bound: &syn::Expr, description: String) {
        let widened = format!("({}) + 64", self.text(bound));
        self.edit(bound, widened, description);
    }

    /// `.spawn(work)`: the work done inline before the spawn, which then only hands back
    /// its output, so nothing runs concurrently.
    fn spawn_inline(&mut self, call: &syn::ExprMethodCall) {
        let work = self.text(&call.args[0]).to_string();
        let inline = if self.async_depth > 0 {
            format!("{{ let output = ({work}).await; async move {{ output }} }}")
        } else {
            format!("{{ let output = ({work})(); move || output }}")
        };
        self.edit(
            &call.args[0],
            inline,
            "`.spawn(work)` run inline, before it is spawned".into(),
        );
    }

    /// `condvar.wait(guard)` as a 1 ms poll: waiting by time instead of being notified.
    fn wait_polled(&mut self, call: &syn::ExprMethodCall) {
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
    fn wait_while_polled(&mut self, call: &syn::ExprMethodCall) {
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
    fn recv_spun(&mut self, call: &syn::ExprMethodCall) {
        let receiver = self.text(&*call.receiver).to_string();
        self.edit(
            call,
            format!(
                "loop {{ match {receiver}.try_recv() {{ Err(std::sync::mpsc::TryRecvError::Empty) => std::thread::yield_now(), other => break other.map_err(|_| std::sync::mpsc::RecvError) }} }}"
            ),
            "`recv()` replaced by a spin on `try_recv()`".into(),
        );
    }

    /// `x.fetch_add(v, o)` as a separate load and store, which lose updates when threads
    /// interleave: `{ let previous = x.load(…); x.store(previous + v, …); previous }`.
    fn split_read_modify_write(&mut self, call: &syn::ExprMethodCall, method: &str) {
        let atomic = self.text(&*call.receiver).to_string();
        let value = self.text(&call.args[0]).to_string();
        let Some((load, store)) = split_ordering(self.text(&call.args[1])) else {
            return;
        };
        let stored = match method {
            "fetch_add" => format!("previous + ({value})"),
            "fetch_sub" => format!("previous - ({value})"),
            _ => value,
        };
        self.edit(
            call,
            format!("{{ let previous = {atomic}.load({load}); {atomic}.store({stored}, {store}); previous }}"),
            format!("`{method}` split into a separate load and store"),
        );
    }

    /// `x.compare_exchange(a, b, s, f)` as check-then-set: a load, then a store if it saw
    /// `a`, which two threads can both pass.
    fn check_then_set(&mut self, call: &syn::ExprMethodCall, method: &str) {
        let atomic = self.text(&*call.receiver).to_string();
        let (expected, new) = (
            self.text(&call.args[0]).to_string(),
            self.text(&call.args[1]).to_string(),
        );
        let Some((load, store)) = split_ordering(self.text(&call.args[2])) else {
            return;
        };
        self.edit(
            call,
            format!(
                "{{ let current = {atomic}.load({load}); if current == ({expected}) {{ {atomic}.store({new}, {store}); Ok(current) }} else {{ Err(current) }} }}"
            ),
            format!("`{method}` as check-then-set: a separate load and store"),
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

/// The names a file imports from rayon: `use rayon::{join, scope};`.
fn rayon_imports(file: &syn::File) -> BTreeSet<String> {
    fn names(tree: &syn::UseTree, under_rayon: bool, found: &mut BTreeSet<String>) {
        match tree {
            syn::UseTree::Path(path) => {
                names(&path.tree, under_rayon || path.ident == "rayon", found)
            }
            syn::UseTree::Name(name) if under_rayon => {
                found.insert(name.ident.to_string());
            }
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    names(item, under_rayon, found);
                }
            }
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    for item in &file.items {
        if let syn::Item::Use(item) = item {
            names(&item.tree, false, &mut found);
        }
    }
    found
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
    use super::*;

    fn names(source: &str) -> Vec<String> {
        mutants(source)
            .unwrap()
            .into_iter()
            .map(|mutant| mutant.name)
            .collect()
    }

    fn mutated(source: &str, name_contains: &str) -> String {
        mutants(source)
            .unwrap()
            .into_iter()
            .find(|mutant| mutant.name.contains(name_contains))
            .unwrap_or_else(|| {
                panic!(
                    "no mutant `{name_contains}` of\n{source}: {:?}",
                    names(source)
                )
            })
            .source
    }

    #[test]
    fn each_ordering_is_weakened_to_what_stays_valid_where_it_is_used() {
        let source = "fn f(a: &AtomicBool) {\n    a.load(Ordering::SeqCst);\n    a.store(true, Ordering::Release);\n    let _ = a.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire);\n    fence(Ordering::SeqCst);\n}\n";
        assert_eq!(
            names(source),
            [
                "line 2: `Ordering::SeqCst` → `Ordering::Acquire` (in `load`)",
                "line 3: `Ordering::Release` → `Ordering::Relaxed` (in `store`)",
                "line 4: `compare_exchange` as check-then-set: a separate load and store",
                "line 4: `Ordering::AcqRel` → `Ordering::Acquire` (in `compare_exchange`)",
                "line 4: `Ordering::AcqRel` → `Ordering::Release` (in `compare_exchange`)",
                "line 4: `Ordering::Acquire` → `Ordering::Relaxed` (in `compare_exchange`)",
                "line 5: `fence(…)` left out",
                "line 5: `Ordering::SeqCst` → `Ordering::AcqRel` (in `fence`)",
            ]
        );
        assert!(mutated(source, "(in `store`)").contains("a.store(true, Ordering::Relaxed);"));
    }

    #[test]
    fn comments_and_strings_are_never_mutants() {
        let source = "// a.load(Ordering::Acquire)\nfn f() -> &'static str { \"x.par_iter() Ordering::Release\" }\n";
        assert!(names(source).is_empty(), "{:?}", names(source));
    }

    #[test]
    fn parallel_work_is_made_sequential() {
        let source = "fn f(v: &[u32]) -> u32 {\n    let (a, b) = rayon::join(|| 1, || 2);\n    v.par_iter().sum::<u32>() + a + b\n}\n";
        assert!(mutated(source, "`par_iter` made sequential").contains("v.iter().sum::<u32>()"));
        assert!(mutated(source, "rayon::join").contains("let (a, b) = ((|| 1)(), (|| 2)());"));
        let scoped = "fn f() { rayon::scope(|s| { s.spawn(|_| work()); }); }";
        assert!(mutated(scoped, "run in turn").contains("(|_| work())(s);"));
    }

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

    #[test]
    fn atomic_read_modify_writes_are_split_into_a_load_and_a_store() {
        let source = "fn f(c: &AtomicUsize, l: &AtomicBool) {\n    c.fetch_add(1, Ordering::AcqRel);\n    let _ = l.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed);\n}\n";
        assert!(mutated(source, "`fetch_add` split").contains(
            "{ let previous = c.load(Ordering::Acquire); c.store(previous + (1), Ordering::Release); previous }"
        ));
        assert!(mutated(source, "check-then-set").contains(
            "let current = l.load(Ordering::Acquire); if current == (false) { l.store(true, Ordering::Relaxed); Ok(current) }"
        ));
    }

    #[test]
    fn threads_and_runtimes_lose_what_made_them_concurrent() {
        let source = "fn f() {\n    let hs: Vec<_> = jobs.into_iter().map(thread::spawn).collect();\n    thread::scope(|s| { s.spawn(|| work()); });\n    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).build();\n}\n";
        assert!(
            mutated(source, "`thread::spawn` run inline")
                .contains(".map(|work| { let output = work();")
        );
        assert!(
            mutated(source, "`.spawn(work)` run inline")
                .contains("s.spawn({ let output = (|| work())(); move || output });")
        );
        assert!(mutated(source, "single-threaded").contains("Builder::new_current_thread()"));
        assert!(
            mutated(source, "`.worker_threads(…)` left out").contains("new_multi_thread().build()")
        );
        let timed = "async fn f() { let r = tokio::time::timeout(d, work()).await; }";
        assert!(
            mutated(timed, "`timeout(…)` left out")
                .contains("Ok::<_, tokio::time::error::Elapsed>((work()).await)")
        );
    }
}
