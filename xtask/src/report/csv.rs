//! `--csv FILE`: a gradebook with a row per student, a column per exercise (points
//! earned), the total, and the number of tamper warnings.

use super::exercise_names;
use crate::model::outcome::Graded;

pub fn render(class: &[Graded]) -> Result<String, String> {
    let names = exercise_names(class);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["student".to_string()];
    header.extend(names.iter().cloned());
    header.extend(["total".into(), "max".into(), "warnings".into()]);
    let mut rows = vec![header];
    for graded in class {
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
        rows.push(row);
    }
    for row in rows {
        writer
            .write_record(row.iter().map(|field| defused(field)))
            .map_err(|err| format!("cannot write the gradebook: {err}"))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|err| format!("cannot write the gradebook: {err}"))?;
    String::from_utf8(bytes).map_err(|err| format!("cannot write the gradebook: {err}"))
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
