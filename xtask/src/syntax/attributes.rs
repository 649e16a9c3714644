//! The attributes an exercise may carry: a short list, each with the arguments it may
//! take. Anything else an attribute could do (name a file, export a symbol, add a test,
//! give a macro a path inside a string) the policy cannot judge, so it is refused; the
//! catalog's `allow` may add one attribute for one exercise (`"#[repr]"`).

use proc_macro2::{Delimiter, Spacing, TokenTree};

use super::policy::{LINKER, MACROS, MODULE, TESTS};

pub(super) const NOT_ALLOWED: &str = "only these attributes are allowed in an exercise: `derive` of std's traits, `allow`, `warn`, `expect`, `deny` and `forbid` of lints, `inline`, `must_use`, `track_caller`, `cold`, doc comments, and `tokio::main`.";
pub(super) const TOKIO_MAIN: &str = "here `tokio::main` takes only `flavor`, `worker_threads` and `start_paused`: `crate = \"…\"` names a path inside a string, where the kit cannot judge it.";
pub(super) const DOC: &str = "documentation must be written out (a doc comment, or `doc = \"…\"`): what a macro puts there, such as another file, cannot be judged.";

/// The names that allowed attributes start with. A file may not bind them (`use … as
/// derive`, `mod tokio`), so that each means here what it means everywhere.
pub(super) const ROOTS: [&str; 13] = [
    "derive",
    "allow",
    "warn",
    "expect",
    "deny",
    "forbid",
    "inline",
    "must_use",
    "track_caller",
    "cold",
    "doc",
    "default",
    "tokio",
];

/// std's derivable traits: their derives write only code of their own.
const DERIVABLE: [&str; 9] = [
    "Debug",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Default",
];

/// What `#[tokio::main(…)]` may set.
const TOKIO_MAIN_SETTINGS: [&str; 3] = ["flavor", "worker_threads", "start_paused"];

/// Judges an attribute's content (the tokens inside `#[…]`): `None` when it is allowed,
/// or what the file wrote and why it is refused. `allowed` is the catalog's allowance
/// for the exercise, where `"#[NAME]"` allows the attribute `NAME` with any arguments.
pub(super) fn judge(attribute: &[TokenTree], allowed: &[String]) -> Option<(String, &'static str)> {
    let (name, rest) = name_and_arguments(attribute);
    let shown = if name.is_empty() {
        "`#[…]`".to_string()
    } else {
        format!("`#[{name}]`")
    };
    if allowed.contains(&format!("#[{name}]")) {
        // Whatever the condition, each attribute `cfg_attr` may apply is judged too.
        if name == "cfg_attr" {
            let inner = parenthesized(rest).unwrap_or_default();
            return split_commas(&inner)
                .into_iter()
                .skip(1)
                .find_map(|part| judge(part, allowed));
        }
        return None;
    }
    let fits = match name.as_str() {
        "derive" => parenthesized(rest).is_some_and(|args| {
            split_commas(&args)
                .iter()
                .all(|part| matches!(part, [TokenTree::Ident(ident)] if DERIVABLE.contains(&ident.to_string().as_str())))
        }),
        "allow" | "warn" | "expect" | "deny" | "forbid" => parenthesized(rest).is_some_and(|args| lints(&args)),
        "inline" => {
            rest.is_empty()
                || parenthesized(rest).is_some_and(|args| {
                    matches!(args.as_slice(), [TokenTree::Ident(how)] if how == "always" || how == "never")
                })
        }
        "must_use" => rest.is_empty() || is_string_value(rest),
        // `default` is the helper of `derive(Default)` that marks an enum's default variant.
        "track_caller" | "cold" | "default" => rest.is_empty(),
        "doc" if is_string_value(rest) => true,
        "doc" => return Some((shown, DOC)),
        "tokio::main" => return tokio_main(rest),
        "unsafe" => {
            return match parenthesized(rest) {
                Some(inner) => judge(&inner, allowed),
                None => Some((shown, NOT_ALLOWED)),
            };
        }
        "macro_export" | "macro_use" => return Some((shown, MACROS)),
        "path" => return Some((shown, MODULE)),
        "test" | "bench" | "should_panic" | "ignore" | "tokio::test" | "test_case" => {
            return Some((shown, TESTS));
        }
        "no_mangle" | "export_name" | "link_section" | "link" | "link_name" | "used"
        | "global_allocator" | "naked" => return Some((shown, LINKER)),
        _ => false,
    };
    (!fits).then_some((shown, NOT_ALLOWED))
}

/// The attribute's name (`tokio::main`) and the tokens after it.
fn name_and_arguments(attribute: &[TokenTree]) -> (String, &[TokenTree]) {
    let mut name = Vec::new();
    let mut index = 0;
    while let Some(TokenTree::Ident(ident)) = attribute.get(index) {
        name.push(unraw(&ident.to_string()));
        let separated = matches!(attribute.get(index + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
            && is_punct(attribute.get(index + 2), ':');
        if !separated {
            index += 1;
            break;
        }
        index += 3;
    }
    (name.join("::"), &attribute[index.min(attribute.len())..])
}

/// `(flavor = "current_thread", start_paused = true)`, each setting from the short list.
fn tokio_main(rest: &[TokenTree]) -> Option<(String, &'static str)> {
    if rest.is_empty() {
        return None;
    }
    let Some(arguments) = parenthesized(rest) else {
        return Some(("`#[tokio::main …]`".into(), TOKIO_MAIN));
    };
    split_commas(&arguments).into_iter().find_map(|setting| {
        let known = match setting {
            [TokenTree::Ident(key), TokenTree::Punct(eq), value] => {
                eq.as_char() == '='
                    && TOKIO_MAIN_SETTINGS.contains(&key.to_string().as_str())
                    && match value {
                        TokenTree::Literal(_) => true,
                        TokenTree::Ident(flag) => flag == "true" || flag == "false",
                        _ => false,
                    }
            }
            _ => false,
        };
        let key = match setting.first() {
            Some(TokenTree::Ident(key)) => key.to_string(),
            _ => "…".into(),
        };
        (!known).then(|| (format!("`#[tokio::main({key} = …)]`"), TOKIO_MAIN))
    })
}

/// Lint names (`dead_code`, `clippy::manual_async_fn`) and a `reason = "…"`: no macro
/// call or group among them.
fn lints(arguments: &[TokenTree]) -> bool {
    arguments.iter().all(|token| match token {
        TokenTree::Ident(_) | TokenTree::Literal(_) => true,
        TokenTree::Punct(p) => matches!(p.as_char(), ':' | ',' | '='),
        TokenTree::Group(_) => false,
    })
}

/// `= "text"`: a plain string, as a doc comment becomes.
fn is_string_value(rest: &[TokenTree]) -> bool {
    matches!(rest, [TokenTree::Punct(eq), TokenTree::Literal(text)]
    if eq.as_char() == '=' && {
        let text = text.to_string();
        text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#")
    })
}

/// The tokens inside `(…)`, when `rest` is exactly that.
fn parenthesized(rest: &[TokenTree]) -> Option<Vec<TokenTree>> {
    match rest {
        [TokenTree::Group(group)] if group.delimiter() == Delimiter::Parenthesis => {
            Some(group.stream().into_iter().collect())
        }
        _ => None,
    }
}

/// The tokens between commas at the top level of `tokens`.
fn split_commas(tokens: &[TokenTree]) -> Vec<&[TokenTree]> {
    tokens
        .split(|token| matches!(token, TokenTree::Punct(p) if p.as_char() == ','))
        .filter(|part| !part.is_empty())
        .collect()
}

fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn unraw(name: &str) -> String {
    name.strip_prefix("r#").unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(attribute: &str, allowed: &[&str]) -> Option<(String, &'static str)> {
        let tokens: Vec<TokenTree> = attribute
            .parse::<proc_macro2::TokenStream>()
            .unwrap()
            .into_iter()
            .collect();
        let allowed: Vec<String> = allowed.iter().map(|item| item.to_string()).collect();
        judge(&tokens, &allowed)
    }

    #[track_caller]
    fn allowed(attribute: &str) {
        assert_eq!(verdict(attribute, &[]), None, "#[{attribute}]");
    }

    #[track_caller]
    fn refused(attribute: &str, what: &str, why: &'static str) {
        assert_eq!(
            verdict(attribute, &[]),
            Some((what.to_string(), why)),
            "#[{attribute}]"
        );
    }

    #[test]
    fn the_short_list_is_allowed_with_the_arguments_it_takes() {
        for attribute in [
            "derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)",
            "allow(clippy::manual_async_fn)",
            "expect(dead_code, reason = \"kept for the next exercise\")",
            "warn(unused)",
            "deny(unsafe_op_in_unsafe_fn)",
            "forbid(unsafe_code)",
            "inline",
            "inline(always)",
            "must_use",
            "must_use = \"the handle must be joined\"",
            "track_caller",
            "cold",
            "default",
            "doc = \" A doc comment.\"",
            "doc = r\"raw\"",
            "tokio::main",
            "tokio::main(flavor = \"current_thread\", start_paused = true)",
            "tokio::main(flavor = \"multi_thread\", worker_threads = 2)",
        ] {
            allowed(attribute);
        }
    }

    #[test]
    fn what_the_policy_cannot_judge_is_refused() {
        refused("cfg(test)", "`#[cfg]`", NOT_ALLOWED);
        refused(
            "cfg_attr(all(), path = \"x.rs\")",
            "`#[cfg_attr]`",
            NOT_ALLOWED,
        );
        refused("repr(C)", "`#[repr]`", NOT_ALLOWED);
        refused(
            "no_implicit_prelude",
            "`#[no_implicit_prelude]`",
            NOT_ALLOWED,
        );
        refused("rustfmt::skip", "`#[rustfmt::skip]`", NOT_ALLOWED);
        refused("derive(Serialize)", "`#[derive]`", NOT_ALLOWED);
        refused("derive(std::fmt::Debug)", "`#[derive]`", NOT_ALLOWED);
        refused("allow(x = concat!(\"a\"))", "`#[allow]`", NOT_ALLOWED);
        refused("inline(sometimes)", "`#[inline]`", NOT_ALLOWED);
        refused(
            "doc = include_str!(\"../../solutions/x.rs\")",
            "`#[doc]`",
            DOC,
        );
        refused("doc(hidden)", "`#[doc]`", DOC);
        refused(
            "tokio::main(crate = \"tokio\")",
            "`#[tokio::main(crate = …)]`",
            TOKIO_MAIN,
        );
        refused(
            "tokio::main(flavor = \"current_thread\", crate = \"my::rt\")",
            "`#[tokio::main(crate = …)]`",
            TOKIO_MAIN,
        );
        refused("::tokio::main", "`#[…]`", NOT_ALLOWED);
    }

    #[test]
    fn known_dangers_get_their_own_reason() {
        refused(
            "path = \"../../solutions/01_article/spawn_join.rs\"",
            "`#[path]`",
            MODULE,
        );
        refused("macro_export", "`#[macro_export]`", MACROS);
        refused("test", "`#[test]`", TESTS);
        refused("tokio::test", "`#[tokio::test]`", TESTS);
        refused("unsafe(no_mangle)", "`#[no_mangle]`", LINKER);
        refused("unsafe(export_name = \"main\")", "`#[export_name]`", LINKER);
        refused("global_allocator", "`#[global_allocator]`", LINKER);
    }

    #[test]
    fn the_catalog_may_allow_one_attribute() {
        assert_eq!(verdict("repr(align(64))", &["#[repr]"]), None);
        assert_eq!(verdict("cfg_attr(all(), inline)", &["#[cfg_attr]"]), None);
        // What `cfg_attr` would apply is judged all the same.
        assert_eq!(
            verdict("cfg_attr(all(), path = \"x.rs\")", &["#[cfg_attr]"]),
            Some(("`#[path]`".to_string(), MODULE))
        );
    }
}
