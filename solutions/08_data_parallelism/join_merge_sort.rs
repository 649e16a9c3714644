//! # Divide and conquer with `rayon::join`
//!
//! `rayon::join` sorts the right half on another thread when one is idle, while this
//! thread sorts the left half; recursion makes more such pairs, so every idle thread
//! finds work, and the merge runs only when both halves are done. The halves are
//! disjoint `&mut` borrows, so the two closures cannot race. Below the cut-off the
//! slice is sorted on the current thread, where more splitting would only add overhead.

/// Slices up to this length are sorted on the current thread.
const SEQUENTIAL_CUTOFF: usize = 64;

pub fn merge_sort<T: Ord + Copy + Send>(items: &mut [T]) {
    if items.len() <= SEQUENTIAL_CUTOFF {
        items.sort();
        return;
    }
    let middle = items.len() / 2;
    let (left, right) = items.split_at_mut(middle);
    rayon::join(|| merge_sort(left), || merge_sort(right));
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
