//! Two threads hand a turn back and forth forever: busy, and never done.
use std::sync::atomic::{AtomicBool, Ordering};

pub fn double(value: u32) -> u32 {
    let turn = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| loop {
            let _ = turn.compare_exchange(true, false, Ordering::SeqCst, Ordering::SeqCst);
        });
        loop {
            let _ = turn.compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst);
        }
    });
    #[allow(unreachable_code)]
    value
}
