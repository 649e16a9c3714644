//! The runner's standard output and error, either of which may close before the
//! command ends (`cargo xtask check … 2>&1 | head -3`). std's `print!` and `eprint!`
//! panic when a write fails, which would end a class's grading before its reports are
//! written; the crate's `print!`, `println!`, `eprint!` and `eprintln!` (`lib.rs`)
//! write here instead, and once a stream is gone they stop writing to it, quietly, and
//! the command carries on to its usual end.

use std::fmt;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// A stream failed a write (its reader is gone, or its disk is full): nothing more is
/// written to it.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
static STDERR_GONE: AtomicBool = AtomicBool::new(false);

/// Writes to standard output, unless it is gone.
pub fn stdout(text: fmt::Arguments<'_>) {
    write(&mut std::io::stdout().lock(), &STDOUT_GONE, text);
}

/// Writes to standard error, unless it is gone.
pub fn stderr(text: fmt::Arguments<'_>) {
    write(&mut std::io::stderr().lock(), &STDERR_GONE, text);
}

fn write(stream: &mut impl Write, gone: &AtomicBool, text: fmt::Arguments<'_>) {
    if gone.load(Ordering::Relaxed) {
        return;
    }
    if stream.write_fmt(text).is_err() {
        gone.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream whose every write fails, counting the attempts.
    struct Closed(usize);

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            self.0 += 1;
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stream_that_failed_is_not_written_again() {
        let gone = AtomicBool::new(false);
        let mut closed = Closed(0);
        write(&mut closed, &gone, format_args!("one"));
        write(&mut closed, &gone, format_args!("two"));
        assert!(gone.load(Ordering::Relaxed));
        assert_eq!(closed.0, 1);
    }
}
