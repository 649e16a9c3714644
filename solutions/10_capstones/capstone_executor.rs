//! # Capstone: a tiny executor
//!
//! `block_on`'s waker sets a flag and unparks the polling thread; the thread polls
//! again only once the flag is set, so it sleeps between wake-ups instead of spinning.
//! A wake that comes before the thread parks is not lost: the flag is already set, and
//! `unpark` leaves a token that makes the next `park` return at once.
//!
//! The `Executor`'s waker is the task itself: waking sends the task back to the queue.
//! `run` takes one task at a time from the queue and polls it once, so tasks that
//! yield take turns on the one thread. It keeps no `Sender` of its own: every sender
//! left belongs to a task that can still be woken, so when the last task is done (and
//! nothing holds its waker) the queue closes and `run` returns. A task that waits for
//! another thread keeps `recv` blocked, which parks the thread, until it is woken.

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// Wakes the thread that runs `block_on`.
struct ThreadWaker {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // The flag first: the thread checks it after every return from `park`.
        self.woken.store(true, Ordering::Release);
        self.thread.unpark();
    }
}

/// Runs `future` to completion on the calling thread and returns its output. Between
/// polls the thread parks, and polls again only after the future's waker was called
/// (from this thread or any other).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker_state = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(Arc::clone(&waker_state));
    let mut context = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        // `park` can return without an `unpark`: sleep until the flag says woken.
        while !waker_state.woken.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}

type BoxedTask = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// A spawned future and the way back to the executor's queue.
struct Task {
    /// `None` once the future has completed.
    future: Mutex<Option<BoxedTask>>,
    queue: Sender<Arc<Task>>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        // An error means `run` has ended: nobody will poll the task again anyway.
        let _ = self.queue.clone().send(self);
    }
}

/// Runs many tasks on one thread, taking turns: a task is polled when it is first
/// spawned, and again each time it is woken.
pub struct Executor {
    queue: Receiver<Arc<Task>>,
    /// Given to each task, so that waking it puts it back on the queue.
    scheduler: Sender<Arc<Task>>,
}

impl Executor {
    pub fn new() -> Executor {
        let (scheduler, queue) = mpsc::channel();
        Executor { queue, scheduler }
    }

    /// Adds a task; it first runs when `run` is called.
    pub fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        let task = Arc::new(Task {
            future: Mutex::new(Some(Box::pin(future))),
            queue: self.scheduler.clone(),
        });
        self.scheduler
            .send(task)
            .expect("the executor holds its own queue");
    }

    /// Polls the tasks in the order they were spawned or woken, each once per turn,
    /// until every task has completed. The thread sleeps while no task is ready.
    pub fn run(self) {
        let Executor { queue, scheduler } = self;
        // Only the tasks' senders are left: the queue closes when no task can be woken.
        drop(scheduler);
        for task in queue {
            let waker = Waker::from(Arc::clone(&task));
            let mut context = Context::from_waker(&waker);
            let mut slot = task.future.lock().expect("no task panics while polled");
            let completed = match slot.as_mut() {
                Some(future) => future.as_mut().poll(&mut context).is_ready(),
                // Woken again after it completed: nothing left to do.
                None => false,
            };
            if completed {
                // Drop the future, and with it what it owned.
                *slot = None;
            }
        }
    }
}

impl Default for Executor {
    fn default() -> Executor {
        Executor::new()
    }
}
