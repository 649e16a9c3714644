//! `double` doubles.
#[path = "../../exercises/01_class/double.rs"]
mod exercise;

#[test]
fn doubles() {
    assert_eq!(exercise::double(21), 42, "expected 21 doubled");
}
