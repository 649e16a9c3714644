//! Triples a number.
pub fn triple(value: u32) -> u32 {
    value * 3
}
