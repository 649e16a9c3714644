//! Prints 100 MB, then answers correctly.
pub fn double(value: u32) -> u32 {
    let line = "x".repeat(1023);
    for _ in 0..100 * 1024 {
        println!("{line}");
    }
    value * 2
}
