//! # A `Mutex` around shared state
//!
//! Threads that share a value through an `Arc` can only read it: `Arc` hands out `&T`.
//! To change it, they need a lock. A `Mutex<T>` owns the value and gives it to one
//! thread at a time: `lock()` returns a guard that derefs to `&mut T` and unlocks when
//! it is dropped. A lock protects a *step*, not a value: the guard must stay alive for
//! the whole read-modify-write. Unlock between the read and the write, and another
//! thread can run its own step in the gap; one of the two updates is then lost.
//!
//! This bank keeps every balance in one map behind one `Mutex`. Its operations lock
//! twice, and lose money when two threads use the same account. Make each operation one
//! step under one lock.
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
        // TODO: `balance` locks and unlocks, and then the write locks again: another
        // deposit can run in between, and its money is overwritten. Read and write
        // under one guard.
        let current = self.balance(account);
        let mut balances = self.balances.lock().unwrap();
        balances.insert(account.to_string(), current + amount);
    }

    /// Takes `amount` from `account`, unless that would make the balance negative.
    pub fn withdraw(&self, account: &str, amount: u64) -> Result<(), InsufficientFunds> {
        // TODO: the check and the update are two steps here too: two withdrawals can
        // both see enough money and both take it. Make them one step.
        let current = self.balance(account);
        if current < amount {
            return Err(InsufficientFunds {
                needed: amount,
                available: current,
            });
        }
        let mut balances = self.balances.lock().unwrap();
        balances.insert(account.to_string(), current - amount);
        Ok(())
    }
}
