//! Checks for `lock_ordering_transfer`: transfers move money and refuse overdrafts, a
//! transfer to the same account does not deadlock, and opposite transfers on two
//! threads neither deadlock nor create or destroy money (tests, under real contention);
//! in no interleaving of two opposite transfers do the threads deadlock, in none do two
//! transfers out of one account both take the same money, and in none does another
//! thread see the money gone from one account and not yet in the other, or in the other
//! before it has left the first (loom).

#[path = "../../exercises/03_shared_state/lock_ordering_transfer.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::{Account, InsufficientFunds, transfer};
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::thread;
    use threadlings::check::anonymously;

    #[test]
    fn a_transfer_moves_money_or_refuses() {
        anonymously(|| {
            let alice = Account::new(1, 100);
            let bob = Account::new(2, 0);
            assert_eq!(transfer(&alice, &bob, 30), Ok(()));
            assert_eq!((alice.balance(), bob.balance()), (70, 30));
            assert_eq!(transfer(&bob, &alice, 10), Ok(()));
            assert_eq!((alice.balance(), bob.balance()), (80, 20));
            assert_eq!(
                transfer(&bob, &alice, 21),
                Err(InsufficientFunds {
                    needed: 21,
                    available: 20
                }),
                "a transfer larger than the balance must be refused"
            );
            assert_eq!(
                (alice.balance(), bob.balance()),
                (80, 20),
                "a refused transfer moves nothing"
            );
        })
    }

    #[test]
    fn a_transfer_to_the_same_account_changes_nothing() {
        anonymously(|| {
            // Locking one `Mutex` twice on one thread never returns: if this test times
            // out, `transfer` locked the account once as `from` and again as `to`.
            let alice = Account::new(1, 100);
            assert_eq!(transfer(&alice, &alice, 40), Ok(()));
            assert_eq!(alice.balance(), 100);
            assert_eq!(
                transfer(&alice, &alice, 101),
                Err(InsufficientFunds {
                    needed: 101,
                    available: 100
                })
            );
        })
    }

    #[test]
    fn opposite_transfers_on_two_threads_finish_and_keep_the_total() {
        anonymously(|| {
            // If this test times out, the two threads deadlocked: each held one account's
            // lock and waited for the other's.
            const ROUNDS: u32 = 20_000;
            let alice = Account::new(1, 1_000);
            let bob = Account::new(2, 1_000);
            // Each thread goes on until both have made their rounds, so that the two run
            // at the same time even on a busy machine, where one could otherwise finish
            // before the other starts.
            let done = [AtomicU32::new(0), AtomicU32::new(0)];
            let both_done = || {
                done.iter()
                    .all(|rounds| rounds.load(Ordering::Relaxed) >= ROUNDS)
            };
            thread::scope(|scope| {
                scope.spawn(|| {
                    while !both_done() {
                        let _ = transfer(&alice, &bob, 3);
                        done[0].fetch_add(1, Ordering::Relaxed);
                    }
                });
                scope.spawn(|| {
                    while !both_done() {
                        let _ = transfer(&bob, &alice, 2);
                        done[1].fetch_add(1, Ordering::Relaxed);
                    }
                });
            });
            let total = alice.balance() + bob.balance();
            assert_eq!(
                total, 2_000,
                "transfers must move money, never create or destroy it, but the two accounts \
                 now hold {total} together instead of 2000"
            );
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::{Account, transfer};
    use threadlings::sync::Arc;
    use threadlings::thread;

    /// Moves 3 from alice (10) to bob (10) on another thread, while this thread reads
    /// the two balances one after the other, `alice_first` or bob first, and returns
    /// the total it saw. A transfer that holds both locks moves the money in one step:
    /// reading alice first can then only miss the money on alice's side (a total of 20
    /// or 23); reading bob first, only on bob's side (20 or 17).
    fn total_seen_during_a_transfer(alice_first: bool) -> u64 {
        let accounts = Arc::new((Account::new(1, 10), Account::new(2, 10)));
        let mover = {
            let accounts = Arc::clone(&accounts);
            thread::spawn(move || transfer(&accounts.0, &accounts.1, 3))
        };
        let (alice, bob) = if alice_first {
            let alice = accounts.0.balance();
            (alice, accounts.1.balance())
        } else {
            let bob = accounts.1.balance();
            (accounts.0.balance(), bob)
        };
        assert_eq!(mover.join().unwrap(), Ok(()));
        alice + bob
    }

    #[test]
    fn money_never_leaves_one_account_before_it_reaches_the_other() {
        loom::model(|| {
            let total = total_seen_during_a_transfer(true);
            assert!(
                total >= 20,
                "while 3 moved from alice to bob, another thread read alice's balance and \
                 then bob's and saw {total} in all, less than the 20 there are: the money \
                 had left alice and not yet reached bob. A transfer must hold both \
                 accounts' locks from before it takes the money until after it has put \
                 it in, so that nobody sees it half done."
            );
        });
    }

    #[test]
    fn money_never_reaches_one_account_before_it_leaves_the_other() {
        loom::model(|| {
            let total = total_seen_during_a_transfer(false);
            assert!(
                total <= 20,
                "while 3 moved from alice to bob, another thread read bob's balance and \
                 then alice's and saw {total} in all, more than the 20 there are: the \
                 money had reached bob and not yet left alice. A transfer must hold both \
                 accounts' locks from before it takes the money until after it has put \
                 it in, so that nobody sees it half done."
            );
        });
    }

    #[test]
    fn two_transfers_of_the_same_money_cannot_both_take_it() {
        loom::model(|| {
            // alice holds 5; two threads each move 5 out of her account, to bob and to
            // carol. Only one can: the other must be refused.
            let accounts = Arc::new((Account::new(1, 5), Account::new(2, 0), Account::new(3, 0)));
            let other = {
                let accounts = Arc::clone(&accounts);
                thread::spawn(move || transfer(&accounts.0, &accounts.2, 5).is_ok())
            };
            let mine = transfer(&accounts.0, &accounts.1, 5).is_ok();
            let theirs = other.join().unwrap();
            assert!(
                mine ^ theirs,
                "alice held 5 and two threads each moved 5 out of her account: exactly one \
                 transfer must succeed, but {} did. The balance was checked, the lock \
                 released, and the money taken under another lock: check the balance \
                 under the same locks that move the money, after taking both.",
                if mine { "both" } else { "neither" }
            );
            let balances = (
                accounts.0.balance(),
                accounts.1.balance(),
                accounts.2.balance(),
            );
            assert_eq!(balances.0 + balances.1 + balances.2, 5, "money was created");
        });
    }

    #[test]
    fn opposite_transfers_never_deadlock() {
        loom::model(|| {
            let accounts = Arc::new((Account::new(1, 10), Account::new(2, 10)));
            let other = {
                let accounts = Arc::clone(&accounts);
                thread::spawn(move || transfer(&accounts.1, &accounts.0, 4))
            };
            let mine = transfer(&accounts.0, &accounts.1, 3);
            let theirs = other.join().unwrap();
            assert_eq!((mine, theirs), (Ok(()), Ok(())));
            assert_eq!(
                (accounts.0.balance(), accounts.1.balance()),
                (11, 9),
                "after moving 3 one way and 4 the other, the balances are wrong"
            );
        });
    }
}
