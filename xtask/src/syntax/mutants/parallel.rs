//! Operators on threads, rayon and runtimes: parallel adapters made sequential, work
//! spawned and then run inline, rayon's `join` and `scope` run in turn, a multi-thread
//! runtime made single-threaded.

use std::collections::BTreeSet;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use super::{Callee, Finder, key};

/// rayon's parallel adapters and what they are when sequential.
pub(super) const SEQUENTIAL: [(&str, &str); 12] = [
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
    /// `s.spawn(f)` inside `rayon::scope(|s| …)`, run in turn: `(f)(s)`.
    pub(super) fn scope_in_turn(&mut self, call: &syn::ExprCall) {
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

    /// Whether a call is rayon's function of that name: by its path, or as a bare name
    /// that the file imports from rayon (a bare `join` may be anything else).
    pub(super) fn is_rayon(&self, callee: &Callee) -> bool {
        callee.goes_through("rayon")
            || (callee.is_bare() && self.rayon_imports.contains(callee.name()))
    }

    /// A call replaced by its receiver: the builder step or adapter it made is gone.
    pub(super) fn leave_out_call(&mut self, call: &syn::ExprMethodCall, description: String) {
        let receiver = self.text(&*call.receiver).to_string();
        self.edit(call, receiver, description);
    }

    /// `.spawn(work)`: the work done inline before the spawn, which then only hands back
    /// its output, so nothing runs concurrently.
    pub(super) fn spawn_inline(&mut self, call: &syn::ExprMethodCall) {
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

/// The names a file imports from rayon: `use rayon::{join, scope};`.
pub(super) fn rayon_imports(file: &syn::File) -> BTreeSet<String> {
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

#[cfg(test)]
mod tests {
    use super::super::tests::mutated;

    #[test]
    fn parallel_work_is_made_sequential() {
        let source = "fn f(v: &[u32]) -> u32 {\n    let (a, b) = rayon::join(|| 1, || 2);\n    v.par_iter().sum::<u32>() + a + b\n}\n";
        assert!(mutated(source, "`par_iter` made sequential").contains("v.iter().sum::<u32>()"));
        assert!(mutated(source, "rayon::join").contains("let (a, b) = ((|| 1)(), (|| 2)());"));
        let scoped = "fn f() { rayon::scope(|s| { s.spawn(|_| work()); }); }";
        assert!(mutated(scoped, "run in turn").contains("(|_| work())(s);"));
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
