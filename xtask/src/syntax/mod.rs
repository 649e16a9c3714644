//! Reading Rust source: the policy a graded file must keep, the mutation operators
//! that make wrong answers from a solution, an exercise's public items, and what the
//! student is told.

pub mod api;
mod attributes;
pub mod hints;
pub mod likeness;
pub mod mutants;
pub mod policy;
