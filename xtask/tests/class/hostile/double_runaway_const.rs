//! A constant whose evaluation never ends, with the lint that would stop it allowed: the
//! compiler computes until a limit stops it.
#[allow(long_running_const_eval)]
const WASTE: u64 = {
    let mut rounds = 0u64;
    let mut value = 1u64;
    while rounds < u64::MAX {
        value = value.wrapping_mul(6364136223846793005).wrapping_add(rounds);
        rounds += 1;
    }
    value
};

pub fn double(value: u32) -> u32 {
    value * 2 + (WASTE as u32 & 0)
}
