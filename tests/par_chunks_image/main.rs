//! Checks for `par_chunks_image`: each call gets one whole row (with its own index,
//! also when the rows are not reached in order, or with the matching row of the other
//! image), every row exactly once, the filters built on them are exact, and rows are
//! processed on two threads of the caller's rayon pool at the same time (not on a
//! thread spawned for each row).

#[path = "../../exercises/08_data_parallelism/par_chunks_image.rs"]
mod exercise;

use std::sync::{Condvar, Mutex};
use threadlings::check::{PATIENCE, PoolWitness, Rendezvous, anonymously, two_thread_pool};

const WIDTH: usize = 5;
const ROWS: usize = 40;

/// An image whose every pixel holds the number of its row.
fn numbered_rows() -> Vec<u8> {
    (0..ROWS * WIDTH)
        .map(|pixel| (pixel / WIDTH) as u8)
        .collect()
}

#[test]
fn each_row_mut_gives_every_row_once_with_its_index() {
    anonymously(|| {
        let mut image = numbered_rows();
        let seen = Mutex::new(Vec::new());
        exercise::each_row_mut(&mut image, WIDTH, |y, row| {
            seen.lock().unwrap().push((y, row.to_vec()));
            row.fill(255);
        });
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        let expected: Vec<(usize, Vec<u8>)> =
            (0..ROWS).map(|y| (y, vec![y as u8; WIDTH])).collect();
        assert_eq!(
            seen, expected,
            "expected `per_row` to be called once for each of the {ROWS} rows, with the row's \
             index and its {WIDTH} pixels (row y holds the value y here)"
        );
        assert!(
            image.iter().all(|&pixel| pixel == 255),
            "expected the changes that `per_row` made to each row to be in the image"
        );
    })
}

#[test]
fn each_row_mut_gives_each_row_its_own_index_whichever_thread_takes_it() {
    anonymously(|| {
        let mut image = numbered_rows();
        // The first row is held until a row elsewhere in the image has been processed,
        // on the pool's other thread: the rows are not reached in the image's order.
        let another_row_done = (Mutex::new(false), Condvar::new());
        let wrong = Mutex::new(Vec::new());
        two_thread_pool().install(|| {
            exercise::each_row_mut(&mut image, WIDTH, |y, row| {
                let number = usize::from(row[0]);
                let (done, changed) = &another_row_done;
                if number == 0 {
                    let done = done.lock().unwrap();
                    let _ = changed.wait_timeout_while(done, PATIENCE, |done| !*done);
                } else {
                    *done.lock().unwrap() = true;
                    changed.notify_all();
                }
                if y != number {
                    wrong.lock().unwrap().push((number, y));
                }
            })
        });
        let wrong = wrong.into_inner().unwrap();
        assert!(
            wrong.is_empty(),
            "expected `per_row` to get each row with its own index, but {} of the {ROWS} \
             rows came with the index of another (row, index given): {:?}. The first row \
             was held until another row had been processed: an index counted in the order \
             the threads reach the rows (a shared counter) is not the row's place in the \
             image. `par_chunks_mut(width).enumerate()` numbers each row by its place.",
            wrong.len(),
            &wrong[..wrong.len().min(5)]
        );
    })
}

#[test]
fn each_row_into_pairs_rows_by_index() {
    anonymously(|| {
        let source = numbered_rows();
        let mut target = vec![0; source.len()];
        let calls = Mutex::new(0);
        exercise::each_row_into(&source, &mut target, WIDTH, |source_row, target_row| {
            *calls.lock().unwrap() += 1;
            assert_eq!(
                (source_row.len(), target_row.len()),
                (WIDTH, WIDTH),
                "expected `per_row` to get whole rows of {WIDTH} pixels"
            );
            for (target_pixel, source_pixel) in target_row.iter_mut().zip(source_row) {
                *target_pixel = source_pixel + 100;
            }
        });
        assert_eq!(
            calls.into_inner().unwrap(),
            ROWS,
            "expected `per_row` to be called once per row"
        );
        let expected: Vec<u8> = source.iter().map(|pixel| pixel + 100).collect();
        assert_eq!(
            target, expected,
            "expected row y of the target to be written from row y of the source"
        );
    })
}

#[test]
fn fades_and_blurs_exactly() {
    anonymously(|| {
        let mut image = vec![200; 3 * 2];
        exercise::fade_to_bottom(&mut image, 2);
        assert_eq!(image, [200, 200, 133, 133, 66, 66], "a wrong fade");
        let blurred = exercise::blur_rows(&[0, 40, 80, 100, 100, 100, 0, 0], 4);
        assert_eq!(blurred, [10, 40, 75, 95, 100, 75, 25, 0], "a wrong blur");
    })
}

/// Says, when `calls` rows were processed outside the check's pool, why that is wrong.
fn ran_outside(calls: usize) -> String {
    format!(
        "expected every row to be processed on a thread of the rayon pool the function was \
         called in, but {calls} row(s) were processed on other threads: a thread spawned for \
         each row costs more than the row's work (and a thousand rows start a thousand \
         threads), and a pool built inside the function ignores the caller's. \
         `par_chunks_mut` hands the rows to the current pool's threads"
    )
}

static IN_PLACE: Rendezvous = Rendezvous::new(2);

#[test]
fn changes_rows_in_place_on_two_threads_at_once() {
    anonymously(|| {
        let mut image = vec![1; 1000 * WIDTH];
        let witness = PoolWitness::two_threads();
        witness.install(|| {
            exercise::each_row_mut(&mut image, WIDTH, |_, row| {
                witness.note();
                IN_PLACE.inside(|| row.fill(2));
            })
        });
        assert!(
            image.iter().all(|&pixel| pixel == 2),
            "a row was not changed"
        );
        assert!(
            IN_PLACE.opened(),
            "expected rows to be changed on two threads at the same time, but only one thread \
             was ever in `per_row` ({} row(s), one after another): the rows are processed \
             sequentially. `par_chunks_mut` hands out rows to the pool's threads.",
            IN_PLACE.arrivals()
        );
        let outside = witness.calls_outside();
        assert!(outside == 0, "{}", ran_outside(outside));
    })
}

static INTO: Rendezvous = Rendezvous::new(2);

#[test]
fn writes_rows_into_the_target_on_two_threads_at_once() {
    anonymously(|| {
        let source = vec![1; 1000 * WIDTH];
        let mut target = vec![0; source.len()];
        let witness = PoolWitness::two_threads();
        witness.install(|| {
            exercise::each_row_into(&source, &mut target, WIDTH, |source_row, target_row| {
                witness.note();
                INTO.inside(|| target_row.copy_from_slice(source_row));
            })
        });
        assert_eq!(target, source, "a row was not written");
        assert!(
            INTO.opened(),
            "expected rows to be written on two threads at the same time, but only one thread \
             was ever in `per_row` ({} row(s), one after another): the rows are processed \
             sequentially. `par_chunks` and `par_chunks_mut`, zipped, pair the rows in parallel.",
            INTO.arrivals()
        );
        let outside = witness.calls_outside();
        assert!(outside == 0, "{}", ran_outside(outside));
    })
}
