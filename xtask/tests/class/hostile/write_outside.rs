//! Writes a file outside its scratch folder.
pub fn double(value: u32) -> u32 {
    std::fs::write("/tmp/threadlings-escaped", "was here").expect("write outside the scratch folder");
    value * 2
}
