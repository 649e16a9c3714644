//! What a class report says of what it lacks: every folder of the class not graded,
//! with the reason, and a run that was interrupted. Each form shows them in its own
//! way (a CSV row, a JUnit error, a JSON list); the words are these.

use std::fmt::Write;

use crate::model::outcome::Class;

/// What an interrupted class's reports say of themselves.
pub const INCOMPLETE: &str = "incomplete: grading was interrupted, and the students it did not reach \
     are listed as not graded; `cargo xtask check --submission … --resume REPORT.json` grades them";

/// The reason given for a student the interrupted run did not reach (or did not
/// finish).
pub const INTERRUPTED: &str =
    "the run was interrupted before this student was graded (the class is incomplete)";

/// The class's omissions as lines of text: whether it is incomplete, then each folder
/// not graded and why.
pub fn lines(class: &Class) -> Vec<String> {
    let incomplete = class.incomplete.then(|| INCOMPLETE.to_string());
    incomplete
        .into_iter()
        .chain(
            class
                .not_graded
                .iter()
                .map(|entry| format!("not graded: {}: {}", entry.folder, entry.reason)),
        )
        .collect()
}

/// The class report's section: a notice when the class is incomplete, and the list of
/// folders not graded; nothing when every folder was graded.
pub fn html(class: &Class) -> String {
    use super::markup::escape;
    let mut html = String::new();
    if class.incomplete {
        let _ = writeln!(
            html,
            "<p class=\"incomplete\" id=\"incomplete\" style=\"padding:.5em 1em;background:#fff4d6;border:1px solid #e0b94c;border-radius:4px\"><strong>This class is {}</strong></p>",
            escape(INCOMPLETE)
        );
    }
    if class.not_graded.is_empty() {
        return html;
    }
    let _ = writeln!(
        html,
        "<details class=\"not-graded\" id=\"not-graded\" open><summary>{} folder(s) of the class not graded</summary><ul>",
        class.not_graded.len()
    );
    for entry in &class.not_graded {
        let _ = writeln!(
            html,
            "<li><strong>{}</strong>: {}</li>",
            escape(&entry.folder),
            escape(&entry.reason)
        );
    }
    html.push_str("</ul></details>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::outcome::NotGraded;

    #[test]
    fn an_interrupted_class_says_so_and_names_each_folder_left_out() {
        let mut class = Class::default();
        assert!(lines(&class).is_empty() && html(&class).is_empty());
        class.not_graded.push(NotGraded {
            folder: "<notes>".into(),
            reason: "no copy of the kit".into(),
        });
        assert_eq!(lines(&class), ["not graded: <notes>: no copy of the kit"]);
        assert!(html(&class).contains("<strong>&lt;notes&gt;</strong>: no copy of the kit"));
        assert!(!html(&class).contains("incomplete"));
        class.incomplete = true;
        assert_eq!(lines(&class)[0], INCOMPLETE);
        assert!(html(&class).contains("This class is incomplete"));
    }
}
