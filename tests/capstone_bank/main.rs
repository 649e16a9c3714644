//! Checks for `capstone_bank`. Tests: a transfer moves money or refuses with the right
//! error and changes nothing; a transfer to the same account returns instead of
//! deadlocking on its own lock; many transfers in opposite directions finish; `total`
//! never sees a transfer half done; transfers between two accounts go on while a
//! transfer between two others waits (no bank-wide lock). Loom: in every interleaving,
//! two transfers in opposite directions finish (no deadlock), `total` taken during a
//! transfer is the bank's real total, and a transfer never waits for one that shares
//! no account with it.

#[path = "../../exercises/10_capstones/capstone_bank.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::{Bank, TransferError};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::thread;
    use std::time::Instant;
    use threadlings::check::{FALL_ASLEEP, PATIENCE, anonymously, joins_within, returns_within};

    #[test]
    fn a_transfer_moves_money_between_accounts() {
        anonymously(|| {
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
        })
    }

    #[test]
    fn a_transfer_without_the_funds_changes_nothing() {
        anonymously(|| {
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
        })
    }

    #[test]
    fn a_transfer_to_the_same_account_is_refused_without_deadlocking() {
        anonymously(|| {
            let bank = Arc::new(Bank::new(&[100]));
            let transferring = Arc::clone(&bank);
            match returns_within(PATIENCE, move || transferring.transfer(0, 0, 10)) {
                Some(outcome) => assert_eq!(
                    outcome,
                    Err(TransferError::SameAccount),
                    "expected a transfer from account 0 to itself to be refused"
                ),
                None => panic!(
                    "expected `transfer(0, 0, 10)` to return `Err(SameAccount)`, but it was \
                     still running after {PATIENCE:?}: it locked account 0 twice, and a thread \
                     waiting for a lock it holds itself waits forever. Check `from == to` \
                     before locking"
                ),
            }
            assert_eq!(bank.balance(0), 100, "a refused transfer changes nothing");
        })
    }

    const ROUNDS: usize = 20_000;

    #[test]
    fn transfers_in_opposite_directions_finish() {
        anonymously(|| {
            // Each thread goes on until both have made their rounds, so that the two run at
            // the same time even on a busy machine, where one could otherwise finish before
            // the other starts; neither gets more than `AHEAD` rounds ahead, so that neither
            // account runs dry.
            const AHEAD: usize = 1_000;
            let start = ROUNDS as u64;
            let bank = Arc::new(Bank::new(&[start, start]));
            let done = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
            let transferring = [(0, 1), (1, 0)].map(|(from, to)| {
                let (bank, done) = (Arc::clone(&bank), Arc::clone(&done));
                thread::spawn(move || {
                    let rounds = |side: usize| done[side].load(Ordering::SeqCst);
                    while rounds(from) < ROUNDS || rounds(to) < ROUNDS {
                        if rounds(from) >= rounds(to) + AHEAD {
                            thread::yield_now();
                            continue;
                        }
                        bank.transfer(from, to, 1)
                            .expect("there is always 1 to move");
                        done[from].fetch_add(1, Ordering::SeqCst);
                    }
                })
            });
            for transfers in transferring {
                assert!(
                    joins_within(PATIENCE, transfers).is_some(),
                    "expected two threads making {ROUNDS} transfers each, 0→1 and 1→0, to \
                     finish, but they stopped: a deadlock. Each thread held the account it \
                     takes money from and waited for the other's. Lock the two accounts in \
                     one global order (lower index first), whatever the direction"
                );
            }
            let (out_of_0, out_of_1) = (rounds_of(&done, 0), rounds_of(&done, 1));
            assert_eq!(
                (bank.balance(0), bank.balance(1)),
                (start + out_of_1 - out_of_0, start + out_of_0 - out_of_1),
                "expected every transfer of 1 to move exactly 1"
            );
        })
    }

    fn rounds_of(done: &[AtomicUsize; 2], side: usize) -> u64 {
        done[side].load(Ordering::SeqCst) as u64
    }

    #[test]
    fn total_never_sees_a_transfer_half_done() {
        anonymously(|| {
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
            let adding = Arc::clone(&bank);
            let totals = move || (0..20_000).map(|_| adding.total()).collect::<Vec<u64>>();
            let Some(totals) = returns_within(PATIENCE, totals) else {
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
        })
    }

    #[test]
    fn transfers_go_on_while_a_transfer_between_other_accounts_waits() {
        anonymously(|| {
            let bank = Arc::new(Bank::new(&[100, 100, 100, 100]));
            let moved = Arc::new(AtomicUsize::new(0));
            let stop = Arc::new(AtomicBool::new(false));
            let mover = {
                let (bank, moved, stop) =
                    (Arc::clone(&bank), Arc::clone(&moved), Arc::clone(&stop));
                thread::spawn(move || {
                    let mut round = 0usize;
                    while !stop.load(Ordering::SeqCst) {
                        let (from, to) = [(2, 3), (3, 2)][round % 2];
                        bank.transfer(from, to, 10)
                            .expect("there is always 10 to move");
                        moved.fetch_add(1, Ordering::SeqCst);
                        round += 1;
                    }
                })
            };
            let (went_on, waiting) = bank.audit(0, |_| {
                // A transfer out of account 0 waits while the audit holds that account...
                let waiting = {
                    let bank = Arc::clone(&bank);
                    thread::spawn(move || bank.transfer(0, 1, 10))
                };
                // ...and, once it waits (it has FALL_ASLEEP to get there), transfers between
                // accounts 2 and 3, which need neither of its accounts, must still go on.
                thread::sleep(FALL_ASLEEP);
                let before = moved.load(Ordering::SeqCst);
                let deadline = Instant::now() + PATIENCE;
                while moved.load(Ordering::SeqCst) == before && Instant::now() < deadline {
                    thread::yield_now();
                }
                (moved.load(Ordering::SeqCst) > before, waiting)
            });
            stop.store(true, Ordering::SeqCst);
            if !went_on {
                // The mover may never finish: leave it and the waiting transfer.
                panic!(
                    "expected transfers between accounts 2 and 3 to go on while a transfer from \
                     account 0 to 1 waited for account 0 (held by `audit`), but none finished \
                     in {PATIENCE:?}: every transfer waits for every other, so one transfer that \
                     waits stops the whole bank. A lock for the whole bank (taken by every \
                     transfer) serializes them: lock only the two accounts a transfer moves \
                     money between"
                );
            }
            mover.join().expect("the thread making transfers panicked");
            assert_eq!(
                waiting.join().expect("the waiting transfer panicked"),
                Ok(()),
                "expected the transfer from account 0 to go through once the audit ended"
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
    fn a_transfer_never_waits_for_one_between_other_accounts() {
        loom::model(|| {
            let bank = Arc::new(Bank::new(&[10, 10, 10, 10]));
            let waiting = bank.audit(0, |_| {
                let waiting = {
                    let bank = Arc::clone(&bank);
                    thread::spawn(move || bank.transfer(0, 1, 3))
                };
                // While account 0 is held, the transfer above waits; this one needs
                // neither of its accounts, so it must not wait for it. A lock for the
                // whole bank makes it wait, and then nothing can go on: a deadlock.
                let moved = bank.transfer(2, 3, 4);
                assert!(
                    moved.is_ok(),
                    "a transfer between accounts 2 and 3 failed:\n{moved:?}"
                );
                waiting
            });
            let waited = waiting.join().unwrap();
            assert!(
                waited.is_ok(),
                "the transfer from account 0 failed:\n{waited:?}"
            );
            let balances: Vec<u64> = (0..4).map(|account| bank.balance(account)).collect();
            assert!(
                balances == [7, 13, 6, 14],
                "the balances were wrong:\nafter 0→1 3 and 2→3 4, [10, 10, 10, 10] must be \
                 [7, 13, 6, 14], not {balances:?}"
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
