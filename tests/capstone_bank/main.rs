//! Checks for `capstone_bank`. Tests: a transfer moves money or refuses with the right
//! error and changes nothing; a transfer to the same account returns instead of
//! deadlocking on its own lock; many transfers in opposite directions finish; `total`
//! never sees a transfer half done. Loom: in every interleaving, two transfers in
//! opposite directions finish (no deadlock), and `total` taken during a transfer is
//! the bank's real total.

#[path = "../../exercises/10_capstones/capstone_bank.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::{Bank, TransferError};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, mpsc};
    use std::thread;
    use threadlings::check::PATIENCE;

    #[test]
    fn a_transfer_moves_money_between_accounts() {
        let bank = Bank::new(&[100, 50, 0]);
        assert_eq!(bank.transfer(0, 1, 30), Ok(()));
        assert_eq!(bank.transfer(1, 2, 80), Ok(()));
        assert_eq!(bank.transfer(2, 0, 5), Ok(()));
        let balances: Vec<u64> = (0..3).map(|account| bank.balance(account)).collect();
        assert_eq!(
            balances,
            [75, 0, 75],
            "expected 0→1 30, 1→2 80, 2→0 5 to leave [75, 0, 75]"
        );
        assert_eq!(bank.total(), 150, "expected the total of [75, 0, 75]");
    }

    #[test]
    fn a_transfer_without_the_funds_changes_nothing() {
        let bank = Bank::new(&[100, 50]);
        assert_eq!(
            bank.transfer(1, 0, 60),
            Err(TransferError::InsufficientFunds {
                available: 50,
                requested: 60
            }),
            "expected moving 60 out of an account holding 50 to be refused"
        );
        assert_eq!(
            (bank.balance(0), bank.balance(1)),
            (100, 50),
            "a refused transfer must leave both balances as they were"
        );
    }

    #[test]
    fn a_transfer_to_the_same_account_is_refused_without_deadlocking() {
        let bank = Arc::new(Bank::new(&[100]));
        let (result_tx, result) = mpsc::channel();
        {
            let bank = Arc::clone(&bank);
            thread::spawn(move || {
                let _ = result_tx.send(bank.transfer(0, 0, 10));
            });
        }
        match result.recv_timeout(PATIENCE) {
            Ok(outcome) => assert_eq!(
                outcome,
                Err(TransferError::SameAccount),
                "expected a transfer from account 0 to itself to be refused"
            ),
            Err(_) => panic!(
                "expected `transfer(0, 0, 10)` to return `Err(SameAccount)`, but it was \
                 still running after {PATIENCE:?}: it locked account 0 twice, and a thread \
                 waiting for a lock it holds itself waits forever. Check `from == to` \
                 before locking"
            ),
        }
        assert_eq!(bank.balance(0), 100, "a refused transfer changes nothing");
    }

    const ROUNDS: usize = 20_000;

    #[test]
    fn transfers_in_opposite_directions_finish() {
        // Enough in each account that neither thread can run it dry, however far ahead.
        let start = ROUNDS as u64;
        let bank = Arc::new(Bank::new(&[start, start]));
        let (done_tx, done) = mpsc::channel();
        for (from, to) in [(0, 1), (1, 0)] {
            let (bank, done_tx) = (Arc::clone(&bank), done_tx.clone());
            thread::spawn(move || {
                for _ in 0..ROUNDS {
                    bank.transfer(from, to, 1)
                        .expect("there is always 1 to move");
                }
                let _ = done_tx.send(());
            });
        }
        for _ in 0..2 {
            assert!(
                done.recv_timeout(PATIENCE).is_ok(),
                "expected two threads making {ROUNDS} transfers each, 0→1 and 1→0, to \
                 finish, but they stopped: a deadlock. Each thread held the account it \
                 takes money from and waited for the other's. Lock the two accounts in \
                 one global order (lower index first), whatever the direction"
            );
        }
        assert_eq!((bank.balance(0), bank.balance(1)), (start, start));
    }

    #[test]
    fn total_never_sees_a_transfer_half_done() {
        let bank = Arc::new(Bank::new(&[500, 500, 500]));
        let stop = Arc::new(AtomicBool::new(false));
        let mover = {
            let (bank, stop) = (Arc::clone(&bank), Arc::clone(&stop));
            thread::spawn(move || {
                let mut round = 0usize;
                while !stop.load(Ordering::SeqCst) {
                    let (from, to) = [(0, 2), (2, 0), (1, 2), (2, 1)][round % 4];
                    bank.transfer(from, to, 100)
                        .expect("there is always 100 to move");
                    round += 1;
                }
            })
        };
        let (totals_tx, totals) = mpsc::channel();
        {
            let bank = Arc::clone(&bank);
            thread::spawn(move || {
                let _ = totals_tx.send((0..20_000).map(|_| bank.total()).collect::<Vec<u64>>());
            });
        }
        let Ok(totals) = totals.recv_timeout(PATIENCE) else {
            panic!(
                "expected 20000 calls of `total` to finish while another thread made \
                 transfers, but they stopped: a deadlock between `total` and a transfer. \
                 Each held a lock the other wanted: take the locks in the same order \
                 (lower index first) in both"
            );
        };
        stop.store(true, Ordering::SeqCst);
        mover.join().expect("the thread making transfers panicked");
        let wrong: Vec<&u64> = totals.iter().filter(|&&total| total != 1_500).collect();
        assert!(
            wrong.is_empty(),
            "expected `total` to be 1500 every time, as no money enters or leaves the bank, \
             but {} of {} totals taken during transfers were wrong (e.g. {}): `total` saw a \
             transfer half done. Hold every account's lock while adding, not one at a time",
            wrong.len(),
            totals.len(),
            wrong[0]
        );
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::Bank;
    use threadlings::sync::Arc;
    use threadlings::thread;

    #[test]
    fn opposite_transfers_never_deadlock() {
        loom::model(|| {
            let bank = Arc::new(Bank::new(&[10, 10]));
            let other = {
                let bank = Arc::clone(&bank);
                thread::spawn(move || bank.transfer(0, 1, 3))
            };
            let mine = bank.transfer(1, 0, 4);
            let theirs = other.join().unwrap();
            assert!(
                mine.is_ok() && theirs.is_ok(),
                "both transfers had the funds"
            );
            assert_eq!(
                (bank.balance(0), bank.balance(1)),
                (11, 9),
                "after 0→1 3 and 1→0 4, [10, 10] must be [11, 9]"
            );
        });
    }

    #[test]
    fn total_during_a_transfer_is_the_real_total() {
        loom::model(|| {
            let bank = Arc::new(Bank::new(&[10, 10]));
            let other = {
                let bank = Arc::clone(&bank);
                thread::spawn(move || bank.transfer(0, 1, 5))
            };
            let total = bank.total();
            other.join().unwrap().unwrap();
            // Two lines: the runner's summary of a loom failure shows the second.
            assert!(
                total == 20,
                "`total` saw a transfer half done:\n`total` taken while a transfer ran \
                 counted {total} instead of 20. Hold every account's lock while adding"
            );
        });
    }
}
