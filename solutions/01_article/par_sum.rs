//! # Data parallelism with rayon
//!
//! `par_iter()` lets rayon split the slice between the threads of its pool; each thread
//! sums its pieces and rayon adds the partial sums. That is correct because addition is
//! associative: the grouping of the pieces does not change the total.

use rayon::prelude::*;
use std::iter::Sum;

pub fn sum<T>(data: &[T]) -> T
where
    T: Send + Sync + Sum<T> + for<'a> Sum<&'a T>,
{
    data.par_iter().sum()
}
