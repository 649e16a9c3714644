//! # Lock ordering, and how two locks deadlock
//!
//! The bank of `mutex_bank_account` kept every balance behind one lock, so that only
//! one transfer could run at a time anywhere in the bank. Here every account has a lock
//! of its own, so transfers between different accounts run in parallel. A transfer
//! must hold *both* of its accounts' locks, so that nobody sees the money gone from one
//! account and not yet in the other.
//!
//! Holding two locks brings a new danger. If one thread moves money from A to B (it
//! locks A, then B) while another moves money from B to A (it locks B, then A), each
//! can take its first lock and then wait forever for the lock that the other holds: a
//! deadlock. The cure is a global order: every thread that takes several locks takes
//! them in the same order, here by account id, whichever way the money goes. Then no
//! thread can hold a later lock while waiting for an earlier one.
//!
//! Make `transfer` take the two locks in a global order. A transfer from an account to
//! itself must not lock that account twice: it changes nothing.
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
    // TODO: two transfers in opposite directions take these two locks in opposite
    // orders. Take them in the order of the account ids instead. And a transfer from an
    // account to itself would lock the same mutex twice.
    let mut from_balance = from.balance.lock().unwrap();
    let mut to_balance = to.balance.lock().unwrap();
    if *from_balance < amount {
        return Err(InsufficientFunds {
            needed: amount,
            available: *from_balance,
        });
    }
    *from_balance -= amount;
    *to_balance += amount;
    Ok(())
}
