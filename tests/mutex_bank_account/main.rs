//! Checks for `mutex_bank_account`: the bank's arithmetic (tests); no deposit is lost
//! and no money is withdrawn twice when threads use one account at once (tests under
//! real contention, kept up until the threads have interleaved often, and loom, which
//! tries every interleaving of two threads).

#[path = "../../exercises/03_shared_state/mutex_bank_account.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::{Bank, InsufficientFunds};
    use std::thread;
    use threadlings::check::{Interleavings, anonymously};

    #[test]
    fn deposits_and_withdrawals_on_one_thread() {
        anonymously(|| {
            let bank = Bank::new();
            assert_eq!(bank.balance("alice"), 0, "a new account holds nothing");
            bank.deposit("alice", 50);
            bank.deposit("alice", 25);
            assert_eq!(bank.balance("alice"), 75);
            assert_eq!(bank.withdraw("alice", 70), Ok(()));
            assert_eq!(bank.balance("alice"), 5);
            assert_eq!(
                bank.withdraw("alice", 6),
                Err(InsufficientFunds {
                    needed: 6,
                    available: 5
                }),
                "a withdrawal larger than the balance must be refused"
            );
            assert_eq!(
                bank.balance("alice"),
                5,
                "a refused withdrawal takes nothing"
            );
            assert_eq!(bank.balance("bob"), 0, "other accounts are untouched");
        })
    }

    // The racy cases below keep their threads calling until the lock has changed hands
    // between their calls often (`Interleavings`): an operation that locks twice loses
    // money only when another thread runs between its two locks, and on a busy machine
    // a fixed number of calls per thread may each finish inside one time slice, the
    // threads never overlapping. A racy operation spends most of its time outside the
    // lock in that window, so each change of hands lands in it with a probability of
    // about a half: 60 all missing it is about 1e-18 (1e-7 even at a quarter). A
    // correct lock changes hands only when its holder is preempted outside it, a few
    // tens of times a second on a busy machine: eight threads (of which the scheduler
    // then runs more at a time) get there within patience.
    const HANDOFFS: usize = 60;
    const THREADS: usize = 8;

    /// `THREADS` threads making `call` at once, each until it fails or the lock has
    /// changed hands often enough between the threads' calls: how many calls succeeded.
    fn succeeded_at_once(interleavings: &Interleavings, call: impl Fn() -> bool + Sync) -> u64 {
        thread::scope(|scope| {
            let workers: Vec<_> = (0..THREADS)
                .map(|_| {
                    scope.spawn(|| {
                        let mut worker = interleavings.worker();
                        let mut succeeded = 0;
                        while call() {
                            succeeded += 1;
                            if !worker.carry_on_after_turn() {
                                break;
                            }
                        }
                        succeeded
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).sum()
        })
    }

    #[test]
    fn concurrent_deposits_are_all_counted() {
        anonymously(|| {
            let bank = Bank::new();
            let interleavings = Interleavings::at_least(HANDOFFS);
            let deposits = succeeded_at_once(&interleavings, || {
                bank.deposit("shared", 1);
                true
            });
            let balance = bank.balance("shared");
            assert_eq!(
                balance,
                deposits,
                "expected {THREADS} threads that deposited 1, {deposits} times in all, at the same \
                 time, to leave {deposits}, but the balance is {balance}, {} short: deposits \
                 were lost. A deposit that reads the balance under one lock and writes it under \
                 another can overwrite a deposit made in between.",
                deposits.abs_diff(balance)
            );
            interleavings.assert_overlapped("deposit into one account");
        })
    }

    #[test]
    fn concurrent_withdrawals_never_spend_money_twice() {
        anonymously(|| {
            // Far more than the threads can withdraw, 1 at a time, within the check's
            // patience: none is refused, and what succeeded plus what is left must make
            // what was deposited.
            const START: u64 = 1 << 40;
            let bank = Bank::new();
            bank.deposit("shared", START);
            let interleavings = Interleavings::at_least(HANDOFFS);
            let successes =
                succeeded_at_once(&interleavings, || bank.withdraw("shared", 1).is_ok());
            let balance = bank.balance("shared");
            assert_eq!(
                successes + balance,
                START,
                "expected the {successes} withdrawals of 1 that succeeded and the balance \
                 left to add up to the {START} deposited, but {balance} is left, {} in all: \
                 two withdrawals saw the same balance and both took from it. The check and \
                 the update must happen under one lock.",
                successes + balance
            );
            interleavings.assert_overlapped("withdraw from one account");
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::Bank;
    use threadlings::sync::Arc;
    use threadlings::thread;

    #[test]
    fn two_deposits_at_once_are_both_counted() {
        loom::model(|| {
            let bank = Arc::new(Bank::new());
            let other = {
                let bank = Arc::clone(&bank);
                thread::spawn(move || bank.deposit("shared", 1))
            };
            bank.deposit("shared", 1);
            other.join().unwrap();
            assert_eq!(
                bank.balance("shared"),
                2,
                "two threads each deposited 1, but one deposit was lost: it read the \
                 balance, the lock was released, the other thread deposited, and then the \
                 first wrote back its stale sum"
            );
        });
    }

    #[test]
    fn two_withdrawals_of_the_last_coin() {
        loom::model(|| {
            let bank = Arc::new(Bank::new());
            bank.deposit("shared", 1);
            let other = {
                let bank = Arc::clone(&bank);
                thread::spawn(move || bank.withdraw("shared", 1).is_ok())
            };
            let mine = bank.withdraw("shared", 1).is_ok();
            let theirs = other.join().unwrap();
            assert!(
                mine ^ theirs,
                "the account held 1 and two threads each withdrew 1: exactly one must \
                 succeed, but {} did. Both saw the balance before either took from it.",
                if mine { "both" } else { "neither" }
            );
            assert_eq!(bank.balance("shared"), 0);
        });
    }
}
