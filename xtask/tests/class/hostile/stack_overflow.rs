//! Recurses without end.
fn depth(level: u64) -> u64 {
    std::hint::black_box(depth(std::hint::black_box(level + 1))) + 1
}

pub fn double(value: u32) -> u32 {
    depth(0) as u32 + value
}
