//! Reading Rust source: the policy a graded file must keep, the mutation operators
//! that make wrong answers from a solution, an exercise's public items, what the
//! student is told, the order of a check file's tests, and the places in a student's
//! file that a verdict points at.

pub mod api;
mod attributes;
pub mod hints;
pub mod likeness;
pub mod mutants;
pub mod places;
pub mod policy;
pub mod test_order;

#[cfg(test)]
mod tests {
    /// A file of 200,000 nested parentheses overflowed the readers' stacks: the
    /// grader aborted before grading anyone.
    #[test]
    fn brackets_nested_past_the_limit_are_found_at_their_line() {
        let deep = format!(
            "fn f() {{\n{}{}\n}}\n",
            "(".repeat(200_000),
            ")".repeat(200_000)
        );
        assert_eq!(crate::model::kit::nested_too_deep(&deep), Some(2));
        let fine = "fn f() { let _ = ((1, [2, 3]), {4}); }\n";
        assert_eq!(crate::model::kit::nested_too_deep(fine), None);
        assert_eq!(super::likeness::fingerprint(&deep).len(), 16);
        assert_eq!(crate::model::shipped::fingerprint(&deep).len(), 16);
        assert!(super::places::todos(&deep).is_empty());
    }
}
