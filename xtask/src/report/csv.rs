//! `--csv FILE`: a gradebook with a row per student, a column per exercise (points
//! earned), the total, and the number of tamper warnings; then a row per folder of the
//! class not graded, with the reason in the last column.

use std::io::Write;

use anyhow::Context;

use super::exercise_names;
use crate::model::outcome::Class;

pub fn render(class: &Class, out: &mut dyn Write) -> anyhow::Result<()> {
    let names = exercise_names(&class.graded);
    let mut writer = csv::Writer::from_writer(out);
    let mut header = vec!["student".to_string()];
    header.extend(names.iter().cloned());
    header.extend(["total".into(), "max".into(), "warnings".into()]);
    header.push("not graded".into());
    let mut rows = vec![header];
    for graded in &class.graded {
        let mut row = vec![graded.name.clone()];
        for name in &names {
            let points = graded
                .exercises
                .iter()
                .find(|result| &result.exercise.name == name)
                .map(|result| format!("{:.2}", result.points_earned()));
            row.push(points.unwrap_or_default());
        }
        row.push(format!("{:.2}", graded.points()));
        row.push(graded.max_points().to_string());
        row.push(graded.warnings.len().to_string());
        row.push(String::new());
        rows.push(row);
    }
    rows.extend(not_graded_rows(class, names.len()));
    for row in rows {
        writer
            .write_record(row.iter().map(|field| defused(field)))
            .context("cannot write the gradebook")?;
    }
    writer.flush().context("cannot write the gradebook")
}

/// A row for each folder of the class not graded: no points, and why in the last
/// column (a gradebook shows who is missing, and the run that was interrupted).
fn not_graded_rows(class: &Class, exercises: usize) -> Vec<Vec<String>> {
    class
        .not_graded
        .iter()
        .map(|entry| {
            let mut row = vec![entry.folder.clone()];
            row.extend(std::iter::repeat_n(String::new(), exercises + 3));
            row.push(entry.reason.clone());
            row
        })
        .collect()
}

/// No leading character that a spreadsheet would run as a formula.
fn defused(field: &str) -> String {
    if field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err() {
        format!("'{field}")
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::defused;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(defused("plain"), "plain");
        assert_eq!(defused("=cmd()"), "'=cmd()");
        assert_eq!(defused("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defused("-1.5"), "-1.5");
    }
}
