//! Reading Rust source: the policy a graded file must keep, and the mutation
//! operators that make wrong answers from a solution.

mod attributes;
pub mod likeness;
pub mod mutants;
pub mod policy;
