//! # Capstone: a bank that cannot deadlock
//!
//! Each account has a lock of its own, so transfers between different accounts run in
//! parallel. A transfer must hold both of its accounts for the whole move, or another
//! thread could see the money gone from one and not yet arrived in the other. That
//! raises chapter 3's danger: thread A moves money from account 0 to 1 and locks 0;
//! thread B moves money from 1 to 0 and locks 1; each now waits for the lock the other
//! holds, forever. A deadlock needs such a cycle, and a *lock order* prevents it: if
//! every thread takes the locks it needs in one global order (lower account index
//! first, whatever the direction of the money), nobody can hold a later lock while
//! waiting for an earlier one.
//!
//! Write `transfer` and `total`; `new`, `balance` and `audit` are given. A loom model
//! (chapter 6) runs two opposite transfers in every interleaving: locking in argument
//! order deadlocks there, every time. The checks also hold one account with `audit`
//! while transfers run: a transfer that touches that account must wait, and transfers
//! between two other accounts must go on, so a lock over the whole bank does not pass.
//!
//! This exercise imports `Mutex` from `threadlings::sync` so that loom can check it:
//! it is std's own in a normal build.

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
        // TODO: refuse a transfer to the same account (what would locking it twice do?).
        // Lock both accounts in one global order, lower index first, whatever the
        // direction; then check the funds and move the money while holding both.
        let _ = (from, to, amount);
        todo!("lock both accounts in index order, then move the money")
    }

    /// The sum of all balances, as one consistent snapshot: no transfer is half done
    /// in it.
    pub fn total(&self) -> u64 {
        // TODO: adding the balances one lock at a time can count money twice, or not at
        // all, while a transfer runs. Hold every account's lock (taken in index order,
        // like a transfer) while you add.
        todo!("lock every account, in order, then add")
    }
}
