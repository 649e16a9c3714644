// A `Tally` must not be shared between threads: two threads recording into it at once
// would both read a `Cell`, add, and write back, and one update would be lost. Its
// `Cell`s make it `Send` but not `Sync`, and no `unsafe impl Sync` may promise
// otherwise. Keep it a plain single-thread handle (no atomics or locks in it): each
// thread fills a `Tally` of its own.
// expect: E0277

#[path = "../../../exercises/05_send_sync/handle_not_sync.rs"]
mod exercise;

fn main() {
    let tally = exercise::Tally::new();
    let shared = &tally;
    std::thread::scope(|scope| {
        scope.spawn(move || shared.record(1));
        shared.record(2);
    });
}
