//! A test left out of a plain `cargo test` still runs: every `#[ignore]` says why, and
//! is one that `.ci/run` runs.

use std::path::Path;

use syn::spanned::Spanned;
use syn::visit::Visit;

use super::{collect, runner_sources};

/// The integration tests `.ci/run` runs that a plain `cargo test` leaves out.
const CI_RUNS_THE_IGNORED: &str = "cargo test --package xtask --test it -- --ignored";

/// Each `#[ignore]` in `source`: its `file:line`, and its reason (empty if none).
fn ignores(file: &str, source: &str) -> Vec<(String, String)> {
    struct Ignores<'a> {
        file: &'a str,
        found: Vec<(String, String)>,
    }
    impl Visit<'_> for Ignores<'_> {
        fn visit_attribute(&mut self, attribute: &syn::Attribute) {
            if !attribute.path().is_ident("ignore") {
                return;
            }
            let reason = match &attribute.meta {
                syn::Meta::NameValue(syn::MetaNameValue {
                    value:
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(reason),
                            ..
                        }),
                    ..
                }) => reason.value(),
                _ => String::new(),
            };
            let line = attribute.span().start().line;
            self.found.push((format!("{}:{line}", self.file), reason));
        }
    }
    let syntax = syn::parse_file(source).unwrap_or_else(|err| panic!("{file}: {err}"));
    let mut ignores = Ignores {
        file,
        found: Vec::new(),
    };
    ignores.visit_file(&syntax);
    ignores.found
}

/// The ignored tests that no run of `.ci/run` would run: an integration test's whose
/// reason does not name `.ci/run`, and any of the runner's unit tests (`.ci/run` runs
/// the ignored tests of the integration binary only).
fn ignored_but_never_run(
    integration: &[(String, String)],
    unit: &[(String, String)],
) -> Vec<String> {
    let integration = integration
        .iter()
        .flat_map(|(file, source)| ignores(file, source))
        .filter(|(_, reason)| !reason.contains(".ci/run"));
    let unit = unit.iter().flat_map(|(file, source)| ignores(file, source));
    integration.chain(unit).map(|(at, _)| at).collect()
}

#[test]
fn every_ignored_test_says_why_and_ci_runs_it() {
    let ci =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/run")).unwrap();
    assert!(
        ci.lines().any(|line| line.trim() == CI_RUNS_THE_IGNORED),
        ".ci/run must run the ignored integration tests: `{CI_RUNS_THE_IGNORED}`"
    );
    let it = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let mut files = Vec::new();
    collect(&it, &mut files);
    let integration: Vec<(String, String)> = files
        .iter()
        .map(|path| {
            let file = path.strip_prefix(&it).unwrap().to_string_lossy();
            (
                format!("tests/it/{file}"),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .collect();
    let unit: Vec<(String, String)> = runner_sources()
        .into_iter()
        .map(|(file, source)| (format!("src/{file}"), source))
        .collect();
    let found = ignored_but_never_run(&integration, &unit);
    assert!(
        found.is_empty(),
        "a test left out of `cargo test` must say why, and be one that `.ci/run` runs (an \
         integration test, with \".ci/run\" in its reason): {found:?}"
    );
}

#[test]
fn the_ignore_rule_can_fail() {
    let integration = r#"
        #[test]
        #[ignore]
        fn said_nothing() {}
        #[test]
        #[ignore = "flaky"]
        fn run_nowhere() {}
        mod inner {
            #[test]
            #[ignore = "slow (a minute): .ci/run runs it"]
            fn run_by_ci() {}
        }
    "#;
    let unit = r#"
        #[test]
        #[ignore = "slow: .ci/run runs it"]
        fn a_unit_test() {}
    "#;
    assert_eq!(
        ignored_but_never_run(
            &[("it.rs".into(), integration.into())],
            &[("unit.rs".into(), unit.into())]
        ),
        ["it.rs:3", "it.rs:6", "unit.rs:3"]
    );
}
