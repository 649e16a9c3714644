//! One function per command; each returns how the process should exit, or a setup
//! error to print.

mod check;
mod hint;
mod list;
mod next;
mod verify;

pub use check::{CheckRequest, check};
pub use hint::hint;
pub use list::list;
pub use next::next;
pub use verify::verify;
