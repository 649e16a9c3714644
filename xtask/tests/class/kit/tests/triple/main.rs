//! `triple` triples. Its submissions try to fake the verdict rather than earn it.
#[path = "../../exercises/01_class/triple.rs"]
mod exercise;

#[test]
fn triples() {
    assert_eq!(exercise::triple(7), 21, "expected 7 tripled");
}
