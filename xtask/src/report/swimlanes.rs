//! The class report's failed loom models as swimlanes: for each student's exercise
//! whose model failed, a section the instructor opens, with one lane per thread and one
//! row per step in the order loom ran them, the steps that matter marked.

use std::fmt::Write;

use super::markup::escape;
use crate::model::outcome::{CaseResult, Graded, Step, thread_name};

const STYLE: &str = "
section.interleavings details { margin: .4em 0; }
section.interleavings summary { cursor: pointer; }
div.lanes { display: grid; gap: 1px 0; margin: .5em 0 1em; font: 12px ui-monospace, monospace; max-height: 40em; overflow: auto; }
div.lanes div { padding: 1px .5em; white-space: nowrap; }
div.lanes .lane { font-weight: bold; border-bottom: 1px solid #999; position: sticky; top: 0; background: #fff; }
div.lanes .number, div.lanes .at { color: #666; }
div.lanes .step { background: #eef3fb; border-left: 3px solid #7a9cc6; }
div.lanes .step.blocked { background: #fdf1dc; border-left-color: #d08a1c; }
div.lanes .step.marked { background: #fbe3df; border-left-color: #c0392b; font-weight: bold; }
";

/// Every failed model's interleaving in `class`, or nothing when there is none.
pub fn render(class: &[Graded]) -> String {
    let mut runs = String::new();
    for graded in class {
        for result in &graded.exercises {
            for check in &result.checks {
                for case in check
                    .cases
                    .iter()
                    .filter(|case| !case.interleaving.is_empty())
                {
                    runs.push_str(&run(&graded.name, &result.exercise.name, case, false));
                }
            }
        }
    }
    if runs.is_empty() {
        return String::new();
    }
    format!(
        "<style>{STYLE}</style>\n<section class=\"interleavings\" id=\"interleavings\">\n\
         <h2>Failed loom models</h2>\n{runs}</section>\n"
    )
}

/// One failed model's run as lanes, under a summary line: in the class's section
/// (closed, one line per student's model), and in the verdict that opens from that
/// student's cell (`open`, under the explanation it illustrates).
pub fn run(student: &str, exercise: &str, case: &CaseResult, open: bool) -> String {
    let threads = case
        .interleaving
        .iter()
        .map(|step| step.thread)
        .max()
        .unwrap_or(0)
        + 1;
    let mut html = String::new();
    let _ = write!(
        html,
        "<details class=\"interleaving\" data-student=\"{}\" data-exercise=\"{}\"{}>\
         <summary>{} · {} · {}: {}, the run loom found: {} steps on {threads} threads</summary>\n\
         <div class=\"lanes\" style=\"grid-template-columns: auto auto repeat({threads}, minmax(14em, max-content))\">\n",
        escape(student),
        escape(exercise),
        if open { " open" } else { "" },
        escape(student),
        escape(exercise),
        escape(&case.name),
        super::causes::label_of(case),
        case.interleaving.len(),
    );
    for thread in 0..threads {
        let name = thread_name(thread);
        let _ = write!(
            html,
            "<div class=\"lane\" style=\"grid-row: 1; grid-column: {}\">{name}</div>",
            thread + 3
        );
    }
    html.push('\n');
    for (index, step) in case.interleaving.iter().enumerate() {
        html.push_str(&row(index, step));
    }
    html.push_str("</div></details>\n");
    html
}

fn row(index: usize, step: &Step) -> String {
    let grid_row = index + 2;
    let mut classes = String::from("step");
    if step.blocked {
        classes.push_str(" blocked");
    }
    if step.marked {
        classes.push_str(" marked");
    }
    let text = super::timeline::describe(step, step.object.as_deref());
    format!(
        "<div class=\"number\" style=\"grid-row: {grid_row}; grid-column: 1\">{}</div>\
         <div class=\"at\" style=\"grid-row: {grid_row}; grid-column: 2\">{}</div>\
         <div class=\"{classes}\" data-thread=\"{}\" style=\"grid-row: {grid_row}; grid-column: {}\">{}</div>\n",
        index + 1,
        escape(&step.location.to_string()),
        step.thread,
        step.thread + 3,
        escape(&text),
    )
}
