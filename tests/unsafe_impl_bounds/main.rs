//! Checks for `unsafe_impl_bounds`: a `RawBox` owns, frees and gives back its value
//! (tests); it can move to another thread and be shared between threads, including
//! boxes of values that are only `Send` or only `Sync` (tests: these do not compile
//! while the promises are missing or demand too much); and an `Rc`, a `Cell` or a
//! `MutexGuard` cannot cross threads inside one (compile-fail: the promises must not
//! be too loose).

#[path = "../../exercises/05_send_sync/unsafe_impl_bounds.rs"]
mod exercise;

use exercise::RawBox;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Mutex;
use std::thread;

/// Counts its drops in a shared counter.
struct DropCounter(Rc<Cell<u32>>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn owns_frees_and_gives_back_its_value() {
    let mut boxed = RawBox::new(vec![1, 2]);
    boxed.push(3);
    assert_eq!(
        *boxed,
        [1, 2, 3],
        "expected the value changed through the box"
    );
    assert_eq!(boxed.into_inner(), [1, 2, 3]);

    let drops = Rc::new(Cell::new(0));
    drop(RawBox::new(DropCounter(Rc::clone(&drops))));
    assert_eq!(
        drops.get(),
        1,
        "expected dropping the box to drop its value once"
    );
}

#[test]
fn a_box_moves_to_another_thread() {
    let boxed = RawBox::new(String::from("made here"));
    // If this does not compile, `RawBox<String>` is not `Send`.
    let boxed = thread::spawn(move || {
        let mut boxed = boxed;
        boxed.push_str(", changed there");
        boxed
    })
    .join()
    .expect("the thread that changed the box panicked");
    assert_eq!(boxed.into_inner(), "made here, changed there");
}

#[test]
fn a_box_is_shared_between_threads() {
    let boxed = RawBox::new((1..=100).collect::<Vec<u64>>());
    let sums: Vec<u64> = thread::scope(|scope| {
        // If this does not compile, `RawBox<Vec<u64>>` is not `Sync`.
        let readers: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| boxed.iter().sum::<u64>()))
            .collect();
        readers
            .into_iter()
            .map(|reader| reader.join().expect("a reading thread panicked"))
            .collect()
    });
    assert_eq!(
        sums,
        [5050, 5050],
        "expected both threads to read the same numbers"
    );
}

/// A `Cell` may move between threads but not be shared: a box of one may move too.
#[test]
fn a_box_of_a_value_that_is_send_but_not_sync_moves() {
    let boxed = RawBox::new(Cell::new(1));
    // If this does not compile, `Send` for `RawBox<T>` asks more of `T` than `T: Send`.
    let value = thread::spawn(move || {
        boxed.set(2);
        boxed.into_inner().get()
    })
    .join()
    .expect("the thread that set the cell panicked");
    assert_eq!(value, 2);
}

/// A `MutexGuard` may be shared between threads but not move to another (the thread
/// that locked must unlock): a box of one may be shared too.
#[test]
fn a_box_of_a_value_that_is_sync_but_not_send_is_shared() {
    let lock = Mutex::new(7);
    let boxed = RawBox::new(lock.lock().expect("a fresh mutex"));
    let seen: Vec<i32> = thread::scope(|scope| {
        let boxed = &boxed;
        // If this does not compile, `Sync` for `RawBox<T>` asks more of `T` than
        // `T: Sync`.
        let readers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(move || {
                    let value: &i32 = boxed;
                    *value
                })
            })
            .collect();
        readers
            .into_iter()
            .map(|reader| reader.join().expect("a reading thread panicked"))
            .collect()
    });
    assert_eq!(
        seen,
        [7, 7],
        "expected both threads to read the guarded value"
    );
}
