//! # An actor: requests on `mpsc`, replies on `oneshot`
//!
//! Instead of sharing a value behind a lock, give it to one task, the *actor*, and let
//! every other task send it requests. A `tokio::sync::mpsc` channel carries the
//! requests: it has many senders (clone them freely) and one receiver, and
//! `recv().await` waits without blocking. Each request carries a `oneshot::Sender` for
//! its reply: a channel for exactly one value, whose receiver the requester awaits.
//! The actor handles one request at a time, so no update is ever lost, and no lock is
//! needed. When every sender is gone, `recv()` returns `None`, and the actor ends.
//!
//! `total` shows the pattern. Make the actor handle `Add`, and write `add` the same way.

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// A request to the counter task, with the sender for its reply.
#[derive(Debug)]
pub enum Command {
    /// Add `amount`; reply with the new total.
    Add {
        amount: u64,
        reply: oneshot::Sender<u64>,
    },
    /// Reply with the total.
    Total { reply: oneshot::Sender<u64> },
}

/// A way to talk to the counter task. Clone it to share the counter between tasks.
#[derive(Debug, Clone)]
pub struct CounterHandle {
    commands: mpsc::Sender<Command>,
}

/// Starts the counter task. Returns a handle to send it requests, and the task's own
/// `JoinHandle`, which gives the final total once every handle has been dropped.
pub fn start_counter() -> (CounterHandle, JoinHandle<u64>) {
    let (commands, inbox) = mpsc::channel(16);
    let task = tokio::spawn(run_counter(inbox));
    (CounterHandle { commands }, task)
}

/// The actor: owns the total, and handles one request at a time until every handle is
/// gone.
async fn run_counter(mut inbox: mpsc::Receiver<Command>) -> u64 {
    let mut total = 0;
    while let Some(command) = inbox.recv().await {
        match command {
            Command::Total { reply } => {
                // The requester may have given up waiting: then there is no one to tell.
                let _ = reply.send(total);
            }
            Command::Add { amount, reply } => {
                // TODO: add `amount` to the total and reply with the new total.
                let _ = (amount, reply);
            }
        }
    }
    total
}

impl CounterHandle {
    /// The counter's total.
    pub async fn total(&self) -> u64 {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Total { reply })
            .await
            .expect("the counter task is running");
        answer.await.expect("the counter task replies")
    }

    /// Adds `amount` to the counter and returns the new total.
    pub async fn add(&self, amount: u64) -> u64 {
        // TODO: send a `Command::Add` with the sender of a new oneshot channel, then
        // await the reply on its receiver.
        let _ = amount;
        todo!("send an Add request and await its reply")
    }
}
