//! # A lock held across `.await`
//!
//! `tokio::spawn` may move a task from one worker thread to another at any `.await`, so
//! everything the task holds across an await must be `Send`. A `std::sync::MutexGuard`
//! is not: the lock must be released by the thread that took it. An `async fn` that
//! keeps a std guard alive across an `.await` therefore builds a future that is not
//! `Send`, and `tokio::spawn` rejects it ("future cannot be sent between threads
//! safely"). On a single thread it is no better: while the task waits with the lock
//! held, another task that wants the lock blocks the thread, and the task holding it
//! never gets to run again.
//!
//! Two fixes: finish with the std guard before the `.await` (drop it, or let its block
//! end), taking the lock again afterwards if needed; or use `tokio::sync::Mutex`, whose
//! `lock().await` waits without blocking and whose guard may be held across awaits.
//! Either way, add what was delivered to the stock as it is when the delivery arrives,
//! not to a copy read before.
//!
//! Make `restock` a future that `tokio::spawn` accepts, and keep every update.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Stock counts per item, shared by the tasks that restock it.
#[derive(Debug, Default)]
pub struct Inventory {
    stock: Mutex<HashMap<String, u32>>,
}

impl Inventory {
    pub fn new() -> Arc<Inventory> {
        Arc::new(Inventory::default())
    }

    /// How many of `item` are in stock.
    pub async fn count(&self, item: &str) -> u32 {
        let stock = self.stock.lock().unwrap();
        stock.get(item).copied().unwrap_or(0)
    }
}

/// A delivery of `amount` items: it arrives after one second.
pub async fn deliver(amount: u32) -> u32 {
    tokio::time::sleep(Duration::from_secs(1)).await;
    amount
}

/// Waits for a delivery of `amount` of `item`, then adds it to the stock.
pub async fn restock(inventory: Arc<Inventory>, item: &'static str, amount: u32) {
    let mut stock = inventory.stock.lock().unwrap();
    // TODO: the guard `stock` is held across this `.await`: the future is not `Send`,
    // and another task that wants the lock meanwhile blocks the thread.
    let delivered = deliver(amount).await;
    *stock.entry(item.to_string()).or_default() += delivered;
}
