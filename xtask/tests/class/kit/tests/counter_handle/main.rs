//! `counter_handle` has compile-fail cases only.
#[path = "../../exercises/01_class/counter_handle.rs"]
mod exercise;
