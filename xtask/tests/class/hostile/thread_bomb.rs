//! Starts threads until none can start.
pub fn double(value: u32) -> u32 {
    let mut threads = Vec::new();
    for _ in 0..1_000_000 {
        threads.push(std::thread::spawn(std::thread::park));
    }
    value * 2
}
