//! `--html FILE`: a class report for a browser, in one file that needs no network. A
//! map of students by exercise, the exercises' names as column headers grouped by
//! chapter; each cell says its kind by colour and symbol (`causes::CellKind`, with a
//! legend) and opens that student's verdict: the explained message first, what the
//! program printed folded below it. Students sort by name or by total. Then the share
//! passing each exercise, where the class is stuck (`stuck.rs`), the files alike, one
//! line per pair of students (`alike.rs`), and the failed loom models as swimlanes.

use std::fmt::Write;

use super::causes::{self, CellKind};
use super::markup::escape;
use super::{alike, exercise_names, stuck, verdict_text};
use crate::model::outcome::{CaseResult, Class, ExerciseResult, Graded, Status};

const STYLE: &str = "
body { font: 14px system-ui, sans-serif; margin: 1em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
h2 { font-size: 1.15em; margin: 1.4em 0 .4em; }
p.summary { margin: 0 0 .5em; color: #444; }
ul.legend { list-style: none; padding: 0; margin: 0 0 .8em; display: flex; flex-wrap: wrap; gap: .3em 1.2em; font-size: 13px; }
ul.legend li { display: flex; align-items: center; gap: .35em; }
ul.legend .swatch { display: inline-block; width: 16px; height: 16px; line-height: 16px; text-align: center; border-radius: 2px; font-size: 11px; font-weight: bold; }
div.map { overflow-x: auto; max-width: 100%; }
table.heat { border-collapse: separate; border-spacing: 1px; }
table.heat th, table.heat td { padding: 0; }
table.heat tr.chapters th.chapter { font-size: 10px; font-weight: 600; color: #333; text-align: left; border-bottom: 2px solid #888; max-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding: 0 2px; }
table.heat th.exercise { font-size: 11px; font-weight: normal; color: #333; width: 14px; vertical-align: bottom; padding-bottom: 3px; }
table.heat th.exercise span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; display: inline-block; }
table.heat .chapter-start { box-shadow: -2px 0 0 #888; }
table.heat th.student { text-align: left; font-weight: normal; padding-right: .6em; white-space: nowrap; max-width: 11em; overflow: hidden; text-overflow: ellipsis; position: sticky; left: 0; background: #fff; }
table.heat td.cell { width: 14px; height: 14px; border-radius: 2px; }
table.heat td.cell button { all: unset; display: block; width: 100%; height: 14px; line-height: 14px; text-align: center; font-size: 10px; font-weight: bold; cursor: pointer; }
table.heat td.cell.open { outline: 2px solid #000; outline-offset: 1px; }
body.narrow table.heat td.cell, body.narrow table.heat th.exercise { width: 10px; }
body.narrow table.heat td.cell button { font-size: 8px; }
body.narrow table.heat th.exercise { font-size: 9px; }
table.heat td.total { padding-left: .6em; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.heat tr.rate th { text-align: left; font-weight: normal; font-size: 12px; color: #444; vertical-align: top; padding-top: 4px; }
table.heat tr.rate td.rate { vertical-align: top; padding-top: 4px; text-align: center; }
table.heat tr.rate div.track { height: 36px; background: #eee; position: relative; border-radius: 2px; }
table.heat tr.rate div.fill { position: absolute; bottom: 0; left: 0; right: 0; background: #2e9d4a; border-radius: 2px; }
table.heat tr.rate span { writing-mode: vertical-rl; transform: rotate(180deg); font-size: 11px; font-weight: 600; color: #333; font-variant-numeric: tabular-nums; display: inline-block; margin-top: 2px; }
.k-passed { background: #2e9d4a; color: #fff; }
.k-partly { background: #f2c94c; color: #5a4500; }
.k-failed { background: #e05a47; color: #fff; }
.k-waits { background: #7b4fb8; color: #fff; }
.k-compile { background: #2f6fb3; color: #fff; }
.k-refused { background: #222; color: #fff; }
.k-untouched { background: #e2e2e2; color: #666; }
.warn { color: #b35c00; cursor: help; }
nav.sort button { font: inherit; margin-right: .4em; }
#verdict { margin: 1em 0; padding: .6em 1em; border: 1px solid #ccc; border-radius: 4px; overflow-x: auto; }
#verdict:empty { display: none; }
div.case { margin: .4em 0 .8em; }
p.explained { white-space: pre-wrap; margin: .3em 0; max-width: 60em; }
details.raw { max-width: 60em; }
details.raw summary { cursor: pointer; color: #555; font-size: 13px; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .4em; max-height: 20em; overflow: auto; }
.verdicts { display: none; }
.cause { font-weight: 600; } .cause.failure { color: #b3261e; } .cause.to-do { color: #8a6100; } .cause.not-run { color: #666; }
section#stuck article { margin: .8em 0; max-width: 70em; }
section#stuck h3 { font-size: 1em; margin: 0 0 .2em; }
section#stuck h3 .chapter, section#stuck .who, section#stuck .untouched { color: #666; font-weight: normal; font-size: 13px; }
ol.mistakes { margin: 0; padding-left: 1.2em; list-style: none; }
ol.mistakes li { margin: .15em 0; padding-left: 2em; text-indent: -2em; }
ol.mistakes li:first-child { font-size: 15px; }
ol.mistakes .count { display: inline-block; min-width: 1.6em; text-align: right; font-weight: 700; font-variant-numeric: tabular-nums; }
ol.mistakes .case { font-family: ui-monospace, monospace; font-size: 12px; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav.sort, #verdict:empty { display: none; }
  body { margin: 0; }
  pre { max-height: none; }
  div.map { overflow: visible; }
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
const map = document.querySelector('div.map');
if (map.scrollWidth > map.clientWidth) document.body.classList.add('narrow');
";

pub fn render(class: &Class, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    out.write_all(page(class).as_bytes())?;
    Ok(())
}

/// The page, built in memory by a function for each of its sections.
fn page(class: &Class) -> String {
    let left_out = super::left_out::html(class);
    let class = &class.graded[..];
    let names = exercise_names(class);
    let chapters = chapters(class);
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>threadlings class report</title><style>{STYLE}</style></head><body>\n"
    );
    summary(&mut html, class, names.len());
    html.push_str(&left_out);
    html.push_str(
        "<nav class=\"sort\">Sort students by <button data-key=\"name\">name</button><button data-key=\"total\">total</button></nav>\n<div class=\"map\"><table class=\"heat\" id=\"heatmap\">\n",
    );
    header(&mut html, &names, &chapters);
    html.push_str("<tbody id=\"students\">\n");
    for (student, graded) in class.iter().enumerate() {
        student_row(&mut html, student, graded, &names, &chapters);
    }
    html.push_str("</tbody>\n");
    pass_rates(&mut html, class, &names, &chapters);
    html.push_str("</table></div>\n<section id=\"verdict\" aria-live=\"polite\"></section>\n");
    where_stuck(&mut html, class);
    alike_files(&mut html, class);
    html.push_str("<div class=\"verdicts\">\n");
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
        "<h1>threadlings class report</h1>\n<p class=\"summary\" id=\"summary\">{} students, {exercises} exercises; average {average:.1} of {max} points. Open a cell for its verdict.</p>",
        class.len(),
    );
    html.push_str("<ul class=\"legend\" id=\"legend\">");
    for kind in CellKind::ALL {
        let _ = write!(
            html,
            "<li data-kind=\"{0}\"><span class=\"swatch {1}\">{2}</span>{0}</li>",
            kind.label(),
            kind.css_class(),
            kind.symbol()
        );
    }
    html.push_str("</ul>\n");
}

/// The chapters in course order, each with how many of the exercises it has: the
/// columns they head.
fn chapters(class: &[Graded]) -> Vec<(String, usize)> {
    let mut chapters: Vec<(String, usize)> = Vec::new();
    for result in class.first().map_or(&[][..], |graded| &graded.exercises) {
        match chapters.last_mut() {
            Some((chapter, count)) if *chapter == result.exercise.chapter => *count += 1,
            _ => chapters.push((result.exercise.chapter.clone(), 1)),
        }
    }
    chapters
}

/// Whether column `index` is the first of its chapter (and not the map's first).
fn starts_chapter(chapters: &[(String, usize)], index: usize) -> bool {
    let mut start = 0;
    for (_, count) in chapters {
        if start == index {
            return index > 0;
        }
        start += count;
    }
    false
}

fn column_class(chapters: &[(String, usize)], index: usize) -> &'static str {
    if starts_chapter(chapters, index) {
        " chapter-start"
    } else {
        ""
    }
}

/// Two header rows: the chapters over their exercises, then each exercise's name.
fn header(html: &mut String, names: &[String], chapters: &[(String, usize)]) {
    html.push_str("<thead><tr class=\"chapters\"><th></th>");
    for (index, (chapter, count)) in chapters.iter().enumerate() {
        let start = if index > 0 { " chapter-start" } else { "" };
        let _ = write!(
            html,
            "<th class=\"chapter{start}\" colspan=\"{count}\" title=\"{0}\">{1}</th>",
            escape(chapter),
            escape(&chapter.replace('_', " "))
        );
    }
    html.push_str("<th></th></tr>\n<tr class=\"names\"><th></th>");
    for (index, name) in names.iter().enumerate() {
        let _ = write!(
            html,
            "<th class=\"exercise{}\" title=\"{1}\"><span>{1}</span></th>",
            column_class(chapters, index),
            escape(name)
        );
    }
    html.push_str("<th class=\"total-head\">total</th></tr></thead>\n");
}

fn student_row(
    html: &mut String,
    student: usize,
    graded: &Graded,
    names: &[String],
    chapters: &[(String, usize)],
) {
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
    for (index, name) in names.iter().enumerate() {
        let found = graded
            .exercises
            .iter()
            .enumerate()
            .find(|(_, result)| &result.exercise.name == name);
        let column = column_class(chapters, index);
        match found {
            Some((exercise, result)) => cell(html, &cell_id(student, exercise), result, column),
            None => {
                let _ = write!(html, "<td class=\"cell{column}\"></td>");
            }
        }
    }
    let _ = writeln!(
        html,
        "<td class=\"total\">{:.1}/{}</td></tr>",
        graded.points(),
        graded.max_points()
    );
}

/// The share of students passing each exercise: a bar, and the percentage.
fn pass_rates(html: &mut String, class: &[Graded], names: &[String], chapters: &[(String, usize)]) {
    html.push_str("<tfoot><tr class=\"rate\"><th title=\"the share of students whose exercise passes every check\">% passing</th>");
    for (index, name) in names.iter().enumerate() {
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
            "<td class=\"rate{}\" title=\"{}: {passed} of {} students pass every check\"><div class=\"track\"><div class=\"fill\" style=\"height: {rate}%\"></div></div><span>{rate}</span></td>",
            column_class(chapters, index),
            escape(name),
            class.len()
        );
    }
    html.push_str("<td></td></tr></tfoot>\n");
}

/// For each exercise some students did not pass, its mistakes, the most common first:
/// the two most common shown, the rest folded, so that a class's many exercises read
/// at a glance.
fn where_stuck(html: &mut String, class: &[Graded]) {
    const SHOWN: usize = 2;
    let exercises = stuck::exercises(class);
    if exercises.is_empty() {
        return;
    }
    html.push_str("<section id=\"stuck\"><h2>Where the class is stuck</h2>\n<p>For each exercise that some students did not pass, the cases that failed, grouped by the same mistake (the case, its cause and the first line of its verdict), the most common first: the first line is the one to address.</p>\n");
    for exercise in exercises {
        let untouched = match exercise.not_attempted.len() {
            0 => String::new(),
            count => format!(
                " <span class=\"untouched\">({count} not attempted: {})</span>",
                escape(&exercise.not_attempted.join(", "))
            ),
        };
        let _ = write!(
            html,
            "<article data-exercise=\"{0}\"><h3>{0} <span class=\"chapter\">{1}</span> — {2} of {3} students not passing{untouched}</h3>\n<ol class=\"mistakes\">",
            escape(&exercise.name),
            escape(&exercise.chapter.replace('_', " ")),
            exercise.not_passing,
            exercise.graded
        );
        for (index, mistake) in exercise.groups.iter().enumerate() {
            if index == SHOWN {
                let _ = write!(
                    html,
                    "<li><details><summary>{} more</summary><ol class=\"mistakes\">",
                    exercise.groups.len() - SHOWN
                );
            }
            let case = match &mistake.case {
                Some((check, case)) => format!("{check} · {}", escape(case)),
                None => "the exercise".to_string(),
            };
            let _ = write!(
                html,
                "<li class=\"mistake\" data-students=\"{}\"><span class=\"count\">{0}</span> <span class=\"case\">{case}</span> <span class=\"cause {}\">{}</span>: {} <span class=\"who\">— {}</span></li>",
                mistake.students.len(),
                causes::css_class(mistake.cause),
                causes::label(mistake.cause),
                escape(&mistake.first_line),
                escape(&mistake.students.join(", "))
            );
        }
        if exercise.groups.len() > SHOWN {
            html.push_str("</ol></details></li>");
        }
        html.push_str("</ol></article>\n");
    }
    html.push_str("</section>\n");
}

fn alike_files(html: &mut String, class: &[Graded]) {
    let pairs = alike::by_pair(class);
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

fn cell(html: &mut String, id: &str, result: &ExerciseResult, column: &str) {
    let kind = CellKind::of(result);
    let failing: Vec<String> = result
        .checks
        .iter()
        .filter_map(|check| {
            let case = check.first_failure()?;
            Some(format!("{}: {}", check.kind, causes::label_of(case)))
        })
        .collect();
    let detail = if failing.is_empty() {
        String::new()
    } else {
        format!(" ({})", failing.join(", "))
    };
    let _ = write!(
        html,
        "<td class=\"cell {}{column}\" data-kind=\"{}\" title=\"{}: {1}, {:.1}/{}{}\"><button data-verdict=\"{id}\" aria-label=\"{2}: {1}\">{}</button></td>",
        kind.css_class(),
        kind.label(),
        escape(&result.exercise.name),
        result.points_earned(),
        result.exercise.points,
        escape(&detail),
        kind.symbol()
    );
}

/// One student's verdict on one exercise, as the cell opens it: each check's points,
/// each case that did not pass with its verdict, and the tamper warnings.
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
                    true,
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

/// A case's verdict: the explained message first, what it printed folded below.
fn failed_case(html: &mut String, case: &CaseResult) {
    let verdict = verdict_text::of(case);
    let location = verdict
        .location
        .as_ref()
        .map(|location| format!(" at {}", escape(location)))
        .unwrap_or_default();
    let tone = case.cause.map_or("failure", causes::css_class);
    let _ = write!(
        html,
        "<div class=\"case\"><b>{}</b> <span class=\"cause {tone}\">{}</span>{location}<p class=\"explained\">{}</p>",
        escape(&case.name),
        verdict.cause,
        escape(&verdict.explained)
    );
    if !verdict.raw.is_empty() {
        let _ = write!(
            html,
            "<details class=\"raw\"><summary>What it printed</summary><pre>{}</pre></details>",
            escape(&verdict.raw)
        );
    }
    html.push_str("</div>");
}
