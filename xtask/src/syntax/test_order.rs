//! The order in which a check file gives its tests: its source order, simplest first,
//! as the author wrote them. libtest lists tests alphabetically, so the runner puts
//! them back in this order before it runs them and before any verdict picks the first
//! that failed.

use std::collections::HashMap;

/// The tests of a check file (`#[test]`, `#[tokio::test]`, …), as libtest names them
/// (`models::two_threads` for a test in `mod models`), in source order. A file that does
/// not parse gives none.
pub fn tests_in_order(source: &str) -> Vec<String> {
    let Ok(file) = syn::parse_file(source) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    collect(&file.items, "", &mut names);
    names
}

fn collect(items: &[syn::Item], prefix: &str, names: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Fn(function) if is_test(&function.attrs) => {
                names.push(format!("{prefix}{}", function.sig.ident));
            }
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    collect(items, &format!("{prefix}{}::", module.ident), names);
                }
            }
            _ => {}
        }
    }
}

/// `#[test]`, or an attribute macro named `test` (`#[tokio::test(...)]`).
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "test")
    })
}

/// Sorts `listed` (libtest's names) into the order of `in_order`; a test the file does
/// not show (one a macro made) keeps its place among the others after them.
pub fn sort(listed: &mut [String], in_order: &[String]) {
    let position: HashMap<&str, usize> = in_order
        .iter()
        .enumerate()
        .map(|(index, name)| (name.as_str(), index))
        .collect();
    listed.sort_by_key(|name| position.get(name.as_str()).copied().unwrap_or(usize::MAX));
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECKS: &str = r#"
#[path = "../../exercises/01_a/x.rs"]
mod exercise;

#[test]
fn zeta_first() {}

fn helper() {}

#[tokio::test(start_paused = true)]
async fn alpha_second() {}

#[cfg(feature = "loom")]
mod models {
    #[test]
    fn model_third() {}
}
"#;

    #[test]
    fn tests_are_read_in_source_order_with_their_modules() {
        assert_eq!(
            tests_in_order(CHECKS),
            ["zeta_first", "alpha_second", "models::model_third"]
        );
    }

    #[test]
    fn libtests_alphabetical_list_is_put_back_in_source_order() {
        let mut listed: Vec<String> = ["alpha_second", "from_a_macro", "zeta_first"]
            .map(String::from)
            .to_vec();
        sort(&mut listed, &tests_in_order(CHECKS));
        assert_eq!(listed, ["zeta_first", "alpha_second", "from_a_macro"]);
    }

    #[test]
    fn a_file_that_does_not_parse_leaves_the_order_alone() {
        assert!(tests_in_order("fn (").is_empty());
        let mut listed = vec!["b".to_string(), "a".to_string()];
        sort(&mut listed, &[]);
        assert_eq!(listed, ["b", "a"]);
    }
}
