//! The runner's integration tests, one binary with a module per area: the crate and its
//! dependencies are linked once, not once per area. `cargo test -p xtask --test it
//! AREA::` runs one area; the tests that need what a fresh machine lacks (Chromium,
//! xmllint) or that take minutes (the kit's self-check, the handout's own build, the
//! walk of the course, the classes graded for real) are `#[ignore]`d with the reason,
//! and `.ci/run` runs them.

mod common;

mod cli;
mod consumers;
mod containment;
mod course;
mod grading;
mod handout;
mod html_report;
mod interrupt;
mod interrupted_class;
mod junit_schema;
mod reports;
mod shards;
mod tidy;
mod verdicts;
