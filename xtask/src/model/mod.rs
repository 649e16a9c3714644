//! The kit's data: the catalog, where exercise files come from, submissions, the
//! results of a run, the record of what passes as shipped, and the student's progress.

pub mod catalog;
pub mod handout;
pub mod kit;
pub mod listing;
pub mod location;
pub mod outcome;
pub mod progress;
pub mod shipped;
pub mod submission;
