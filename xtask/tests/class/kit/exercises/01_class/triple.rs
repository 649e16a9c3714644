//! Triples a number.
pub fn triple(_value: u32) -> u32 {
    todo!("triple the value")
}
