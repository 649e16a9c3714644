//! Checks for `rwlock_scoreboard`: two readers hold the lock at the same time, a writer
//! keeps readers out while it writes, and a record never overwrites a better score
//! (tests); two records at once keep the higher score in every interleaving (loom).

#[path = "../../exercises/03_shared_state/rwlock_scoreboard.rs"]
mod exercise;

#[cfg(not(feature = "loom"))]
mod tests {
    use super::exercise::ScoreBoard;
    use std::thread;
    use threadlings::check::{Rendezvous, anonymously};

    #[test]
    fn records_keep_the_best_score() {
        anonymously(|| {
            let board = ScoreBoard::new();
            assert_eq!(board.best("ada"), None);
            assert!(board.record("ada", 0), "any score beats no score at all");
            assert!(board.record("ada", 40), "40 beats 0");
            assert!(!board.record("ada", 30), "30 does not beat 40");
            assert!(!board.record("ada", 40), "a tie does not beat the best");
            assert_eq!(board.best("ada"), Some(40));
            assert!(board.record("bob", 10));
            assert_eq!(board.read(|best| best.len()), 2);
        })
    }

    static READERS: Rendezvous = Rendezvous::new(2);

    #[test]
    fn two_readers_hold_the_lock_at_once() {
        anonymously(|| {
            let board = ScoreBoard::new();
            board.record("ada", 40);
            thread::scope(|scope| {
                for _ in 0..2 {
                    // Each reader stays inside `read` until the other one is inside too.
                    scope.spawn(|| board.read(|best| READERS.inside(|| best.get("ada").copied())));
                }
            });
            assert!(
                READERS.opened(),
                "expected two threads to be inside `read` at the same time, but the second \
                 reader waited until the first had left: readers exclude each other. A `Mutex` \
                 (or a write guard) admits one thread at a time; an `RwLock`'s read guards are \
                 shared."
            );
        })
    }

    #[test]
    fn readers_never_see_a_write_half_done() {
        anonymously(|| {
            const ROUNDS: u32 = 20_000;
            let board = ScoreBoard::new();
            board.write(|best| {
                best.insert("ada".into(), 0);
                best.insert("bob".into(), 0);
            });
            thread::scope(|scope| {
                scope.spawn(|| {
                    for round in 1..=ROUNDS {
                        // One write sets both scores; no reader may see only one of them.
                        board.write(|best| {
                            best.insert("ada".into(), round);
                            best.insert("bob".into(), round);
                        });
                    }
                });
                scope.spawn(|| {
                    for _ in 0..ROUNDS {
                        let (ada, bob) = board.read(|best| (best["ada"], best["bob"]));
                        assert_eq!(
                            ada, bob,
                            "a reader saw a write half done (ada = {ada}, bob = {bob}): a writer \
                             must keep readers out until it has finished"
                        );
                    }
                });
            });
        })
    }

    #[test]
    fn concurrent_records_keep_the_highest_score() {
        anonymously(|| {
            const SCORES: u32 = 20_000;
            let board = ScoreBoard::new();
            thread::scope(|scope| {
                // One thread records the even scores, the other the odd ones, both rising.
                let recorders: Vec<_> = (0..2)
                    .map(|parity| {
                        let board = &board;
                        scope.spawn(move || {
                            for score in (0..SCORES).filter(|score| score % 2 == parity) {
                                board.record("ada", score);
                            }
                        })
                    })
                    .collect();
                for recorder in recorders {
                    recorder.join().unwrap();
                }
            });
            let best = board.best("ada");
            assert_eq!(
                best,
                Some(SCORES - 1),
                "expected the best score to be the highest one recorded, {}, but it is \
                 {best:?}: a record decided under one lock and wrote under another, after a \
                 higher score had been written in between",
                SCORES - 1
            );
        })
    }
}

#[cfg(feature = "loom")]
mod models {
    use super::exercise::ScoreBoard;
    use threadlings::sync::Arc;
    use threadlings::thread;

    #[test]
    fn two_records_at_once_keep_the_higher_score() {
        loom::model(|| {
            let board = Arc::new(ScoreBoard::new());
            let other = {
                let board = Arc::clone(&board);
                thread::spawn(move || board.record("ada", 5))
            };
            assert!(
                board.record("ada", 7),
                "7 is the highest score recorded, so recording it must succeed"
            );
            other.join().unwrap();
            assert_eq!(
                board.best("ada"),
                Some(7),
                "two threads recorded 7 and 5 at once, and 5 ended up as the best: the \
                 record of 5 compared before 7 was written, and wrote after it"
            );
        });
    }
}
