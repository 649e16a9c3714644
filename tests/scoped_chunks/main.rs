//! Checks for `scoped_chunks`: every element is updated exactly once, in at most
//! `parts` chunks of the expected sizes, each chunk on a scoped thread of its own (not
//! the caller's, nor a rayon pool's, whose size depends on the machine), and the chunks
//! are updated at the same time (all of them meet at a rendezvous).

#[path = "../../exercises/02_threads/scoped_chunks.rs"]
mod exercise;

use std::collections::HashSet;
use std::sync::Mutex;
use std::thread;
use threadlings::check::{Rendezvous, anonymously};

/// Adds one to every element of `len` zeros split into `parts`, and returns the
/// elements and the lengths of the chunks that `update` was given, sorted.
fn add_one(len: usize, parts: usize) -> (Vec<u32>, Vec<usize>) {
    let mut data = vec![0_u32; len];
    let chunk_lens = Mutex::new(Vec::new());
    exercise::update_in_chunks(&mut data, parts, |chunk| {
        chunk_lens.lock().unwrap().push(chunk.len());
        for value in chunk {
            *value += 1;
        }
    });
    let mut chunk_lens = chunk_lens.into_inner().unwrap();
    chunk_lens.sort_unstable();
    (data, chunk_lens)
}

#[test]
fn every_element_is_updated_exactly_once() {
    anonymously(|| {
        for (len, parts) in [(12, 3), (10, 3), (1000, 4), (3, 8), (1, 1)] {
            let (data, _) = add_one(len, parts);
            let wrong = data.iter().filter(|&&value| value != 1).count();
            assert_eq!(
                wrong, 0,
                "expected every element to be updated exactly once ({len} elements in {parts} \
                 parts), but {wrong} were updated 0 or several times: give each chunk of \
                 `chunks_mut` to one thread"
            );
        }
    })
}

#[test]
fn the_chunks_have_the_expected_sizes() {
    anonymously(|| {
        for (len, parts, expected) in [
            (12, 3, vec![4, 4, 4]),
            (10, 3, vec![2, 4, 4]),
            (3, 8, vec![1, 1, 1]),
        ] {
            let (_, chunk_lens) = add_one(len, parts);
            assert_eq!(
                chunk_lens,
                expected,
                "expected {len} elements split into chunks of `len.div_ceil(parts)` = {} \
                 elements ({parts} parts)",
                len.div_ceil(parts)
            );
        }
    })
}

#[test]
fn an_empty_slice_is_fine() {
    anonymously(|| {
        let (data, chunk_lens) = add_one(0, 3);
        assert!(data.is_empty());
        assert!(
            chunk_lens.iter().all(|&len| len == 0),
            "an empty slice has no elements to update"
        );
    })
}

static MEETING: Rendezvous = Rendezvous::new(4);

#[test]
fn the_chunks_are_updated_at_the_same_time() {
    anonymously(|| {
        let mut data = vec![0_u64; 400];
        exercise::update_in_chunks(&mut data, 4, |chunk| {
            MEETING.inside(|| chunk.iter_mut().for_each(|value| *value += 1));
        });
        assert!(
            data.iter().all(|&value| value == 1),
            "expected every element updated once"
        );
        assert!(
            MEETING.opened(),
            "expected the 4 chunks to be updated at the same time, each on its own thread, but \
             the most ever updated together was {}: the chunks were updated one after \
             another. Spawn a thread per chunk inside `thread::scope`, and join them only at \
             the end of the scope.",
            MEETING.most_inside()
        );
    })
}

#[test]
fn each_chunk_is_updated_on_a_scoped_thread_of_its_own() {
    anonymously(|| {
        let caller = thread::current().id();
        let mut data = vec![0_u8; 40];
        let threads = Mutex::new(Vec::new());
        exercise::update_in_chunks(&mut data, 4, |_| {
            let on_rayon = rayon::current_thread_index().is_some();
            threads
                .lock()
                .unwrap()
                .push((thread::current().id(), on_rayon));
        });
        let threads = threads.into_inner().unwrap();
        let on_rayon = threads.iter().filter(|(_, on_rayon)| *on_rayon).count();
        assert!(
            on_rayon == 0,
            "expected each chunk to be updated on a scoped thread of its own, but {on_rayon} of \
             the {} chunks were updated on the threads of a rayon pool: a pool has as many \
             threads as the machine has cores, so whether the chunks run at the same time \
             would depend on the machine. Spawn one thread per chunk with \
             `std::thread::scope`.",
            threads.len()
        );
        let on_caller = threads.iter().filter(|(id, _)| *id == caller).count();
        assert!(
            on_caller == 0,
            "expected each chunk to be updated on a scoped thread of its own, but {on_caller} \
             chunk(s) were updated on the caller's thread: spawn a scoped thread for every \
             chunk, the last one too"
        );
        let distinct: HashSet<_> = threads.iter().map(|(id, _)| *id).collect();
        assert!(
            distinct.len() == threads.len(),
            "expected each of the {} chunks to be updated on a thread of its own, but they \
             were updated on {} thread(s)",
            threads.len(),
            distinct.len()
        );
    })
}
