//! # Capstone: a tiny executor
//!
//! An `async fn` only builds a future; something must poll it (chapter 7). tokio is
//! such an executor; this exercise builds a small one out of chapter 2's threads and
//! parking, and chapter 4's channels.
//!
//! A future's `poll` returns `Poll::Ready(output)`, or `Poll::Pending` after arranging
//! for the `Waker` in its `Context` to be called when it can make progress (from any
//! thread). The executor's side of the bargain: poll again after a wake-up, and *not*
//! before. Polling in a loop "just in case" burns a core; parking and never coming
//! back loses the wake-up. `std::task::Wake` turns an `Arc` of your own type into a
//! `Waker`: you decide what waking does.
//!
//! - `block_on` runs one future on the calling thread. Its waker sets a flag and
//!   unparks the thread; between polls the thread parks until the flag is set (`park`
//!   may return early, so check the flag in a loop).
//! - `Executor` runs many tasks on one thread, taking turns. Each task is an `Arc<Task>`
//!   whose waker sends the task back to the executor's queue (a channel); `run` takes
//!   tasks from the queue one at a time and polls each once. It returns when every task
//!   has completed: when no task can be woken any more, nobody holds a `Sender` to
//!   the queue... provided `run` does not keep one itself.
//!
//! Write the two wakers, `block_on`'s loop, `spawn` and `run`.

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
        // TODO: record that the future was woken, then wake the thread. Which order
        // makes sure the thread sees the flag when it wakes?
        let _ = (&self.thread, &self.woken, Ordering::Release);
        todo!("set the flag, then unpark the thread")
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
    // TODO: poll the future (`future.as_mut().poll(&mut context)`); return its output
    // when it is ready. When it is pending, park until the waker's flag is set (and
    // clear the flag for next time), then poll again.
    let _ = (&mut future, &mut context, Poll::<()>::Pending);
    todo!("poll, and park between polls until woken")
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
        // TODO: put this task back on the executor's queue. If sending fails, `run`
        // has ended and nobody will poll the task again: ignore the error.
        let _ = &self.queue;
        todo!("send the task back to the queue")
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
        // TODO: make an `Arc<Task>` holding the boxed, pinned future (`Box::pin`) and a
        // clone of the scheduler, and put it on the queue.
        let _ = future;
        todo!("wrap the future in a task and queue it")
    }

    /// Polls the tasks in the order they were spawned or woken, each once per turn,
    /// until every task has completed. The thread sleeps while no task is ready.
    pub fn run(self) {
        // TODO: take each task from the queue (`recv` blocks, and so sleeps, while the
        // queue is empty) and poll its future once, with a waker made from the task
        // (`Waker::from(Arc::clone(&task))`). Drop a future that completed. The loop
        // must end when every task has completed: which `Sender` must not stay alive?
        let _ = (&self.queue, &self.scheduler);
        todo!("poll tasks from the queue until none is left")
    }
}

impl Default for Executor {
    fn default() -> Executor {
        Executor::new()
    }
}
