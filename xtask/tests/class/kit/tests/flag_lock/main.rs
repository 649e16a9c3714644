//! `flag_lock` counts, and its orderings hold under loom.
#[path = "../../exercises/01_class/flag_lock.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
#[test]
fn counts() {
    let lock = exercise::FlagLock::new();
    lock.increment();
    assert_eq!(lock.get(), 1);
}

#[cfg(feature = "loom")]
#[test]
fn two_increments() {
    use threadlings::sync::Arc;
    loom::model(|| {
        let lock = Arc::new(exercise::FlagLock::new());
        let other = {
            let lock = Arc::clone(&lock);
            threadlings::thread::spawn(move || lock.increment())
        };
        lock.increment();
        other.join().unwrap();
        assert_eq!(lock.get(), 2);
    });
}
