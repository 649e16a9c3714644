//! `--csv FILE`: a gradebook with a row per student, a column per exercise (points
//! earned), the total, and the number of tamper warnings.

use super::exercise_names;
use crate::model::outcome::Graded;

pub fn render(class: &[Graded]) -> String {
    let names = exercise_names(class);
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
                .map(|result| result.points_earned());
            row.push(
                points
                    .map(|points| format!("{points:.2}"))
                    .unwrap_or_default(),
            );
        }
        row.push(format!("{:.2}", graded.points()));
        row.push(graded.max_points().to_string());
        row.push(graded.warnings.len().to_string());
        rows.push(row);
    }
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|field| quote(field))
                .collect::<Vec<_>>()
                .join(",")
                + "\n"
        })
        .collect()
}

/// RFC 4180 quoting, and no leading character a spreadsheet would run as a formula.
fn quote(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err() {
        format!("'{field}")
    } else {
        field.to_string()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("=cmd()"), "'=cmd()");
        assert_eq!(quote("-1.5"), "-1.5");
    }
}
