//! # Data parallelism with rayon
//!
//! The article's third example sums a vector with `data.par_iter().sum()`. rayon splits
//! the slice into pieces, sums the pieces on the threads of its pool at the same time,
//! and adds the partial sums together. Here the same `sum` works for any summable `T`,
//! so that the checks can watch which threads do the adding.
//!
//! Make `sum` add up `data` in parallel with rayon.

use std::iter::Sum;

pub fn sum<T>(data: &[T]) -> T
where
    T: Send + Sync + Sum<T> + for<'a> Sum<&'a T>,
{
    // TODO: this adds up the slice on one thread. Use rayon to split the work between
    // threads.
    data.iter().sum()
}
