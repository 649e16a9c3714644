//! # Lock ordering, and how two locks deadlock
//!
//! Every transfer locks the account with the lower id first, whichever way the money
//! goes. A thread that waits for a lock therefore only ever holds locks of lower ids,
//! so no cycle of threads waiting for each other can form, and no deadlock. A transfer
//! from an account to itself changes nothing and locks it once, to check the amount.
//!
//! The exercise imports its types from `threadlings::sync` so that loom can explore
//! every interleaving of two opposite transfers.

use threadlings::sync::Mutex;

#[derive(Debug, PartialEq, Eq)]
pub struct InsufficientFunds {
    pub needed: u64,
    pub available: u64,
}

pub struct Account {
    /// Unique within the bank.
    id: u32,
    balance: Mutex<u64>,
}

impl Account {
    pub fn new(id: u32, balance: u64) -> Self {
        Account {
            id,
            balance: Mutex::new(balance),
        }
    }

    pub fn balance(&self) -> u64 {
        *self.balance.lock().unwrap()
    }
}

/// Moves `amount` from `from` to `to`, holding both accounts' locks, unless `from` holds
/// less than `amount`.
pub fn transfer(from: &Account, to: &Account, amount: u64) -> Result<(), InsufficientFunds> {
    let insufficient = |available: u64| InsufficientFunds {
        needed: amount,
        available,
    };
    if from.id == to.id {
        let balance = from.balance();
        return if balance < amount {
            Err(insufficient(balance))
        } else {
            Ok(())
        };
    }
    // The lower id first, in every transfer.
    let (mut from_balance, mut to_balance) = if from.id < to.id {
        let from_balance = from.balance.lock().unwrap();
        (from_balance, to.balance.lock().unwrap())
    } else {
        let to_balance = to.balance.lock().unwrap();
        (from.balance.lock().unwrap(), to_balance)
    };
    if *from_balance < amount {
        return Err(insufficient(*from_balance));
    }
    *from_balance -= amount;
    *to_balance += amount;
    Ok(())
}
