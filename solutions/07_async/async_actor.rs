//! # An actor: requests on `mpsc`, replies on `oneshot`
//!
//! The counter task owns the total and handles requests one at a time, in the order
//! they arrive, so concurrent `add`s never lose an update and need no lock. Each request
//! carries a oneshot sender that the actor answers; the loop ends when `recv()` returns
//! `None`, that is once every handle (every `mpsc::Sender`) has been dropped.

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
                total += amount;
                let _ = reply.send(total);
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
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Add { amount, reply })
            .await
            .expect("the counter task is running");
        answer.await.expect("the counter task replies")
    }
}
