//! Reporters over the results stream (`outcome.rs`): each output format is one file,
//! and none of them runs anything.

pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod style;
pub mod swimlanes;
pub mod terminal;
pub mod timeline;

use std::path::Path;

use crate::model::outcome::Graded;

/// Writes a report file, saying where; a file that cannot be written is an error.
pub fn write(path: &Path, content: &str) -> Result<(), String> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    std::fs::write(path, content)
        .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Every exercise graded in `class`, in course order (the first graded's order).
fn exercise_names(class: &[Graded]) -> Vec<String> {
    class
        .first()
        .map(|graded| {
            graded
                .exercises
                .iter()
                .map(|result| result.exercise.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Escapes text for XML and HTML.
fn escape_markup(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in XML 1.0.
            c if c.is_control() && c != '\n' && c != '\t' && c != '\r' => escaped.push('\u{fffd}'),
            c => escaped.push(c),
        }
    }
    escaped
}
