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
//!
//! One file per kind of operator: `atomics.rs` (orderings, read-modify-writes),
//! `parallel.rs` (threads, rayon, runtimes), `asynchronous.rs` (futures awaited in
//! turn, blocking in async code), `waits.rs` (waits, bounds, what is left out); this
//! one finds the nodes and chooses the operator for each.

mod asynchronous;
mod atomics;
mod parallel;
mod waits;

use std::collections::BTreeSet;
use std::ops::Range;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use atomics::Use;
use parallel::{SEQUENTIAL, rayon_imports};

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
pub fn mutants(source: &str) -> anyhow::Result<Vec<Mutant>> {
    let file = syn::parse_file(source).map_err(|err| {
        anyhow::anyhow!("cannot parse it (line {}): {err}", err.span().start().line)
    })?;
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

pub(super) struct Finder<'a> {
    pub(super) source: &'a str,
    edits: Vec<Edit>,
    /// Inside an `async` block or function: where `.await` is allowed.
    pub(super) async_depth: usize,
    /// Names imported from rayon (`join`, `scope`), so that a bare `join(…)` is known.
    pub(super) rayon_imports: BTreeSet<String>,
    /// Nodes another operator owns (the byte ranges of rayon's `scope.spawn` calls and
    /// of awaited `recv()` calls), which the generic operators leave alone.
    pub(super) owned: BTreeSet<(usize, usize)>,
}

impl Finder<'_> {
    pub(super) fn text(&self, node: &impl Spanned) -> &str {
        &self.source[node.span().byte_range()]
    }

    pub(super) fn edit(&mut self, node: &impl Spanned, replacement: String, description: String) {
        let span = node.span();
        self.edits.push(Edit {
            range: span.byte_range(),
            replacement,
            line: span.start().line,
            description,
        });
    }
}

pub(super) fn key(span: Span) -> (usize, usize) {
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
        self.await_in_turn(awaited);
        visit::visit_expr_await(self, awaited);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.macro_in_turn(mac);
        visit::visit_macro(self, mac);
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        self.leave_out_statement(stmt);
        visit::visit_stmt(self, stmt);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        self.drop_bounds_of_unsafe_impl(item);
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
}

#[cfg(test)]
mod tests {
    //! The operators' tests, each beside its kind; here, what they share.

    use super::*;

    pub(super) fn names(source: &str) -> Vec<String> {
        mutants(source)
            .unwrap()
            .into_iter()
            .map(|mutant| mutant.name)
            .collect()
    }

    pub(super) fn mutated(source: &str, name_contains: &str) -> String {
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
    fn comments_and_strings_are_never_mutants() {
        let source = "// a.load(Ordering::Acquire)\nfn f() -> &'static str { \"x.par_iter() Ordering::Release\" }\n";
        assert!(names(source).is_empty(), "{:?}", names(source));
    }
}
