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

