//! A future's polls, watched: how long they held their thread, and polling by hand with
//! a waker that counts its wakes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long, in real time, the polls of a future may hold their thread before a check
/// calls it blocked. A future that awaits gives its thread back within microseconds;
/// half a second is a generous margin for a busy machine, and a blocking second (a
/// `std::thread::sleep` kept before an awaited timer, say) is always over it. The
/// paused clock of a tokio test cannot show blocking: it does not move while the
/// thread is blocked.
pub const HELD_TOO_LONG: Duration = Duration::from_millis(500);

/// Awaits `future` and measures how long, in real time, its polls held the thread,
/// summed over every poll: the time during which nothing else could run there.
pub async fn thread_time<F: std::future::Future>(future: F) -> (F::Output, Duration) {
    let mut future = std::pin::pin!(future);
    let mut held = Duration::ZERO;
    let output = std::future::poll_fn(|context| {
        let start = Instant::now();
        let poll = future.as_mut().poll(context);
        held += start.elapsed();
        poll
    })
    .await;
    (output, held)
}

/// A waker that counts how often it was woken, to poll a future by hand and see whether
/// it asked to be polled again.
#[derive(Debug, Default)]
pub struct WakeCounter {
    wakes: AtomicUsize,
    /// Taken to wait for a wake, and to announce one.
    waiting: Mutex<()>,
    woken: Condvar,
}

impl std::task::Wake for WakeCounter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let _waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.woken.notify_all();
    }
}

impl WakeCounter {
    /// A counter and a waker that counts into it.
    pub fn new() -> (Arc<WakeCounter>, std::task::Waker) {
        let counter = Arc::new(WakeCounter::default());
        let waker = std::task::Waker::from(Arc::clone(&counter));
        (counter, waker)
    }

    /// How often the waker (or a clone of it) was woken.
    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }

    /// Waits at most `patience` until the waker has been woken more than `seen` times
    /// in all (from any thread), and says whether it was.
    pub fn woken_after(&self, seen: usize, patience: Duration) -> bool {
        let waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        let _waiting = self
            .woken
            .wait_timeout_while(waiting, patience, |_| self.wakes() <= seen)
            .unwrap_or_else(PoisonError::into_inner);
        self.wakes() > seen
    }
}

/// Polls `future` once with `waker`, as a runtime would.
pub fn poll_once<F: Future + Unpin>(
    future: &mut F,
    waker: &std::task::Waker,
) -> std::task::Poll<F::Output> {
    std::pin::Pin::new(future).poll(&mut std::task::Context::from_waker(waker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_time_counts_only_the_time_spent_in_polls() {
        use std::future::Future;
        let blocking = async {
            std::thread::sleep(Duration::from_millis(20));
            7
        };
        let (value, held) = futures::executor::block_on(thread_time(blocking));
        assert_eq!(value, 7);
        assert!(held >= Duration::from_millis(20), "held {held:?}");

        // Waiting 20 ms between two polls: that time is spent waiting, not polling.
        let (send, receive) = futures::channel::oneshot::channel();
        let start = Instant::now();
        let mut waiting = std::pin::pin!(thread_time(async { receive.await.unwrap() }));
        let waker = futures::task::noop_waker();
        let mut context = std::task::Context::from_waker(&waker);
        assert!(waiting.as_mut().poll(&mut context).is_pending());
        std::thread::sleep(Duration::from_millis(20));
        send.send(8).unwrap();
        let std::task::Poll::Ready((value, held)) = waiting.as_mut().poll(&mut context) else {
            panic!("the value was sent");
        };
        let elapsed = start.elapsed();
        assert_eq!(value, 8);
        assert!(
            held + Duration::from_millis(20) <= elapsed,
            "held {held:?} of {elapsed:?}"
        );
    }

    #[test]
    fn a_wake_counter_counts_wakes_of_its_clones() {
        let (counter, waker) = WakeCounter::new();
        waker.wake_by_ref();
        let clone = waker.clone();
        clone.wake();
        assert_eq!(counter.wakes(), 2);
        assert!(
            counter.woken_after(1, Duration::ZERO),
            "woken twice, more than once"
        );
        assert!(!counter.woken_after(2, Duration::from_millis(10)));
        let from_elsewhere = Arc::clone(&counter);
        std::thread::spawn(move || std::task::Waker::from(from_elsewhere).wake());
        assert!(counter.woken_after(2, Duration::from_secs(5)));
        let mut ready = std::future::ready(5);
        assert_eq!(poll_once(&mut ready, &waker), std::task::Poll::Ready(5));
    }
}
