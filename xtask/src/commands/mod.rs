//! One function per command; each returns how the process should exit, or a setup
//! error to print.

mod bench;
mod check;
mod handout;
mod hint;
mod ide_check;
mod interleavings;
mod list;
mod mutants;
mod next;
mod report;
mod reset;
mod run;
mod solution;
mod verify;
pub mod watch;

pub use bench::{BenchRequest, bench};
pub use check::{CheckRequest, check};
pub use handout::{HandoutRequest, handout};
pub use hint::hint;
pub use ide_check::ide_check;
pub use interleavings::interleavings;
pub use list::list;
pub use mutants::mutants;
pub use next::next;
pub use report::report;
pub use reset::reset;
pub use run::run;
pub use solution::solution;
pub use verify::verify;
pub use watch::{WatchOptions, watch};

/// Saves come in bursts (editors write, rename, touch; formatters save again): `watch`
/// checks once per burst, once the file has been quiet this long. Here, with what more
/// than one command needs, because `bench` holds watch's verdicts to a target that
/// allows for it.
pub const DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(150);

/// A refused exercise's verdict, for the commands that build one by hand (`run`,
/// `run --interleavings`), as `next` would show it.
fn show_refusal(
    kit: &crate::model::kit::Kit,
    exercise: &crate::model::catalog::Exercise,
    kind: crate::model::catalog::CheckKind,
    refused: crate::model::outcome::CaseResult,
) {
    let result = crate::model::outcome::ExerciseResult::not_judged(exercise, &[kind], refused);
    let file = exercise.file();
    crate::report::terminal::failure(&result, &kit.root, &file, None, "`cargo xtask hint`");
}

/// The compiler's errors of a build by hand that failed, as cargo rendered them.
fn show_compiler_errors(diagnostics: &[crate::engine::Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{}", diagnostic.rendered.trim_end());
    }
}
