//! # Blocks of data: `par_chunks` and `par_chunks_mut`
//!
//! `par_chunks_mut(width)` cuts the image into rows and gives each `&mut` row to
//! exactly one thread, so rows change in place without a lock; `enumerate` numbers
//! them. For a filter that reads neighbouring pixels, the source must stay unchanged
//! while the target is written: `par_chunks` of the source `zip`ped with
//! `par_chunks_mut` of the target pairs the rows by index.

use rayon::prelude::*;

/// Calls `per_row(y, row)` with every row of `image` and its index `y`, rows in
/// parallel. `image.len()` is a multiple of `width`.
pub fn each_row_mut<F>(image: &mut [u8], width: usize, per_row: F)
where
    F: Fn(usize, &mut [u8]) + Sync + Send,
{
    image
        .par_chunks_mut(width)
        .enumerate()
        .for_each(|(y, row)| per_row(y, row));
}

/// Calls `per_row(source_row, target_row)` with every row of `source` and the row of
/// `target` at the same index, rows in parallel. Both images have the same size, a
/// multiple of `width`.
pub fn each_row_into<F>(source: &[u8], target: &mut [u8], width: usize, per_row: F)
where
    F: Fn(&[u8], &mut [u8]) + Sync + Send,
{
    assert_eq!(source.len(), target.len(), "the images differ in size");
    source
        .par_chunks(width)
        .zip(target.par_chunks_mut(width))
        .for_each(|(source_row, target_row)| per_row(source_row, target_row));
}

/// Darkens the image towards the bottom: row `y` of `rows` keeps `(rows - y) / rows`
/// of its brightness.
pub fn fade_to_bottom(image: &mut [u8], width: usize) {
    let rows = image.len() / width;
    each_row_mut(image, width, |y, row| {
        for pixel in row {
            *pixel = (*pixel as usize * (rows - y) / rows) as u8;
        }
    });
}

/// Blurs each row: a pixel becomes `(left + 2 * itself + right) / 4`, where a pixel at
/// the edge of the row counts as its own missing neighbour.
pub fn blur_rows(image: &[u8], width: usize) -> Vec<u8> {
    let mut blurred = vec![0; image.len()];
    each_row_into(image, &mut blurred, width, |source, target| {
        for (x, pixel) in target.iter_mut().enumerate() {
            let left = source[x.saturating_sub(1)] as u16;
            let right = source[(x + 1).min(source.len() - 1)] as u16;
            *pixel = ((left + 2 * source[x] as u16 + right) / 4) as u8;
        }
    });
    blurred
}
