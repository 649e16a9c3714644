//! Checks for `handmade_future`: polled by hand with a waker that counts its wakes, the
//! countdown returns `Pending` without waking itself (no busy polling), ticks that do not
//! reach zero wake nobody, the tick that reaches zero wakes the waker of the latest poll,
//! from another thread, and the next poll is `Ready`; on a runtime, it completes after
//! ticks from another thread, polled exactly twice however long the ticks take to come.
//! A loom model tries every interleaving of a poll with a tick on another thread: the
//! last tick's wake-up is never lost between checking the count and storing the waker.

#[path = "../../exercises/07_async/handmade_future.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::mpsc;
    use std::task::{Context, Poll};
    use std::thread;
    use std::time::Duration;
    use threadlings::check::{
        PATIENCE, WakeCounter, anonymously, poll_once as poll_with, returns_within,
    };

    #[test]
    fn a_first_poll_is_pending_and_does_not_wake_itself() {
        anonymously(|| {
            let (mut countdown, _ticker) = exercise::countdown(3);
            let (counter, waker) = WakeCounter::new();
            let poll = poll_with(&mut countdown, &waker);
            assert!(
                poll.is_pending(),
                "expected `Pending` from a countdown that nobody has ticked"
            );
            assert_eq!(
                counter.wakes(),
                0,
                "expected `poll` to return `Pending` without waking anyone, but it woke its own \
             waker: the runtime would poll it again at once, and again, busy polling until the \
             countdown ends. Store the waker and let the last tick wake it"
            );
        })
    }

    #[test]
    fn the_last_tick_on_another_thread_wakes_the_task() {
        anonymously(|| {
            let (mut countdown, ticker) = exercise::countdown(3);
            let (counter, waker) = WakeCounter::new();
            assert!(poll_with(&mut countdown, &waker).is_pending());
            let wakes_before = counter.wakes();
            thread::spawn(move || {
                ticker.tick();
                ticker.tick();
                ticker.tick();
            })
            .join()
            .expect("the ticking thread");
            assert!(
                counter.wakes() > wakes_before,
                "expected the tick that reached zero to wake the waker that `poll` was given, but \
             it was not woken: a runtime would never poll this future again. Store the waker \
             in `poll` and call `wake()` on it in `tick`"
            );
            assert!(
                poll_with(&mut countdown, &waker).is_ready(),
                "expected `Ready` after three ticks of a countdown from 3"
            );
        })
    }

    #[test]
    fn the_waker_of_the_latest_poll_is_woken() {
        anonymously(|| {
            let (mut countdown, ticker) = exercise::countdown(1);
            let (first, first_waker) = WakeCounter::new();
            let (latest, latest_waker) = WakeCounter::new();
            assert!(poll_with(&mut countdown, &first_waker).is_pending());
            // The task moved: it is polled again with another waker.
            assert!(poll_with(&mut countdown, &latest_waker).is_pending());
            let latest_before = latest.wakes();
            let first_before = first.wakes();
            ticker.tick();
            assert!(
                latest.wakes() > latest_before,
                "expected the last tick to wake the waker of the latest poll, but it was not \
             woken{}: `poll` kept an older waker. Replace the stored waker on every poll",
                if first.wakes() > first_before {
                    " (the first poll's waker was)"
                } else {
                    ""
                }
            );
        })
    }

    /// Counts the polls of the future it wraps, and says when the first poll returned
    /// `Pending`.
    struct CountPolls<F> {
        inner: F,
        polls: usize,
        first_pending: Option<mpsc::Sender<()>>,
    }

    impl<F: Future<Output = ()> + Unpin> Future for CountPolls<F> {
        type Output = usize;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
            self.polls += 1;
            match Pin::new(&mut self.inner).poll(cx) {
                Poll::Ready(()) => Poll::Ready(self.polls),
                Poll::Pending => {
                    if let Some(first_pending) = self.first_pending.take() {
                        let _ = first_pending.send(());
                    }
                    Poll::Pending
                }
            }
        }
    }

    #[test]
    fn ticks_that_do_not_reach_zero_wake_nobody() {
        anonymously(|| {
            let (mut countdown, ticker) = exercise::countdown(3);
            let (counter, waker) = WakeCounter::new();
            assert!(poll_with(&mut countdown, &waker).is_pending());
            ticker.tick();
            ticker.tick();
            let early = counter.wakes();
            ticker.tick();
            let at_zero = counter.wakes() - early;
            assert_eq!(
                early, 0,
                "expected the first two ticks of a countdown from 3 to wake nobody, but they woke \
             the waker {early} times: each wake-up makes the runtime poll the task, which can \
             only return `Pending` again (polled in vain). Wake only when the count reaches \
             zero"
            );
            assert_eq!(
                at_zero, 1,
                "expected the tick that reached zero to wake the waker once, but it woke it \
             {at_zero} times"
            );
        })
    }

    #[test]
    fn the_runtime_completes_it_after_ticks_from_another_thread() {
        anonymously(|| {
            let (countdown, ticker) = exercise::countdown(3);
            let (first_pending, waiting) = mpsc::channel();
            // Ticks only once the task is waiting, so that the ticks must wake it, and only
            // after a quiet spell in which nothing happens: the task must sleep through it.
            thread::spawn(move || {
                if waiting.recv().is_ok() {
                    // The quiet spell: a future that arranges to be woken by anything but the
                    // last tick (a thread that wakes it after a short nap, say) gets polled in
                    // vain meanwhile. Its length only decides how likely such a poll is to be
                    // seen: a correct future is polled twice however long it is.
                    thread::sleep(QUIET_SPELL);
                    for _ in 0..3 {
                        ticker.tick();
                    }
                }
            });
            // The runtime runs on a thread of its own, so that a task that is never woken can be
            // reported here instead of hanging the check.
            let polls = returns_within(PATIENCE, move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .expect("a tokio runtime");
                runtime.block_on(CountPolls {
                    inner: countdown,
                    polls: 0,
                    first_pending: Some(first_pending),
                })
            });
            let polls = polls.unwrap_or_else(|| {
                panic!(
                    "expected the countdown to complete on the runtime once another thread had \
                 ticked it down, but it was still pending {PATIENCE:?} later: nobody woke the \
                 task, so the runtime never polled it again. `tick` must wake the stored waker"
                )
            });
            assert!(
                polls <= 2,
                "expected the countdown to be polled twice: once to find it pending, and once more \
             when the last tick woke it. But it was polled {polls} times, in vain: something \
             woke the task while nothing had changed ({QUIET_SPELL:?} passed before the first \
             tick). A future that wakes itself, at once or after a nap, is busy polling; only \
             the tick that reaches zero should wake it"
            );
        })
    }

    /// How long the ticking thread waits before it ticks: long enough for a future that wakes
    /// itself after a short nap to be polled again meanwhile.
    const QUIET_SPELL: Duration = Duration::from_millis(200);
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise;
    use threadlings::check::{WakeCounter, poll_once};
    use threadlings::thread;

    #[test]
    fn the_last_tick_is_never_lost() {
        loom::model(|| {
            let (mut countdown, ticker) = exercise::countdown(1);
            let (counter, waker) = WakeCounter::new();
            let ticking = thread::spawn(move || ticker.tick());
            let first = poll_once(&mut countdown, &waker);
            ticking.join().unwrap();
            if first.is_pending() {
                assert!(
                    counter.wakes() > 0,
                    "expected the last tick, made on another thread while `poll` ran, to \
                     leave `poll` either `Ready` or with its waker woken, but `poll` \
                     returned `Pending` and nobody woke the waker: the wake-up was lost, and \
                     the task would never be polled again. The tick came between `poll` \
                     reading the count and storing the waker, and found no waker to wake. \
                     Check the count and store the waker under one lock"
                );
            }
            assert!(
                poll_once(&mut countdown, &waker).is_ready(),
                "expected `Ready` once the countdown from 1 had been ticked"
            );
        });
    }

    #[test]
    fn a_tick_during_a_second_poll_wakes_the_latest_waker() {
        loom::model(|| {
            let (mut countdown, ticker) = exercise::countdown(1);
            let (_, first_waker) = WakeCounter::new();
            let (latest, latest_waker) = WakeCounter::new();
            assert!(poll_once(&mut countdown, &first_waker).is_pending());
            let ticking = thread::spawn(move || ticker.tick());
            let second = poll_once(&mut countdown, &latest_waker);
            ticking.join().unwrap();
            if second.is_pending() {
                assert!(
                    latest.wakes() > 0,
                    "expected the last tick, made on another thread while a second poll \
                     with a new waker ran, to leave that poll `Ready` or its new waker woken, \
                     but the poll returned `Pending` and the new waker was never woken: the \
                     wake-up was lost (or went to the old waker). Check the count and \
                     replace the waker under one lock"
                );
            }
        });
    }
}
