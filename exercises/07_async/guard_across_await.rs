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
//! The fix: finish with the guard before the `.await` (drop it, or let its block end),
//! and take the lock again afterwards for the update, adding what was delivered to the
//! stock as it is then, not to a copy read before. A `tokio::sync::Mutex`, whose
//! `lock().await` waits without blocking, would make the future `Send` even with its
//! guard held across the delivery, but then every other restock, and everyone who only
//! wants to read the stock, would wait for that delivery to arrive: deliveries that
//! could overlap would come one after another. Hold a lock, of either kind, only for as
//! long as the update takes.
//!
//! Make `restock` a future that `tokio::spawn` accepts, let restocks wait for their
//! deliveries at the same time, and keep every update.

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
