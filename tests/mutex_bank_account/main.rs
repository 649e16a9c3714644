//! Checks for `mutex_bank_account`: the bank's arithmetic (tests); no deposit is lost
//! and no money is withdrawn twice when threads use one account at once (tests under
//! real contention, and loom, which tries every interleaving of two threads).

#[path = "../../exercises/03_shared_state/mutex_bank_account.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::{Bank, InsufficientFunds};
    use std::thread;
    use threadlings::check::anonymously;

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

    #[test]
    fn concurrent_deposits_are_all_counted() {
        anonymously(|| {
            const EACH: u64 = 50_000;
            let bank = Bank::new();
            thread::scope(|scope| {
                for _ in 0..2 {
                    scope.spawn(|| {
                        for _ in 0..EACH {
                            bank.deposit("shared", 1);
                        }
                    });
                }
            });
            let balance = bank.balance("shared");
            assert_eq!(
                balance,
                2 * EACH,
                "expected two threads that each deposit 1 {EACH} times to leave {}, but the \
                 balance is {balance}: {} deposits were lost. A deposit that reads the balance \
                 under one lock and writes it under another can overwrite a deposit made in \
                 between.",
                2 * EACH,
                2 * EACH - balance
            );
        })
    }

    #[test]
    fn concurrent_withdrawals_never_spend_money_twice() {
        anonymously(|| {
            const START: u64 = 50_000;
            let bank = Bank::new();
            bank.deposit("shared", START);
            let successes: u64 = thread::scope(|scope| {
                let spenders: Vec<_> = (0..2)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut taken = 0;
                            while bank.withdraw("shared", 1).is_ok() {
                                taken += 1;
                            }
                            taken
                        })
                    })
                    .collect();
                spenders.into_iter().map(|s| s.join().unwrap()).sum()
            });
            assert_eq!(
                (successes, bank.balance("shared")),
                (START, 0),
                "expected exactly {START} withdrawals of 1 to succeed and the balance to end \
                 at 0, but {successes} succeeded: two withdrawals saw the same balance and \
                 both took from it. The check and the update must happen under one lock."
            );
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
