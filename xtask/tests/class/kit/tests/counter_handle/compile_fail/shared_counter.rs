// A counter built on `Cell` must not be shared between threads.
// expect: E0277

#[path = "../../../exercises/01_class/counter_handle.rs"]
mod exercise;

fn main() {
    let counter = exercise::Counter(std::cell::Cell::new(0));
    let shared = &counter;
    std::thread::scope(|scope| {
        scope.spawn(move || shared.0.set(1));
    });
}
