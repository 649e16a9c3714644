//! A constant of 64 GiB: the compiler tries to build it in memory.
const HUGE: [u8; 1 << 36] = [0; 1 << 36];

pub fn double(value: u32) -> u32 {
    value * 2 + u32::from(HUGE[12345])
}
