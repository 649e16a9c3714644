//! The public face of an exercise file: every item the checks can reach (whatever is
//! not private: the checks include the file as a module of their own crate), each with
//! the shape that matters to a caller, read with syn. `verify` compares a shipped
//! exercise with its solution, so that a student is never asked for a function, a
//! method or an argument that only the solution has.
//!
//! What counts of an item: a function's signature; a struct's generics, derives and
//! public fields (its private fields are the student's to choose); an enum's derives
//! and variants; a trait's items; a constant's or static's type; an inherent method's
//! signature; and that a trait impl exists (its bounds are often the exercise itself,
//! as in an `unsafe impl Sync`).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{
    Attribute, Fields, FnArg, ImplItem, Item, ReceiverKind, Signature, TraitItem, Type, Visibility,
};

/// A file's public items: a name such as `fn run`, `Bank::audit`, `struct Bank`,
/// `impl Drop for Guard`, with its shape.
pub type Api = BTreeMap<String, Shape>;

/// What of an item counts, as tidied tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// What is compared: for a function, its signature without the names and `mut` of
    /// its parameters, which no caller sees.
    compared: String,
    /// What a message shows: the item as written.
    pub shown: String,
}

impl Shape {
    fn plain(text: String) -> Shape {
        Shape {
            compared: text.clone(),
            shown: text,
        }
    }
}

/// How a shipped exercise's public items differ from its solution's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The solution has it; the exercise does not.
    Missing { item: String, solution: String },
    /// The exercise has it; the solution does not.
    Extra { item: String, exercise: String },
    /// Both have it, with different shapes.
    Changed {
        item: String,
        exercise: String,
        solution: String,
    },
}

impl Difference {
    /// The item the difference is about, as `public_api` names it.
    pub fn item(&self) -> &str {
        match self {
            Difference::Missing { item, .. }
            | Difference::Extra { item, .. }
            | Difference::Changed { item, .. } => item,
        }
    }
}

/// The public items of `source`, which must parse as a Rust file.
pub fn public_api(source: &str) -> anyhow::Result<Api> {
    let file = syn::parse_file(source).map_err(|err| {
        anyhow::anyhow!("cannot parse it (line {}): {err}", err.span().start().line)
    })?;
    let mut api = Api::new();
    collect(&file.items, "", &mut api);
    proc_macro2::extra::invalidate_current_thread_spans();
    Ok(api)
}

/// Where the exercise's public items differ from the solution's, in the order of their
/// names.
pub fn differences(exercise: &Api, solution: &Api) -> Vec<Difference> {
    let mut found = Vec::new();
    for (item, shape) in solution {
        match exercise.get(item) {
            None => found.push(Difference::Missing {
                item: item.clone(),
                solution: shape.shown.clone(),
            }),
            Some(theirs) if theirs.compared != shape.compared => found.push(Difference::Changed {
                item: item.clone(),
                exercise: theirs.shown.clone(),
                solution: shape.shown.clone(),
            }),
            Some(_) => {}
        }
    }
    for (item, shape) in exercise {
        if !solution.contains_key(item) {
            found.push(Difference::Extra {
                item: item.clone(),
                exercise: shape.shown.clone(),
            });
        }
    }
    found.sort_by(|a, b| a.item().cmp(b.item()));
    found
}

/// The public items among `items`, named after the module `prefix` they are in.
fn collect(items: &[Item], prefix: &str, api: &mut Api) {
    let public_types = public_types(items);
    for item in items {
        let (key, shape) = match item {
            Item::Fn(function) if visible(&function.vis) => (
                keyed(
                    &function.attrs,
                    format!("fn {prefix}{}", function.sig.ident),
                ),
                signature(&function.vis, &function.sig),
            ),
            Item::Struct(data) if visible(&data.vis) => (
                keyed(&data.attrs, format!("struct {prefix}{}", data.ident)),
                Shape::plain(struct_shape(data)),
            ),
            Item::Enum(data) if visible(&data.vis) => (
                keyed(&data.attrs, format!("enum {prefix}{}", data.ident)),
                Shape::plain(enum_shape(data)),
            ),
            Item::Trait(data) if visible(&data.vis) => (
                keyed(&data.attrs, format!("trait {prefix}{}", data.ident)),
                Shape::plain(trait_shape(data)),
            ),
            Item::Const(data) if visible(&data.vis) => (
                keyed(&data.attrs, format!("const {prefix}{}", data.ident)),
                Shape::plain(shape([&data.vis as &dyn ToTokens, &data.ty])),
            ),
            Item::Static(data) if visible(&data.vis) => (
                keyed(&data.attrs, format!("static {prefix}{}", data.ident)),
                Shape::plain(shape([
                    &data.vis as &dyn ToTokens,
                    &data.mutability,
                    &data.ty,
                ])),
            ),
            Item::Type(data) if visible(&data.vis) => (
                keyed(&data.attrs, format!("type {prefix}{}", data.ident)),
                Shape::plain(shape([
                    &data.vis as &dyn ToTokens,
                    &data.generics,
                    &data.ty,
                ])),
            ),
            Item::Use(data) if visible(&data.vis) => {
                let tree = shape([&data.tree as &dyn ToTokens]);
                (
                    keyed(&data.attrs, format!("use {prefix}{tree}")),
                    Shape::plain(tree),
                )
            }
            Item::Mod(module) if visible(&module.vis) => {
                if let Some((_, items)) = &module.content {
                    collect(items, &format!("{prefix}{}::", module.ident), api);
                }
                continue;
            }
            Item::Impl(block) => {
                collect_impl(block, prefix, &public_types, api);
                continue;
            }
            _ => continue,
        };
        api.insert(key, shape);
    }
}

/// The names of the structs, enums and unions among `items` that are not private.
fn public_types(items: &[Item]) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(data) if visible(&data.vis) => Some(data.ident.to_string()),
            Item::Enum(data) if visible(&data.vis) => Some(data.ident.to_string()),
            Item::Union(data) if visible(&data.vis) => Some(data.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// Traits whose impls are the exercise itself: whether a type may be sent or shared
/// between threads is what the student decides (and compile-fail cases check), so the
/// shipped file may lack them, or have a wrong one to take out.
const DECIDED_BY_THE_STUDENT: [&str; 2] = ["Send", "Sync"];

/// An impl's visible part: that a trait impl for a public type exists, or an inherent
/// impl's methods, constants and types that are not private.
fn collect_impl(
    block: &syn::ItemImpl,
    prefix: &str,
    public_types: &BTreeSet<String>,
    api: &mut Api,
) {
    let owner = type_name(&block.self_ty);
    if let Some((path, _)) = &block.trait_ {
        let decided = path.segments.last().is_some_and(|segment| {
            DECIDED_BY_THE_STUDENT.contains(&segment.ident.to_string().as_str())
        });
        if public_types.contains(&owner) && !decided {
            let key = keyed(
                &block.attrs,
                format!(
                    "impl {} for {prefix}{owner}",
                    shape([path as &dyn ToTokens])
                ),
            );
            api.insert(key, Shape::plain(String::new()));
        }
        return;
    }
    for item in &block.items {
        let (key, shape) = match item {
            ImplItem::Fn(method) if visible(&method.vis) => (
                keyed(
                    &method.attrs,
                    format!("{prefix}{owner}::{}", method.sig.ident),
                ),
                signature(&method.vis, &method.sig),
            ),
            ImplItem::Const(constant) if visible(&constant.vis) => (
                keyed(
                    &constant.attrs,
                    format!("{prefix}{owner}::{}", constant.ident),
                ),
                Shape::plain(shape([&constant.vis as &dyn ToTokens, &constant.ty])),
            ),
            ImplItem::Type(alias) if visible(&alias.vis) => (
                keyed(&alias.attrs, format!("{prefix}{owner}::{}", alias.ident)),
                Shape::plain(shape([&alias.vis as &dyn ToTokens, &alias.ty])),
            ),
            _ => continue,
        };
        api.insert(key, shape);
    }
}

/// A function's signature as its callers see it: the parameters' types, not their names
/// or `mut`.
fn signature(vis: &Visibility, sig: &Signature) -> Shape {
    let head = shape([
        vis as &dyn ToTokens,
        &sig.constness,
        &sig.asyncness,
        &sig.safety,
        &sig.abi,
        &sig.fn_token,
        &sig.ident,
        &sig.generics,
    ]);
    let parameters: Vec<String> = sig
        .inputs
        .iter()
        .map(|input| match input {
            FnArg::Receiver(receiver) => match &receiver.kind {
                // `mut self` binds the value mutably: the caller's side is `self`.
                ReceiverKind::Value => "self".to_string(),
                ReceiverKind::Typed(_, ty) => format!("self: {}", shape([&**ty as &dyn ToTokens])),
                _ => shape([receiver as &dyn ToTokens]),
            },
            FnArg::Typed(typed) => shape([&*typed.ty as &dyn ToTokens]),
        })
        .collect();
    let tail = shape([&sig.output as &dyn ToTokens, &sig.generics.where_clause]);
    Shape {
        compared: format!("{head}({}) {tail}", parameters.join(", ")),
        shown: shape([vis as &dyn ToTokens, sig]),
    }
}

fn enum_shape(data: &syn::ItemEnum) -> String {
    let mut parts = derives(&data.attrs);
    parts.push(shape([&data.vis as &dyn ToTokens, &data.generics]));
    for variant in &data.variants {
        let fields = shape([&variant.fields as &dyn ToTokens]);
        parts.push(format!("{}{fields}", variant.ident));
    }
    parts.join(" | ")
}

fn struct_shape(data: &syn::ItemStruct) -> String {
    let mut parts = derives(&data.attrs);
    parts.push(shape([&data.vis as &dyn ToTokens, &data.generics]));
    let fields: Vec<String> = match &data.fields {
        Fields::Named(named) => named
            .named
            .iter()
            .filter(|field| visible(&field.vis))
            .map(|field| {
                shape([
                    &field.vis as &dyn ToTokens,
                    &field.ident,
                    &field.colon_token,
                    &field.ty,
                ])
            })
            .collect(),
        Fields::Unnamed(unnamed) => unnamed
            .unnamed
            .iter()
            .enumerate()
            .filter(|(_, field)| visible(&field.vis))
            .map(|(index, field)| format!("{index}: {}", shape([&field.ty as &dyn ToTokens])))
            .collect(),
        Fields::Unit => Vec::new(),
    };
    parts.extend(fields);
    parts.join(" | ")
}

fn trait_shape(data: &syn::ItemTrait) -> String {
    let mut parts = vec![shape([
        &data.vis as &dyn ToTokens,
        &data.unsafety,
        &data.generics,
        &data.supertraits,
    ])];
    for item in &data.items {
        parts.push(match item {
            TraitItem::Fn(method) => shape([&method.sig as &dyn ToTokens]),
            TraitItem::Const(constant) => shape([&constant.ident as &dyn ToTokens, &constant.ty]),
            TraitItem::Type(alias) => shape([&alias.ident as &dyn ToTokens, &alias.bounds]),
            other => shape([other as &dyn ToTokens]),
        });
    }
    parts.join(" | ")
}

/// Whether the checks' crate can reach an item of this visibility: anything but
/// private (`pub(crate)` and `pub(super)` reach it too).
fn visible(vis: &Visibility) -> bool {
    match vis {
        Visibility::Public(_) => true,
        Visibility::Restricted(restricted) => !restricted.path.is_ident("self"),
        Visibility::Inherited => false,
    }
}

/// The item's name, with the `#[cfg(…)]` it is under, if any: an item can have one
/// version per configuration.
fn keyed(attrs: &[Attribute], name: String) -> String {
    let cfgs: Vec<String> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .map(|attr| shape([attr as &dyn ToTokens]))
        .collect();
    if cfgs.is_empty() {
        name
    } else {
        format!("{name} {}", cfgs.join(" "))
    }
}

/// `#[derive(…)]` attributes, which the checks rely on (`assert_eq!` needs `Debug`).
fn derives(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .map(|attr| shape([attr as &dyn ToTokens]))
        .collect()
}

/// The name of an impl's type without its generic arguments: `SpinLock<T>` → `SpinLock`.
fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .unwrap_or_default(),
        other => shape([other as &dyn ToTokens]),
    }
}

/// Nodes as one line of Rust, spaced as people write it.
fn shape<const N: usize>(nodes: [&dyn ToTokens; N]) -> String {
    let mut tokens = TokenStream::new();
    for node in nodes {
        node.to_tokens(&mut tokens);
    }
    tidy(&tokens.to_string())
}

/// proc-macro2 prints a space between every two tokens: `Vec < B >`. Fewer spaces
/// read better in a message, and the comparison is unaffected (both sides are tidied).
fn tidy(text: &str) -> String {
    const JOINS: [(&str, &str); 14] = [
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" ,", ","),
        (" ;", ";"),
        (" :", ":"),
        ("( ", "("),
        (" )", ")"),
        (" (", "("),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        ("& ", "&"),
        ("# [", "#["),
    ];
    let mut tidied = text.to_string();
    for (from, to) in JOINS {
        tidied = tidied.replace(from, to);
    }
    tidied
        .replace("[ ", "[")
        .replace(" ]", "]")
        .replace(",)", ")")
}

#[cfg(test)]
mod tests {
    use super::{Difference, differences, public_api};

    fn api_differences(exercise: &str, solution: &str) -> Vec<Difference> {
        differences(
            &public_api(exercise).unwrap(),
            &public_api(solution).unwrap(),
        )
    }

    #[test]
    fn bodies_private_items_and_private_fields_do_not_count() {
        let exercise = "
            /// Docs of the exercise.
            pub struct Bank { accounts: Vec<u64> }
            impl Bank {
                pub fn total(&self) -> u64 { todo!() }
                fn helper(&self) {}
            }
            pub fn run(jobs: Vec<u32>) -> u32 { todo!(\"run them\") }";
        let solution = "
            use std::sync::Mutex;
            /// The solution's own words.
            pub struct Bank { accounts: Vec<Mutex<u64>>, audits: usize }
            impl Bank {
                pub fn total(&self)->u64 { self.accounts.len() as u64 }
                fn lock(&self) {}
            }
            fn other() {}
            pub fn run(jobs: Vec<u32>) -> u32 { jobs.into_iter().sum() }";
        assert_eq!(api_differences(exercise, solution), Vec::new());
    }

    #[test]
    fn an_argument_only_the_solution_has_is_a_changed_signature() {
        let exercise = "pub fn run_pipeline<A>(lines: Vec<String>, parse: impl Fn(&str) -> A) -> Vec<A> { todo!() }";
        let solution = "pub fn run_pipeline<A>(lines: Vec<String>, parse: impl Fn(&str) -> A, mut deliver: impl FnMut(A)) { }";
        let found = api_differences(exercise, solution);
        assert_eq!(found.len(), 1, "{found:?}");
        let Difference::Changed {
            item,
            exercise,
            solution,
        } = &found[0]
        else {
            panic!("expected a changed signature, found {found:?}");
        };
        assert_eq!(item, "fn run_pipeline");
        assert_eq!(
            exercise,
            "pub fn run_pipeline<A>(lines: Vec<String>, parse: impl Fn(&str) -> A) -> Vec<A>"
        );
        assert!(
            solution.contains("mut deliver: impl FnMut(A)"),
            "{solution}"
        );
    }

    #[test]
    fn a_method_only_the_solution_has_is_missing() {
        let exercise = "pub struct Bank; impl Bank { pub fn balance(&self) -> u64 { 0 } }";
        let solution = "pub struct Bank; impl Bank {
            pub fn balance(&self) -> u64 { 0 }
            pub fn audit<R>(&self, account: usize, inspect: impl FnOnce(u64) -> R) -> R { inspect(0) }
        }";
        let found = api_differences(exercise, solution);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            matches!(&found[0], Difference::Missing { item, .. } if item == "Bank::audit"),
            "{found:?}"
        );
        // And the other way round: a public helper the solution dropped.
        let found = api_differences(solution, exercise);
        assert!(
            matches!(&found[..], [Difference::Extra { item, .. }] if item == "Bank::audit"),
            "{found:?}"
        );
    }

    #[test]
    fn public_fields_derives_variants_and_trait_impls_count() {
        let exercise = "
            #[derive(Debug)] pub enum Error { Full }
            pub struct Point { pub x: u32 }
            pub struct Guard<T>(T);";
        let solution = "
            #[derive(Debug, PartialEq)] pub enum Error { Full, Closed }
            pub struct Point { pub x: u64 }
            pub struct Guard<T>(T);
            impl<T> Drop for Guard<T> { fn drop(&mut self) {} }";
        let items: Vec<String> = api_differences(exercise, solution)
            .iter()
            .map(|difference| difference.item().to_string())
            .collect();
        assert_eq!(
            items,
            ["enum Error", "impl Drop for Guard", "struct Point"],
            "the derive and the variant, the trait impl, the field's type"
        );
    }

    #[test]
    fn parameter_names_send_sync_and_private_types_do_not_count() {
        let exercise = "
            pub fn spawn<F: FnMut()>(capacity: usize, consume: F) {}
            pub struct Lock<T>(T);
            unsafe impl<T> Sync for Lock<T> {}
            impl Lock<u8> { pub fn take(self) {} }";
        let solution = "
            pub fn spawn<F: FnMut()>(limit: usize, mut consume: F) {}
            pub struct Lock<T>(T);
            unsafe impl<T: Send> Send for Lock<T> {}
            impl Lock<u8> { pub fn take(mut self) {} }
            struct Connection;
            impl Drop for Connection { fn drop(&mut self) {} }";
        assert_eq!(api_differences(exercise, solution), Vec::new());
        // The receiver's kind does count.
        let by_reference = "pub struct Lock; impl Lock { pub fn take(&self) {} }";
        let by_value = "pub struct Lock; impl Lock { pub fn take(self) {} }";
        assert_eq!(api_differences(by_reference, by_value).len(), 1);
    }

    #[test]
    fn restricted_visibility_and_cfg_versions_count() {
        let exercise = "pub(crate) fn helper() {} #[cfg(feature = \"loom\")] pub fn model() {}";
        let solution =
            "pub(crate) fn helper() {} #[cfg(not(feature = \"loom\"))] pub fn model() {}";
        let items: Vec<String> = api_differences(exercise, solution)
            .iter()
            .map(|difference| difference.item().to_string())
            .collect();
        assert_eq!(
            items,
            [
                "fn model #[cfg(feature = \"loom\")]",
                "fn model #[cfg(not(feature = \"loom\"))]"
            ]
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_an_error_with_its_line() {
        let err = public_api("pub fn f() {\n  let x = ;\n}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
    }
}
