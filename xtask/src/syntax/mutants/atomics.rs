//! Operators on atomics: an ordering weakened to what stays valid where it is used, a
//! read-modify-write split into a load and a store, a compare-exchange made
//! check-then-set.

use super::Finder;

/// Where an ordering is used, which decides what it may be weakened to and stay valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Use {
    Load,
    Store,
    ReadModifyWrite,
    /// The ordering of a compare-exchange that fails: a load.
    Failure,
    Fence,
    Unknown,
}

impl Use {
    pub(super) fn of_argument(method: &str, index: usize) -> Use {
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

impl Finder<'_> {
    /// Weakens an ordering argument (`Ordering::Acquire` and the like).
    pub(super) fn weaken(&mut self, argument: &syn::Expr, used: Use, context: &str) {
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

    /// `x.fetch_add(v, o)` as a separate load and store, which lose updates when threads
    /// interleave: `{ let previous = x.load(…); x.store(previous + v, …); previous }`.
    pub(super) fn split_read_modify_write(&mut self, call: &syn::ExprMethodCall, method: &str) {
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
    pub(super) fn check_then_set(&mut self, call: &syn::ExprMethodCall, method: &str) {
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

#[cfg(test)]
mod tests {
    use super::super::tests::{mutated, names};

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
    fn atomic_read_modify_writes_are_split_into_a_load_and_a_store() {
        let source = "fn f(c: &AtomicUsize, l: &AtomicBool) {\n    c.fetch_add(1, Ordering::AcqRel);\n    let _ = l.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed);\n}\n";
        assert!(mutated(source, "`fetch_add` split").contains(
            "{ let previous = c.load(Ordering::Acquire); c.store(previous + (1), Ordering::Release); previous }"
        ));
        assert!(mutated(source, "check-then-set").contains(
            "let current = l.load(Ordering::Acquire); if current == (false) { l.store(true, Ordering::Relaxed); Ok(current) }"
        ));
    }
}
