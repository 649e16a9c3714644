//! `verify`'s proof of the student's path: what a student sees (the shipped exercise,
//! its comments and TODOs, the hints) is enough to write an answer that passes.
//!
//! - The shipped exercise has the solution's public items, with the same signatures
//!   (`syntax/api.rs`), so the checks never call what only the solution has.
//! - The checks compile against the shipped exercise, or each error is one the student
//!   is meant to fix (`shipped_build_problems`).
//! - The code of the last hint is the solution's own (`syntax/hints.rs`), so it cannot
//!   drift from the checks, which the solution passes.
//! - What a check's failure message asks the student to call, when only the solution
//!   calls it, is named to the student before it fails: in the exercise's comments or
//!   strings, or a hint. A check that a worker's panic reaches the caller asks for it by
//!   name (`resume_unwind`).

use std::collections::BTreeSet;

use anyhow::Context;

use crate::engine::{Built, Diagnostic, Flavor, Runner};
use crate::model::catalog::{CATALOG_PATH, Exercise};
use crate::model::kit::{Kit, Source};
use crate::report::live;
use crate::syntax::api::{self, Difference};
use crate::syntax::hints;

/// The problems of every exercise's path that can be read from its files.
pub fn problems(kit: &Kit) -> anyhow::Result<super::Problems> {
    let mut problems = Vec::new();
    for exercise in &kit.catalog.exercises {
        let files = Files::read(kit, exercise)?;
        problems.extend(api_problems(exercise, &files));
        problems.extend(last_hint_problems(exercise, &files));
        problems.extend(untold_requirements(exercise, &files));
    }
    Ok(problems)
}

/// An exercise's three files, as text.
struct Files {
    exercise: String,
    solution: String,
    checks: String,
}

impl Files {
    fn read(kit: &Kit, exercise: &Exercise) -> anyhow::Result<Files> {
        let read = |relative: String| {
            std::fs::read_to_string(kit.root.join(&relative))
                .with_context(|| format!("cannot read {relative}"))
        };
        Ok(Files {
            exercise: read(exercise.file())?,
            solution: read(exercise.solution_file())?,
            checks: read(format!("{}/main.rs", exercise.checks_dir()))?,
        })
    }

    /// The words the student is told: the exercise's comments and strings, and every
    /// hint.
    fn told(&self, exercise: &Exercise) -> BTreeSet<String> {
        let mut told = hints::told_words(&self.exercise);
        for hint in &exercise.hints {
            told.extend(hints::words(hint));
        }
        told
    }
}

/// The shipped exercise's public items against the solution's.
fn api_problems(exercise: &Exercise, files: &Files) -> Vec<String> {
    let file = exercise.file();
    let (shipped, solution) = match (
        api::public_api(&files.exercise),
        api::public_api(&files.solution),
    ) {
        (Ok(shipped), Ok(solution)) => (shipped, solution),
        (Err(err), _) => return vec![format!("{file}: {err:#}")],
        (_, Err(err)) => return vec![format!("{}: {err:#}", exercise.solution_file())],
    };
    api::differences(&shipped, &solution)
        .into_iter()
        .map(|difference| match difference {
            Difference::Missing { item, solution } => format!(
                "{file}: `{item}` is public in the solution but not in the shipped exercise, \
                 so the checks can use what the student is never given (`{solution}`): ship \
                 it in the exercise, or keep it private in the solution"
            ),
            Difference::Extra { item, exercise } => format!(
                "{file}: `{item}` is public in the shipped exercise but not in the solution \
                 (`{exercise}`): give both the same public items"
            ),
            Difference::Changed {
                item,
                exercise,
                solution,
            } => format!(
                "{file}: `{item}` differs from the solution's, which the checks are written \
                 against:\n    exercise: {exercise}\n    solution: {solution}"
            ),
        })
        .collect()
}

/// The code of the last hint, which is nearly the answer, must be the solution's own:
/// each code line, and each quoted span, is found in the solution (a quoted span may
/// also name what the student replaces, in the shipped exercise).
fn last_hint_problems(exercise: &Exercise, files: &Files) -> Vec<String> {
    let Some(last) = exercise.hints.last() else {
        return Vec::new();
    };
    hints::fragments(last)
        .into_iter()
        .filter(|fragment| {
            let in_solution = hints::is_found_in(&fragment.text, &files.solution);
            let replaced = fragment.quoted && hints::is_found_in(&fragment.text, &files.exercise);
            !(in_solution || replaced)
        })
        .map(|fragment| {
            format!(
                "{CATALOG_PATH}: the last hint of `{}` shows `{}`, which is not the code of {}: \
                 the last hint's code must be the solution's own (`..` stands for code left \
                 out), so that the answer it leads to passes the checks",
                exercise.name,
                fragment.text.trim(),
                exercise.solution_file()
            )
        })
        .collect()
}

/// Names a check asks for that the student is never told of: each remedy that a check's
/// failure message names in code, that the solution calls and the shipped exercise does
/// not, must be in the exercise's comments or strings, or a hint; and a check that a
/// worker's panic reaches the caller needs `resume_unwind` to be named.
fn untold_requirements(exercise: &Exercise, files: &Files) -> Vec<String> {
    let told = files.told(exercise);
    let shipped_code = hints::code_words(&files.exercise);
    let solution_code = hints::code_words(&files.solution);
    let messages = hints::string_literals(&files.checks);
    let checks = format!("{}/main.rs", exercise.checks_dir());
    let mut untold = BTreeSet::new();
    for message in &messages {
        for name in hints::remedies(message) {
            if solution_code.contains(&name)
                && !shipped_code.contains(&name)
                && !told.contains(&name)
            {
                untold.insert(name);
            }
        }
    }
    let mut problems: Vec<String> = untold
        .iter()
        .map(|name| {
            format!(
                "{}: {checks} asks for `{name}` in a failure message, and the solution calls \
                 it, but nothing the student sees before failing names it: say so in the \
                 exercise's doc comment, a TODO or a hint",
                exercise.file()
            )
        })
        .collect();
    let check_code = hints::code_words(&files.checks);
    let passes_the_panic_on = ["panic_reaching_the_caller", "assert_passes_the_panic_on"]
        .iter()
        .any(|helper| check_code.contains(*helper))
        || messages
            .iter()
            .any(|message| hints::remedies(message).contains("resume_unwind"));
    let named = told.contains("resume_unwind") || shipped_code.contains("resume_unwind");
    if passes_the_panic_on && !named && !untold.contains("resume_unwind") {
        problems.push(format!(
            "{}: {checks} requires a worker's panic to reach the caller, but neither the \
             exercise nor a hint says so: name `std::panic::resume_unwind` in the exercise's \
             doc comment, a TODO or a hint",
            exercise.file()
        ));
    }
    problems
}

/// Compile errors of the checks against the shipped exercises that no student should
/// meet: a target that does not compile may fail only in the exercise file itself, or
/// on a bound or type that the exercise's own types do not meet yet (E0277: not `Sync`
/// until the student makes it so; E0308: an `async fn main` the student makes plain).
/// Anything else (a missing function or method, a wrong number of arguments) means
/// the checks ask for what the student is not given.
pub fn shipped_build_problems(kit: &Kit) -> anyhow::Result<super::Problems> {
    let runner = Runner::new(kit, Source::Exercises)?.with_observer(live::build_bar());
    let mut problems = Vec::new();
    for flavor in [Flavor::Std, Flavor::Loom] {
        let exercises: Vec<&Exercise> = kit
            .catalog
            .exercises
            .iter()
            .filter(|exercise| exercise.has_check(flavor.kind()))
            .collect();
        let names: Vec<&str> = exercises
            .iter()
            .map(|exercise| exercise.name.as_str())
            .collect();
        let built = runner.build_targets(&names, flavor)?;
        for exercise in exercises {
            let Some(Built::Failed(diagnostics)) = built.get(&exercise.name) else {
                continue;
            };
            for diagnostic in not_on_purpose(exercise, diagnostics) {
                let place = diagnostic
                    .location
                    .as_ref()
                    .map_or_else(|| "cargo".to_string(), ToString::to_string);
                problems.push(format!(
                    "{}: {}/main.rs (its {} check) does not compile against the shipped \
                     exercise, at {place}, with an error that is not the student's to fix \
                     ({}): the checks ask for what the exercise does not give\n{}",
                    exercise.file(),
                    exercise.checks_dir(),
                    flavor.kind(),
                    error_code(&diagnostic.rendered).unwrap_or("no error code"),
                    indent(diagnostic.rendered.trim_end())
                ));
            }
        }
    }
    Ok(problems)
}

/// Errors in the checks that a shipped exercise may cause on purpose: a bound its types
/// do not meet yet, and a type it changes (`coroutine`'s `async fn main`).
const ON_PURPOSE: [&str; 2] = ["E0277", "E0308"];

/// The compile errors of an exercise's checks that the student is not meant to meet:
/// those outside the exercise file, but for the kinds that are `ON_PURPOSE`.
fn not_on_purpose<'d>(exercise: &Exercise, diagnostics: &'d [Diagnostic]) -> Vec<&'d Diagnostic> {
    diagnostics
        .iter()
        .filter(|diagnostic| {
            let in_exercise = diagnostic
                .location
                .as_ref()
                .is_some_and(|location| location.is_in(&exercise.file()));
            let on_purpose =
                error_code(&diagnostic.rendered).is_some_and(|code| ON_PURPOSE.contains(&code));
            !(in_exercise || on_purpose)
        })
        .collect()
}

/// `error[E0061]: this function takes…` → `E0061`.
fn error_code(rendered: &str) -> Option<&str> {
    let rest = rendered.strip_prefix("error[")?;
    rest.split_once(']').map(|(code, _)| code)
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::{Files, error_code, last_hint_problems, not_on_purpose, untold_requirements};
    use crate::engine::Diagnostic;
    use crate::model::catalog::Exercise;
    use crate::model::location::Location;

    const SOLUTION: &str = "
        pub fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
            let handle = std::thread::spawn(work);
            match handle.join() {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }";

    const SHIPPED: &str = "
        /// Run `work` on a new thread and return what it computed.
        pub fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
            // TODO: spawn a thread for `work`, then join it.
            todo!()
        }";

    const CHECKS: &str = r#"
        #[test]
        fn a_panic_comes_back() {
            let payload = panic_reaching_the_caller("run", || exercise::run(|| panic!("no")));
            assert!(
                panic_text(&*payload) == Some("no"),
                "the panic was replaced: pass it on with `std::panic::resume_unwind(payload)`"
            );
        }"#;

    fn spawn_join(hints: &[&str]) -> Exercise {
        Exercise {
            name: "spawn_join".into(),
            chapter: "01_article".into(),
            hints: hints.iter().map(|hint| hint.to_string()).collect(),
            ..Exercise::default()
        }
    }

    fn files(exercise: &str) -> Files {
        Files {
            exercise: exercise.into(),
            solution: SOLUTION.into(),
            checks: CHECKS.into(),
        }
    }

    #[test]
    fn a_last_hint_whose_code_is_not_the_solution_s_is_a_problem() {
        let drifted = spawn_join(&[
            "Spawn, then join.",
            "let handle = std::thread::spawn(work);\nhandle.join().expect(\"the worker panicked\")",
        ]);
        let found = last_hint_problems(&drifted, &files(SHIPPED));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("handle.join().expect("), "{found:?}");
        let own = spawn_join(&[
            "Spawn, then join.",
            "let handle = std::thread::spawn(work);\nmatch handle.join() {\n    Ok(value) => value,\n    Err(panic) => std::panic::resume_unwind(panic),\n}",
        ]);
        assert_eq!(
            last_hint_problems(&own, &files(SHIPPED)),
            Vec::<String>::new()
        );
        // Prose may quote what the shipped exercise has, to say what to replace.
        let prose = spawn_join(&["Nudge.", "Replace `todo!()` with `handle.join()`."]);
        assert_eq!(
            last_hint_problems(&prose, &files(SHIPPED)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_panic_the_checks_want_passed_on_must_be_told() {
        let untold = spawn_join(&["Spawn, then join.", "`handle.join().unwrap()`"]);
        let found = untold_requirements(&untold, &files(SHIPPED));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("`resume_unwind`"), "{found:?}");
        // Told in a hint, or in the exercise's own comments.
        let told = spawn_join(&["Spawn, then join.", "Pass a panic on with `resume_unwind`."]);
        assert_eq!(
            untold_requirements(&told, &files(SHIPPED)),
            Vec::<String>::new()
        );
        let commented = SHIPPED.replace("then join it.", "then join it; `resume_unwind` a panic.");
        assert_eq!(
            untold_requirements(&untold, &files(&commented)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_check_that_a_panic_reaches_the_caller_is_a_requirement_without_a_message() {
        // The check's message does not name the remedy: the helper it calls is enough.
        let mut quiet = files(SHIPPED);
        quiet.checks = CHECKS.replace("pass it on with `std::panic::resume_unwind(payload)`", "");
        let untold = spawn_join(&["Spawn, then join.", "`handle.join()`"]);
        let found = untold_requirements(&untold, &quiet);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("reach the caller"), "{found:?}");
    }

    fn diagnostic(rendered: &str, file: &str, line: usize) -> Diagnostic {
        Diagnostic {
            rendered: rendered.to_string(),
            location: Some(Location::new(file, line)),
            places: vec![Location::new(file, line)],
        }
    }

    #[test]
    fn only_errors_the_student_is_not_meant_to_fix_are_problems() {
        let pipeline = Exercise {
            name: "capstone_pipeline".into(),
            chapter: "10_capstones".into(),
            ..Exercise::default()
        };
        let errors = [
            // The checks call what the shipped exercise does not have.
            diagnostic(
                "error[E0061]: this function takes 3 arguments but 4 arguments were supplied",
                "tests/capstone_pipeline/main.rs",
                48,
            ),
            diagnostic(
                "error[E0599]: no method named `audit` found",
                "tests/capstone_pipeline/main.rs",
                181,
            ),
            // A type that is not `Sync` yet, and the student's own file: on purpose.
            diagnostic(
                "error[E0277]: `Rc<Vec<String>>` cannot be sent between threads safely",
                "tests/capstone_pipeline/main.rs",
                28,
            ),
            diagnostic(
                "error[E0425]: cannot find value `x`",
                "tests/capstone_pipeline/../../exercises/10_capstones/capstone_pipeline.rs",
                12,
            ),
        ];
        let found: Vec<usize> = not_on_purpose(&pipeline, &errors)
            .iter()
            .filter_map(|diagnostic| diagnostic.location.as_ref().map(|at| at.line))
            .collect();
        assert_eq!(found, [48, 181]);
    }

    #[test]
    fn the_error_code_is_read_from_the_rendered_error() {
        assert_eq!(
            error_code("error[E0061]: this function takes 3 arguments"),
            Some("E0061")
        );
        assert_eq!(error_code("error: expected one of `,` or `)`"), None);
    }
}
