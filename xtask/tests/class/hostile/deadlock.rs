//! Two threads take two locks in opposite orders and meet in between.
use std::sync::{Barrier, Mutex};

pub fn double(value: u32) -> u32 {
    let (a, b) = (Mutex::new(()), Mutex::new(()));
    let both_hold_one = Barrier::new(2);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let _a = a.lock().unwrap();
            both_hold_one.wait();
            let _b = b.lock().unwrap();
        });
        let _b = b.lock().unwrap();
        both_hold_one.wait();
        let _a = a.lock().unwrap();
    });
    value * 2
}
