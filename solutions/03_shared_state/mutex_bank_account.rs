//! # A `Mutex` around shared state
//!
//! Each operation takes the lock once and keeps the guard until its write is done, so
//! the read, the check and the write are one step that no other thread can split: no
//! deposit is overwritten and no two withdrawals spend the same money.
//!
//! The exercise imports `Mutex` from `threadlings::sync`: std's in a normal build, and
//! loom's when the loom check explores every interleaving of two threads.

use std::collections::HashMap;
use threadlings::sync::Mutex;

#[derive(Debug, PartialEq, Eq)]
pub struct InsufficientFunds {
    pub needed: u64,
    pub available: u64,
}

#[derive(Debug, Default)]
pub struct Bank {
    balances: Mutex<HashMap<String, u64>>,
}

impl Bank {
    pub fn new() -> Self {
        Bank::default()
    }

    /// The balance of `account`; 0 for an account that has never had money.
    pub fn balance(&self, account: &str) -> u64 {
        let balances = self.balances.lock().unwrap();
        balances.get(account).copied().unwrap_or(0)
    }

    /// Adds `amount` to `account`.
    pub fn deposit(&self, account: &str, amount: u64) {
        let mut balances = self.balances.lock().unwrap();
        *balances.entry(account.to_string()).or_insert(0) += amount;
    }

    /// Takes `amount` from `account`, unless that would make the balance negative.
    pub fn withdraw(&self, account: &str, amount: u64) -> Result<(), InsufficientFunds> {
        let mut balances = self.balances.lock().unwrap();
        let balance = balances.entry(account.to_string()).or_insert(0);
        if *balance < amount {
            return Err(InsufficientFunds {
                needed: amount,
                available: *balance,
            });
        }
        *balance -= amount;
        Ok(())
    }
}
