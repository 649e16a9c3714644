//! The student's side of a verdict, once the runner knows the exercise: a case that
//! reached a `todo!()` of the exercise file is "not started", and says which TODO to do
//! first in the file's own words, and nothing of the checks; a verdict that names no
//! line of the exercise file gets the line of the student's code that the failing check
//! was running.

use std::path::Path;

use crate::model::catalog::{CheckKind, Exercise};
use crate::model::location::Location;
use crate::model::outcome::{CaseResult, Cause, Status};
use crate::syntax::places::{self, Items, Todo};

/// `case` of `exercise`'s check `kind`, as built in `tree`, with the student's side
/// told.
pub fn attribute(
    case: CaseResult,
    kind: CheckKind,
    tree: &Path,
    exercise: &Exercise,
) -> CaseResult {
    let ran = !matches!(
        case.cause,
        None | Some(Cause::Refused | Cause::Skipped | Cause::NotAttempted | Cause::NotChecked)
    );
    if case.status == Status::Pass || !ran {
        return case;
    }
    let file = exercise.file();
    let Ok(source) = std::fs::read_to_string(tree.join(&file)) else {
        return case;
    };
    let case = if case.cause == Some(Cause::NotStarted) {
        not_started(case, &file, &source)
    } else {
        case
    };
    if case.location.as_ref().is_some_and(|at| at.is_in(&file)) {
        return case;
    }
    let line = match kind {
        CheckKind::CompileFail => promise_about_threads(&case, tree, &source),
        CheckKind::Tests | CheckKind::Loom => called_by_check(&case, tree, exercise, &source),
    };
    match line {
        Some(line) => case.with_location(Some(Location::new(&file, line))),
        None => case,
    }
}

/// A case that reached a `todo!()`: the TODO to do first, in the file's words, and
/// nothing of what the checks would have said of code not yet written. Without a
/// `todo!()` in the file, the words came from the student's own panic.
fn not_started(case: CaseResult, file: &str, source: &str) -> CaseResult {
    let todos = places::todos(source);
    let Some(todo) = reached(&case, file, &todos) else {
        let in_file = case.location.as_ref().is_some_and(|at| at.is_in(file));
        let cause = if in_file {
            Cause::Panicked
        } else {
            Cause::AssertionFailed
        };
        return case.with_cause(cause);
    };
    let reached = format!(
        "The checks reached the `todo!()` at line {}, so there is nothing for them to check yet.",
        todo.line
    );
    let (line, message) = match places::todo_comment(source, todo.line) {
        Some((line, words)) => (
            line,
            format!("Start with the TODO at line {line}: {words}\n{reached}"),
        ),
        None => (
            todo.line,
            format!(
                "Replace the `todo!()` at line {} with your code.\n{reached}",
                todo.line
            ),
        ),
    };
    let mut case = case.with_location(Some(Location::new(file, line)));
    case.message = message;
    case.output = String::new();
    case
}

/// The `todo!()` the case reached: where its panic was, else the one whose message it
/// quotes, else the file's first.
fn reached<'a>(case: &CaseResult, file: &str, todos: &'a [Todo]) -> Option<&'a Todo> {
    let at = case
        .location
        .as_ref()
        .filter(|at| at.is_in(file))
        .and_then(|at| todos.iter().find(|todo| todo.line == at.line));
    let quoted = || {
        todos.iter().find(|todo| {
            todo.text.as_ref().is_some_and(|text| {
                case.message
                    .contains(&format!("not yet implemented: {text}"))
                    || case.message.contains(&format!("not implemented: {text}"))
            })
        })
    };
    at.or_else(quoted).or_else(|| todos.first())
}

/// The student's code that the failing test was running when it failed, read from the
/// check file.
fn called_by_check(
    case: &CaseResult,
    tree: &Path,
    exercise: &Exercise,
    source: &str,
) -> Option<usize> {
    let checks_file = format!("{}/main.rs", exercise.checks_dir());
    let checks = std::fs::read_to_string(tree.join(&checks_file)).ok()?;
    let failed_at = case
        .location
        .as_ref()
        .filter(|at| at.is_in(&checks_file))
        .map(|at| at.line);
    places::called_by_check(&checks, &case.name, failed_at, &Items::of(source))
}

/// For a compile-fail case that compiled (or failed otherwise): the student's promise
/// about threads (`unsafe impl Send`) for a type the case uses.
fn promise_about_threads(case: &CaseResult, tree: &Path, source: &str) -> Option<usize> {
    if !matches!(case.cause, Some(Cause::Compiled | Cause::RejectedOtherwise)) {
        return None;
    }
    let code = std::fs::read_to_string(tree.join(&case.name)).ok()?;
    Items::of(source).thread_promise_used_by(&code)
}
