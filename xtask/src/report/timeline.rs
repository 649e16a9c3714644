//! A loom model's interleaving in the terminal: one column per thread, one row per
//! step in the order loom ran them, each with its `file:line`; the steps that matter
//! are marked, and a long run is cut in the middle so that it fits one screen.

use std::collections::BTreeMap;

use crate::model::location::Location;
use crate::model::outcome::{Step, thread_name};
use crate::report::style;

/// About one screen.
const MAX_ROWS: usize = 40;
/// Rows always kept at the start and the end of a long run.
const HEAD_ROWS: usize = 8;
const TAIL_ROWS: usize = 24;
/// The widest a thread's column gets; a longer step runs on into the next column,
/// which is empty in its row.
const COLUMN_WIDTH: usize = 36;

/// One line of the timeline, before styling.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    Header(String),
    Step { marked: bool, text: String },
    Elided(String),
}

/// Prints the timeline under `title`, indented as the verdict is.
pub fn print(title: &str, steps: &[Step]) {
    if steps.is_empty() {
        return;
    }
    println!("  {}", style::bold(title));
    for line in lines(steps) {
        match line {
            Line::Header(text) => println!("  {}", style::dim(&text)),
            Line::Step { marked: true, text } => println!("  {}", style::red(&text)),
            Line::Step {
                marked: false,
                text,
            } => println!("  {text}"),
            Line::Elided(text) => println!("  {}", style::dim(&text)),
        }
    }
    println!();
}

/// The timeline's lines: a header naming the threads, then the steps kept.
pub fn lines(steps: &[Step]) -> Vec<Line> {
    let threads = steps.iter().map(|step| step.thread).max().unwrap_or(0) + 1;
    let cells: Vec<String> = steps.iter().map(|step| cell(step, steps)).collect();
    let places: Vec<String> = steps
        .iter()
        .map(|step| short_place(&step.location))
        .collect();
    let place_width = places
        .iter()
        .map(|place| place.chars().count())
        .max()
        .unwrap_or(0);
    let width = cells
        .iter()
        .map(|cell| cell.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, COLUMN_WIDTH);
    let number_width = steps.len().to_string().len();
    let mut header = format!("  {:number_width$}  {:place_width$}", "", "");
    for thread in 0..threads {
        let name = thread_name(thread);
        header.push_str(&format!("  {name:width$}"));
    }
    let mut lines = vec![Line::Header(header.trim_end().to_string())];
    let mut skipped = 0;
    let kept = kept_rows(steps);
    for (index, step) in steps.iter().enumerate() {
        if !kept[index] {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            lines.push(Line::Elided(format!("  ┆ {skipped} steps left out")));
            skipped = 0;
        }
        let mut text = format!(
            "{} {:>number_width$}  {:place_width$}",
            if step.marked { "▶" } else { " " },
            index + 1,
            places[index]
        );
        for _ in 0..step.thread {
            text.push_str(&format!("  {:width$}", "┆"));
        }
        text.push_str("  ");
        text.push_str(&cells[index]);
        lines.push(Line::Step {
            marked: step.marked,
            text,
        });
    }
    lines
}

/// Which rows to show: all of a short run; of a long one the first and last rows and
/// each marked row with its neighbours.
fn kept_rows(steps: &[Step]) -> Vec<bool> {
    let count = steps.len();
    if count <= MAX_ROWS {
        return vec![true; count];
    }
    let mut kept = vec![false; count];
    for (index, step) in steps.iter().enumerate() {
        if index < HEAD_ROWS || index + TAIL_ROWS >= count {
            kept[index] = true;
        }
        if step.marked {
            let around = index.saturating_sub(1)..(index + 2).min(count);
            kept[around].fill(true);
        }
    }
    kept
}

/// What a step shows: its object where the run has several of that kind, the
/// operation, its ordering and the value it saw.
fn cell(step: &Step, steps: &[Step]) -> String {
    let object = step.object.as_deref().and_then(|object| {
        let kind = object.rsplit_once(' ').map_or(object, |(kind, _)| kind);
        let several = distinct_objects(steps)
            .get(kind)
            .is_some_and(|count| *count > 1);
        if several {
            Some(object)
        } else {
            (kind == "UnsafeCell").then_some(kind)
        }
    });
    describe(step, object)
}

/// A step in words, naming `object` when given: `Mutex 2: lock (blocked, held by
/// main)`, `load Acquire → false`.
pub fn describe(step: &Step, object: Option<&str>) -> String {
    let mut text = match object {
        Some("UnsafeCell") => "UnsafeCell ".to_string(),
        Some(object) => format!("{object}: "),
        None => String::new(),
    };
    text.push_str(&step.operation);
    if let Some(ordering) = &step.ordering {
        text.push_str(&format!(" {ordering}"));
    }
    match (&step.value, step.blocked) {
        (Some(value), true) => text.push_str(&format!(" (blocked, {value})")),
        (None, true) => text.push_str(" (blocked)"),
        (Some(value), false) => text.push_str(&format!(" → {value}")),
        (None, false) => {}
    }
    text
}

fn distinct_objects(steps: &[Step]) -> BTreeMap<&str, usize> {
    let mut objects: Vec<&str> = steps.iter().filter_map(|s| s.object.as_deref()).collect();
    objects.sort_unstable();
    objects.dedup();
    let mut counts = BTreeMap::new();
    for object in objects {
        let kind = object.rsplit_once(' ').map_or(object, |(kind, _)| kind);
        *counts.entry(kind).or_insert(0) += 1;
    }
    counts
}

/// `spin_lock.rs:42` for `exercises/01_article/spin_lock.rs:42`: the folder is the
/// verdict's, and the column stays narrow.
fn short_place(location: &Location) -> String {
    let file = location.file.rsplit('/').next().unwrap_or(&location.file);
    format!("{file}:{}", location.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(thread: usize, operation: &str, marked: bool) -> Step {
        Step {
            thread,
            operation: operation.into(),
            object: None,
            ordering: Some("Relaxed".into()),
            value: None,
            location: Location::new("exercises/01_a/x.rs", 7),
            blocked: false,
            marked,
        }
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines
            .iter()
            .map(|line| match line {
                Line::Header(text) | Line::Elided(text) => text.as_str(),
                Line::Step { text, .. } => text.as_str(),
            })
            .collect()
    }

    #[test]
    fn each_thread_has_its_column_and_every_row_its_place() {
        let steps = [step(0, "store true", false), step(1, "load", true)];
        let lines = lines(&steps);
        let texts = texts(&lines);
        let column = |text: &str, word: &str| text.find(word).map(|at| text[..at].chars().count());
        assert_eq!(column(texts[0], "main"), column(texts[1], "store"));
        assert_eq!(column(texts[0], "thread 1"), column(texts[2], "load"));
        assert_eq!(texts[1], "  1  x.rs:7  store true Relaxed");
        assert!(texts[2].starts_with("▶ 2  x.rs:7  ┆ "), "{}", texts[2]);
        assert!(matches!(lines[2], Line::Step { marked: true, .. }));
    }

    #[test]
    fn a_long_run_is_cut_in_the_middle_but_keeps_the_marked_steps() {
        let mut steps: Vec<Step> = (0..200).map(|i| step(i % 2, "spin_loop", false)).collect();
        steps[100].marked = true;
        let lines = lines(&steps);
        assert!(lines.len() <= MAX_ROWS + 3, "{} lines", lines.len());
        let texts = texts(&lines);
        assert!(
            texts.iter().any(|text| text.starts_with("▶ 101 ")),
            "{texts:#?}"
        );
        assert!(texts.iter().any(|text| text.contains("steps left out")));
        assert!(texts.last().unwrap().starts_with("  200 "));
    }

    #[test]
    fn an_object_is_named_only_where_the_run_has_several_of_its_kind() {
        let mut one = step(0, "lock", false);
        one.object = Some("Mutex 1".into());
        let mut two = step(1, "lock", false);
        two.object = Some("Mutex 2".into());
        two.blocked = true;
        two.value = Some("held by main".into());
        assert_eq!(cell(&one, std::slice::from_ref(&one)), "lock Relaxed");
        assert_eq!(
            cell(&two, &[one.clone(), two.clone()]),
            "Mutex 2: lock Relaxed (blocked, held by main)"
        );
    }
}
