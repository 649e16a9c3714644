//! # Capstone: a bank that cannot deadlock
//!
//! Every thread that needs two accounts locks the one with the lower index first. Two
//! transfers in opposite directions then ask for the same lock first, so one of them
//! waits before it holds anything, and no cycle of threads each holding what the next
//! one wants can form. `total` takes every lock, also in index order, and holds them
//! all while it adds, so no transfer can run half inside its sum.

use threadlings::sync::{Mutex, MutexGuard};

/// Accounts, each behind a lock of its own, so that transfers between different
/// accounts run in parallel.
pub struct Bank {
    accounts: Vec<Mutex<u64>>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TransferError {
    /// `from` and `to` are the same account.
    SameAccount,
    /// `from` holds less than the amount asked for.
    InsufficientFunds { available: u64, requested: u64 },
}

impl Bank {
    /// A bank with one account per balance, numbered from 0.
    pub fn new(balances: &[u64]) -> Bank {
        Bank {
            accounts: balances
                .iter()
                .map(|&balance| Mutex::new(balance))
                .collect(),
        }
    }

    fn lock(&self, account: usize) -> MutexGuard<'_, u64> {
        self.accounts[account]
            .lock()
            .expect("a thread panicked while it held an account")
    }

    /// The balance of one account.
    pub fn balance(&self, account: usize) -> u64 {
        *self.lock(account)
    }

    /// Runs `inspect` with the balance of `account` while holding that account's lock:
    /// no transfer touches the account until `inspect` returns, and transfers between
    /// other accounts go on meanwhile.
    pub fn audit<R>(&self, account: usize, inspect: impl FnOnce(u64) -> R) -> R {
        let balance = self.lock(account);
        inspect(*balance)
    }

    /// Moves `amount` from account `from` to account `to`, both locked for the whole
    /// move, or changes nothing and says why not. Panics if an account does not exist.
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        if from == to {
            return Err(TransferError::SameAccount);
        }
        // One global order, lower index first, whatever the direction of the transfer.
        let (mut first, mut second) = (self.lock(from.min(to)), self.lock(from.max(to)));
        let (source, target) = if from < to {
            (&mut *first, &mut *second)
        } else {
            (&mut *second, &mut *first)
        };
        if *source < amount {
            return Err(TransferError::InsufficientFunds {
                available: *source,
                requested: amount,
            });
        }
        *source -= amount;
        *target += amount;
        Ok(())
    }

    /// The sum of all balances, as one consistent snapshot: no transfer is half done
    /// in it.
    pub fn total(&self) -> u64 {
        let guards: Vec<_> = (0..self.accounts.len())
            .map(|account| self.lock(account))
            .collect();
        guards.iter().map(|balance| **balance).sum()
    }
}
