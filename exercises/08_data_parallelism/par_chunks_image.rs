//! # Blocks of data: `par_chunks` and `par_chunks_mut`
//!
//! A grey-scale image is one `Vec<u8>`, row after row, `width` pixels per row. Many
//! filters work on a whole row at a time, so the natural unit of parallel work is a
//! row, not a pixel. `par_chunks(n)` splits a slice into blocks of `n` items and hands
//! the blocks to the pool's threads; `par_chunks_mut(n)` hands out `&mut` blocks, each
//! to one thread only, so the image can be changed in place without a lock. Both are
//! indexed, so `enumerate` gives each block its position, and `zip` pairs the blocks
//! of two slices.
//!
//! Write `each_row_mut` (changes rows in place) and `each_row_into` (reads rows of one
//! image, writes the matching rows of another) so that rows are processed in parallel.
//! `fade_to_bottom` and `blur_rows` are built on them.

/// Calls `per_row(y, row)` with every row of `image` and its index `y`, rows in
/// parallel. `image.len()` is a multiple of `width`.
pub fn each_row_mut<F>(image: &mut [u8], width: usize, per_row: F)
where
    F: Fn(usize, &mut [u8]) + Sync + Send,
{
    // TODO: split `image` into rows of `width` pixels, each with its index, and call
    // `per_row` on the rows in parallel.
    let _ = (image, width, per_row);
    todo!("process the rows in parallel")
}

/// Calls `per_row(source_row, target_row)` with every row of `source` and the row of
/// `target` at the same index, rows in parallel. Both images have the same size, a
/// multiple of `width`.
pub fn each_row_into<F>(source: &[u8], target: &mut [u8], width: usize, per_row: F)
where
    F: Fn(&[u8], &mut [u8]) + Sync + Send,
{
    assert_eq!(source.len(), target.len(), "the images differ in size");
    // TODO: pair each row of `source` with the row of `target` at the same index, and
    // call `per_row` on the pairs in parallel.
    let _ = (width, per_row);
    todo!("process the pairs of rows in parallel")
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
