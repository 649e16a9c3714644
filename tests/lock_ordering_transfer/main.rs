//! Checks for `lock_ordering_transfer`: transfers move money and refuse overdrafts, a
//! transfer to the same account does not deadlock, and opposite transfers on two
//! threads neither deadlock nor create or destroy money (tests, under real contention);
//! in no interleaving of two opposite transfers do the threads deadlock (loom).

#[path = "../../exercises/03_shared_state/lock_ordering_transfer.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::{Account, InsufficientFunds, transfer};
    use std::thread;

    #[test]
    fn a_transfer_moves_money_or_refuses() {
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
    }

    #[test]
    fn a_transfer_to_the_same_account_changes_nothing() {
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
    }

    #[test]
    fn opposite_transfers_on_two_threads_finish_and_keep_the_total() {
        // If this test times out, the two threads deadlocked: each held one account's
        // lock and waited for the other's.
        const ROUNDS: u32 = 20_000;
        let alice = Account::new(1, 1_000);
        let bob = Account::new(2, 1_000);
        thread::scope(|scope| {
            scope.spawn(|| {
                for _ in 0..ROUNDS {
                    let _ = transfer(&alice, &bob, 3);
                }
            });
            scope.spawn(|| {
                for _ in 0..ROUNDS {
                    let _ = transfer(&bob, &alice, 2);
                }
            });
        });
        let total = alice.balance() + bob.balance();
        assert_eq!(
            total, 2_000,
            "transfers must move money, never create or destroy it, but the two accounts \
             now hold {total} together instead of 2000"
        );
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::{Account, transfer};
    use threadlings::sync::Arc;
    use threadlings::thread;

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
