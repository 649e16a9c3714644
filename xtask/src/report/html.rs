//! `--html FILE`: a class report for a browser, in one file that needs no network. A
//! heat map of students by exercise (one small cell per exercise, so a class of 30 fits
//! without scrolling sideways); each cell opens that student's verdict for that
//! exercise. Students sort by name or by total; the pass-rate row, the files alike
//! and the exercises' names follow.

use std::fmt::Write;

use super::{alike, causes, exercise_names};
use crate::model::outcome::{CaseResult, Class, ExerciseResult, Graded, Status};

const STYLE: &str = "
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
p.summary { margin: 0 0 1em; color: #444; }
table.heat { border-collapse: separate; border-spacing: 2px; }
table.heat th, table.heat td { padding: 0; }
table.heat th.exercise { font-size: 9px; font-weight: normal; color: #555; width: 14px; text-align: center; }
table.heat th.student { text-align: left; font-weight: normal; padding-right: .6em; white-space: nowrap; max-width: 14em; overflow: hidden; text-overflow: ellipsis; }
table.heat td.cell { width: 14px; height: 14px; border-radius: 2px; }
table.heat td.cell button { all: unset; display: block; width: 100%; height: 14px; cursor: pointer; }
table.heat td.cell.open { outline: 2px solid #222; }
body.narrow table.heat td.cell, body.narrow table.heat th.exercise { width: 9px; font-size: 7px; }
table.heat td.total { padding-left: .6em; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.heat tr.rate td { font-size: 9px; color: #555; text-align: center; padding-top: 4px; }
.full { background: #2e9d4a; } .most { background: #9bd06e; } .some { background: #f2c94c; } .none { background: #e05a47; }
.warn { color: #b35c00; cursor: help; }
nav.sort button { font: inherit; margin-right: .4em; }
#verdict { margin: 1em 0; padding: .6em 1em; border: 1px solid #ccc; border-radius: 4px; max-width: 60em; }
#verdict:empty { display: none; }
#verdict pre { white-space: pre-wrap; background: #f6f6f6; padding: .4em; max-height: 20em; overflow: auto; }
.verdicts { display: none; }
.cause { font-weight: 600; } .cause.failure { color: #b3261e; } .cause.to-do { color: #8a6100; } .cause.not-run { color: #666; }
ol.legend { columns: 3; font-size: 12px; color: #444; padding-left: 2.2em; }
.key span { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: middle; margin: 0 .3em 0 1em; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav.sort, #verdict:empty { display: none; }
  body { margin: 0; }
  #verdict pre { max-height: none; }
}
";

/// Opening a cell shows its verdict below the map; sorting reorders the students'
/// rows. A `#open=ID` or `#sort=KEY` in the address does the same on load, so that
/// a link (or a test) can point at one verdict.
const SCRIPT: &str = "
const panel = document.getElementById('verdict');
function openCell(button) {
  document.querySelectorAll('td.cell.open').forEach(c => c.classList.remove('open'));
  button.parentElement.classList.add('open');
  panel.innerHTML = document.getElementById(button.dataset.verdict).innerHTML;
}
document.querySelectorAll('td.cell button').forEach(b => b.addEventListener('click', () => openCell(b)));
function sortBy(key) {
  const body = document.getElementById('students');
  const rows = [...body.querySelectorAll('tr.student')];
  rows.sort((a, b) => key === 'total'
    ? b.dataset.total - a.dataset.total || a.dataset.name.localeCompare(b.dataset.name)
    : a.dataset.name.localeCompare(b.dataset.name));
  rows.forEach(r => body.appendChild(r));
  document.body.dataset.sorted = key;
}
document.querySelectorAll('nav.sort button').forEach(b => b.addEventListener('click', () => sortBy(b.dataset.key)));
const [command, argument] = location.hash.slice(1).split('=');
if (command === 'sort') sortBy(argument);
if (command === 'open') { const b = document.querySelector(`button[data-verdict='${argument}']`); if (b) openCell(b); }
if (document.documentElement.scrollWidth > window.innerWidth) document.body.classList.add('narrow');
";

pub fn render(class: &Class) -> String {
    let left_out = super::left_out::html(class);
    let class = &class.graded[..];
    let names = exercise_names(class);
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>threadlings class report</title><style>{STYLE}</style></head><body>\n"
    );
    summary(&mut html, class, names.len());
    html.push_str(&left_out);
    html.push_str(
        "<nav class=\"sort\">Sort students by <button data-key=\"name\">name</button><button data-key=\"total\">total</button></nav>\n<table class=\"heat\" id=\"heatmap\">\n<thead><tr><th></th>",
    );
    for (index, name) in names.iter().enumerate() {
        let _ = write!(
            html,
            "<th class=\"exercise\" title=\"{}\">{}</th>",
            escape(name),
            index + 1
        );
    }
    html.push_str("<th>total</th></tr></thead>\n<tbody id=\"students\">\n");
    for (student, graded) in class.iter().enumerate() {
        student_row(&mut html, student, graded, &names);
    }
    html.push_str("</tbody>\n");
    pass_rates(&mut html, class, &names);
    html.push_str("</table>\n<section id=\"verdict\" aria-live=\"polite\"></section>\n");
    alike_files(&mut html, class);
    html.push_str("<h2>Exercises</h2>\n<ol class=\"legend\">\n");
    for name in &names {
        let _ = writeln!(html, "<li>{}</li>", escape(name));
    }
    html.push_str("</ol>\n<div class=\"verdicts\">\n");
    for (student, graded) in class.iter().enumerate() {
        for (exercise, result) in graded.exercises.iter().enumerate() {
            verdict(&mut html, &cell_id(student, exercise), graded, result);
        }
    }
    html.push_str("</div>\n");
    html.push_str(&super::swimlanes::render(class));
    let _ = write!(html, "<script>{SCRIPT}</script>\n</body></html>\n");
    html
}

fn summary(html: &mut String, class: &[Graded], exercises: usize) {
    let average = if class.is_empty() {
        0.0
    } else {
        class.iter().map(Graded::points).sum::<f64>() / class.len() as f64
    };
    let max = class.first().map_or(0, Graded::max_points);
    let _ = writeln!(
        html,
        "<h1>threadlings class report</h1>\n<p class=\"summary\" id=\"summary\">{} students, {exercises} exercises; average {average:.1} of {max} points. Open a cell for its verdict.\
         <span class=\"key\"><span class=\"full\"></span>all points<span class=\"most\"></span>most<span class=\"some\"></span>some<span class=\"none\"></span>none</span></p>",
        class.len(),
    );
}

fn student_row(html: &mut String, student: usize, graded: &Graded, names: &[String]) {
    let warning = if graded.warnings.is_empty() {
        String::new()
    } else {
        format!(
            " <span class=\"warn\" title=\"{}\">⚠ {}</span>",
            escape(&graded.warnings.join("\n")),
            graded.warnings.len()
        )
    };
    let _ = write!(
        html,
        "<tr class=\"student\" data-name=\"{0}\" data-total=\"{1:.2}\"><th class=\"student\" title=\"{0}\">{0}{warning}</th>",
        escape(&graded.name),
        graded.points()
    );
    for name in names {
        let found = graded
            .exercises
            .iter()
            .enumerate()
            .find(|(_, result)| &result.exercise.name == name);
        match found {
            Some((exercise, result)) => cell(html, &cell_id(student, exercise), result),
            None => html.push_str("<td class=\"cell\"></td>"),
        }
    }
    let _ = writeln!(
        html,
        "<td class=\"total\">{:.1}/{}</td></tr>",
        graded.points(),
        graded.max_points()
    );
}

fn pass_rates(html: &mut String, class: &[Graded], names: &[String]) {
    html.push_str("<tfoot><tr class=\"rate\"><td title=\"the share of students whose exercise passes every check\">% passing</td>");
    for name in names {
        let passed = class
            .iter()
            .filter(|graded| {
                graded
                    .exercises
                    .iter()
                    .any(|result| &result.exercise.name == name && result.passed())
            })
            .count();
        let rate = (passed * 100).checked_div(class.len()).unwrap_or(0);
        let _ = write!(
            html,
            "<td title=\"{}: {passed} of {} students pass every check\">{rate}</td>",
            escape(name),
            class.len()
        );
    }
    html.push_str("<td>%</td></tr></tfoot>\n");
}

fn alike_files(html: &mut String, class: &[Graded]) {
    let pairs = alike::pairs(class);
    if pairs.is_empty() {
        return;
    }
    html.push_str("<h2>Files alike</h2>\n<p>The same once formatting, comments and local names are set aside: for you to look at. No points depend on it.</p>\n<ul id=\"alike\">\n");
    for pair in pairs {
        let _ = writeln!(html, "<li>{}</li>", escape(&pair.describe()));
    }
    html.push_str("</ul>\n");
}

fn cell_id(student: usize, exercise: usize) -> String {
    format!("v-{student}-{exercise}")
}

fn cell(html: &mut String, id: &str, result: &ExerciseResult) {
    let fraction = result.points_earned() / f64::from(result.exercise.points.max(1));
    let class = match fraction {
        f if f >= 0.999 => "full",
        f if f >= 0.5 => "most",
        f if f > 0.0 => "some",
        _ => "none",
    };
    let failing: Vec<String> = result
        .checks
        .iter()
        .filter_map(|check| {
            let case = check.first_failure()?;
            Some(format!("{}: {}", check.kind, causes::label_of(case)))
        })
        .collect();
    let detail = if failing.is_empty() {
        "passed".to_string()
    } else {
        failing.join(", ")
    };
    let _ = write!(
        html,
        "<td class=\"cell {class}\" title=\"{}: {:.1}/{} ({})\"><button data-verdict=\"{id}\" aria-label=\"{0}\"></button></td>",
        escape(&result.exercise.name),
        result.points_earned(),
        result.exercise.points,
        escape(&detail)
    );
}

/// One student's verdict on one exercise, as the cell opens it: each check's points,
/// each case that did not pass with its message and output, and the tamper warnings.
fn verdict(html: &mut String, id: &str, graded: &Graded, result: &ExerciseResult) {
    let _ = write!(
        html,
        "<template id=\"{id}\"><h3>{} — {}: {:.1}/{}</h3><ul>",
        escape(&graded.name),
        escape(&result.exercise.name),
        result.points_earned(),
        result.exercise.points
    );
    for check in &result.checks {
        let share = result.share(check);
        let _ = write!(
            html,
            "<li>{}: {} ({:.1}/{:.1})",
            check.kind,
            check.status().label(),
            share * check.passed_fraction(),
            share
        );
        for case in check
            .cases
            .iter()
            .filter(|case| case.status != Status::Pass)
        {
            failed_case(html, case);
            if !case.interleaving.is_empty() {
                html.push_str(&super::swimlanes::run(
                    &graded.name,
                    &result.exercise.name,
                    case,
                ));
            }
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    if !graded.warnings.is_empty() {
        html.push_str("<p>Tamper warnings:</p><ul class=\"warnings\">");
        for warning in &graded.warnings {
            let _ = write!(html, "<li>{}</li>", escape(warning));
        }
        html.push_str("</ul>");
    }
    html.push_str("</template>\n");
}

fn failed_case(html: &mut String, case: &CaseResult) {
    let location = case
        .location
        .as_ref()
        .map(|location| format!(" at {}", escape(&location.to_string())))
        .unwrap_or_default();
    let tone = case.cause.map_or("failure", causes::css_class);
    let _ = write!(
        html,
        "<div class=\"case\"><b>{}</b> <span class=\"cause {tone}\">{}</span>{location}: {}",
        escape(&case.name),
        causes::label_of(case),
        escape(&case.message)
    );
    if !case.output.is_empty() {
        let _ = write!(html, "<pre>{}</pre>", escape(&case.output));
    }
    html.push_str("</div>");
}

/// Escapes text for HTML's text and attributes.
pub(super) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in HTML text.
            c if c.is_control() && c != '\n' && c != '\t' && c != '\r' => escaped.push('\u{fffd}'),
            c => escaped.push(c),
        }
    }
    escaped
}
