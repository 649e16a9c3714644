//! # `join!`: a fixed set of futures, awaited together
//!
//! A dashboard needs three things about a user: a name, a list of orders and a
//! balance. Each comes from a different service, takes a different time, and has a
//! different type. Awaiting them one after another makes the user wait for the sum of
//! the three delays. `tokio::join!` takes the futures, polls them all by turns on the
//! current task, and returns their results as a tuple once every one is done: their
//! waits overlap, so the whole takes as long as the slowest. No thread is added: this
//! is concurrency on one thread.
//!
//! `tokio::join!` polls the three fetches by turns on this one task: their waits overlap,
//! so the dashboard is ready when the slowest service answers (500 ms), not after the sum
//! of the three delays (1 s). The tuple keeps each result's own type.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub name: String,
    pub orders: Vec<u32>,
    pub balance_cents: i64,
}

/// The profile service answers in 300 ms.
pub async fn fetch_name(user: u32) -> String {
    tokio::time::sleep(Duration::from_millis(300)).await;
    format!("user-{user}")
}

/// The order service answers in 500 ms.
pub async fn fetch_orders(user: u32) -> Vec<u32> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    vec![user * 10 + 1, user * 10 + 2]
}

/// The billing service answers in 200 ms.
pub async fn fetch_balance(user: u32) -> i64 {
    tokio::time::sleep(Duration::from_millis(200)).await;
    i64::from(user) * 100 - 50
}

pub async fn load_dashboard(user: u32) -> Dashboard {
    let (name, orders, balance_cents) =
        tokio::join!(fetch_name(user), fetch_orders(user), fetch_balance(user));
    Dashboard {
        name,
        orders,
        balance_cents,
    }
}
