//! # A lock held across `.await`
//!
//! `restock` awaits the delivery first and takes the std lock only afterwards, for the
//! one statement that updates the stock: no guard lives across an `.await`, so the
//! future is `Send`, no task ever waits on the lock for long (deliveries overlap, and the
//! stock can be read while they are on their way), and the amount is added to the stock
//! as it is at that moment, so no other update is lost.

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
    let delivered = deliver(amount).await;
    let mut stock = inventory.stock.lock().unwrap();
    *stock.entry(item.to_string()).or_default() += delivered;
}
