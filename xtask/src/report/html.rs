//! `--html FILE`: a class report for a browser. A heat map of students by exercise
//! (one small cell per exercise, so a class of 30 fits without scrolling sideways), each
//! student's total and tamper warnings, and the pass rate of each exercise.

use std::fmt::Write;

use super::{escape_markup as escape, exercise_names};
use crate::model::outcome::{ExerciseResult, Graded};

const STYLE: &str = "
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
p.summary { margin: 0 0 1em; color: #444; }
table.heat { border-collapse: separate; border-spacing: 2px; }
table.heat th, table.heat td { padding: 0; }
table.heat th.exercise { font-size: 9px; font-weight: normal; color: #555; width: 14px; text-align: center; }
table.heat th.student { text-align: left; font-weight: normal; padding-right: .6em; white-space: nowrap; max-width: 14em; overflow: hidden; text-overflow: ellipsis; }
table.heat td.cell { width: 14px; height: 14px; border-radius: 2px; }
body.narrow table.heat td.cell, body.narrow table.heat th.exercise { width: 9px; font-size: 7px; }
table.heat td.total { padding-left: .6em; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.heat tr.rate td { font-size: 9px; color: #555; text-align: center; padding-top: 4px; }
.full { background: #2e9d4a; } .most { background: #9bd06e; } .some { background: #f2c94c; } .none { background: #e05a47; }
.warn { color: #b35c00; cursor: help; }
ol.legend { columns: 3; font-size: 12px; color: #444; padding-left: 2.2em; }
.key span { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: middle; margin: 0 .3em 0 1em; }
";

pub fn render(class: &[Graded]) -> String {
    let names = exercise_names(class);
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>threadlings class report</title><style>{STYLE}</style></head><body>\n"
    );
    let average = if class.is_empty() {
        0.0
    } else {
        class.iter().map(Graded::points).sum::<f64>() / class.len() as f64
    };
    let max = class.first().map_or(0, Graded::max_points);
    let _ = writeln!(
        html,
        "<h1>threadlings class report</h1>\n<p class=\"summary\" id=\"summary\">{} students, {} exercises; average {average:.1} of {max} points.\
         <span class=\"key\"><span class=\"full\"></span>all points<span class=\"most\"></span>most<span class=\"some\"></span>some<span class=\"none\"></span>none</span></p>",
        class.len(),
        names.len()
    );
    html.push_str("<table class=\"heat\" id=\"heatmap\">\n<tr><th></th>");
    for (index, name) in names.iter().enumerate() {
        let _ = write!(
            html,
            "<th class=\"exercise\" title=\"{}\">{}</th>",
            escape(name),
            index + 1
        );
    }
    html.push_str("<th>total</th></tr>\n");
    for graded in class {
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
            "<tr class=\"student\"><th class=\"student\" title=\"{0}\">{0}{warning}</th>",
            escape(&graded.name)
        );
        for name in &names {
            let result = graded
                .exercises
                .iter()
                .find(|result| &result.exercise.name == name);
            let _ = write!(html, "{}", cell(name, result));
        }
        let _ = writeln!(
            html,
            "<td class=\"total\">{:.1}/{}</td></tr>",
            graded.points(),
            graded.max_points()
        );
    }
    html.push_str("<tr class=\"rate\"><td>pass rate</td>");
    for name in &names {
        let passed = class
            .iter()
            .filter(|graded| {
                graded
                    .exercises
                    .iter()
                    .any(|result| &result.exercise.name == name && result.passed())
            })
            .count();
        let rate = if class.is_empty() {
            0
        } else {
            passed * 100 / class.len()
        };
        let _ = write!(
            html,
            "<td title=\"{}: {passed} of {} passed\">{rate}</td>",
            escape(name),
            class.len()
        );
    }
    html.push_str("<td>%</td></tr>\n</table>\n<h2>Exercises</h2>\n<ol class=\"legend\">\n");
    for name in &names {
        let _ = writeln!(html, "<li>{}</li>", escape(name));
    }
    // A window too narrow for the heat map gets smaller cells rather than a sideways
    // scroll bar; `narrow` on the body says so.
    html.push_str("</ol>\n");
    html.push_str(&super::swimlanes::render(class));
    html.push_str(
        "<script>if (document.documentElement.scrollWidth > window.innerWidth) document.body.classList.add('narrow');</script>\n</body></html>\n",
    );
    html
}

fn cell(name: &str, result: Option<&ExerciseResult>) -> String {
    let Some(result) = result else {
        return "<td class=\"cell\"></td>".into();
    };
    let fraction = result.points_earned() / f64::from(result.exercise.points);
    let class = match fraction {
        f if f >= 0.999 => "full",
        f if f >= 0.5 => "most",
        f if f > 0.0 => "some",
        _ => "none",
    };
    let failing: Vec<String> = result
        .checks
        .iter()
        .filter(|check| check.status() != crate::model::outcome::Status::Pass)
        .map(|check| format!("{}: {}", check.kind, check.status().label()))
        .collect();
    let detail = if failing.is_empty() {
        "passed".to_string()
    } else {
        failing.join(", ")
    };
    format!(
        "<td class=\"cell {class}\" title=\"{}: {:.1}/{} ({})\"></td>",
        escape(name),
        result.points_earned(),
        result.exercise.points,
        escape(&detail)
    )
}
