//! A value whose destructor panics.
struct Noisy;

impl Drop for Noisy {
    fn drop(&mut self) {
        panic!("dropped badly");
    }
}

pub fn double(value: u32) -> u32 {
    let _noisy = Noisy;
    value * 2
}
