//! # Divide and conquer with `rayon::join`
//!
//! Not every parallel algorithm is an iterator. A merge sort splits the slice in two,
//! sorts both halves, and merges them; the two halves are independent, so they can be
//! sorted at the same time. `rayon::join(a, b)` runs the closures `a` and `b`
//! potentially in parallel: it runs `a` itself and offers `b` to the pool, and an idle
//! thread takes it (or, if none does, the calling thread runs `b` after `a`). It returns
//! when both are done, so the closures may borrow from the caller's stack: the two
//! halves from `split_at_mut` are disjoint `&mut` borrows, and the compiler knows it.
//!
//! Splitting has a cost, so small slices are sorted on the current thread: below the
//! cut-off, a sequential sort is faster than creating more work for the pool.
//!
//! Make `merge_sort` sort the two halves at the same time.

/// Slices up to this length are sorted on the current thread.
const SEQUENTIAL_CUTOFF: usize = 64;

pub fn merge_sort<T: Ord + Copy + Send>(items: &mut [T]) {
    if items.len() <= SEQUENTIAL_CUTOFF {
        items.sort();
        return;
    }
    let middle = items.len() / 2;
    let (left, right) = items.split_at_mut(middle);
    // TODO: the right half waits until the left half is sorted. Sort them at once.
    merge_sort(left);
    merge_sort(right);
    merge(items, middle);
}

/// Merges `items[..middle]` and `items[middle..]`, each already sorted.
fn merge<T: Ord + Copy>(items: &mut [T], middle: usize) {
    let mut merged = Vec::with_capacity(items.len());
    let (mut left, mut right) = (0, middle);
    while left < middle && right < items.len() {
        // Taking from the left on ties keeps equal items in their order.
        if items[right] < items[left] {
            merged.push(items[right]);
            right += 1;
        } else {
            merged.push(items[left]);
            left += 1;
        }
    }
    merged.extend_from_slice(&items[left..middle]);
    merged.extend_from_slice(&items[right..]);
    items.copy_from_slice(&merged);
}
