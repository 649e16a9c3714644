//! Single keys without Enter while watch runs, and the terminal put back on every way
//! out: on drop (`q`, an error), by the interrupt handler (Ctrl-C, a signal), and by a
//! panic hook (a panic on any thread).

use std::io::{IsTerminal, Write};
use std::sync::{Mutex, Once, OnceLock, PoisonError};

use crate::os;

/// The terminal's settings before watch changed them, while it has them changed.
static ORIGINAL: Mutex<Option<os::TerminalSettings>> = Mutex::new(None);

/// The terminal in single-key mode, for as long as this lives.
pub struct SingleKeys;

impl SingleKeys {
    /// Enters single-key mode when standard input is a terminal.
    pub fn enter() -> SingleKeys {
        let Some(settings) = os::TerminalSettings::read() else {
            return SingleKeys;
        };
        // Saved and registered first: an interrupt or a panic from here on puts them back.
        *ORIGINAL.lock().unwrap_or_else(PoisonError::into_inner) = Some(settings);
        crate::os::signals::on_interrupt(restore);
        restore_on_panic();
        if let Some(settings) = ORIGINAL
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            settings.enter_single_keys();
        }
        SingleKeys
    }
}

impl Drop for SingleKeys {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    if let Some(original) = ORIGINAL
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
    {
        original.restore();
    }
}

/// A panic anywhere puts the terminal back before it is reported.
fn restore_on_panic() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            report(info);
        }));
    });
}

/// Whether the terminal acts on escape codes (colours, links, clearing, the progress
/// bar): a Windows console only once asked to, which this does; other systems' always.
pub fn escape_codes_work() -> bool {
    static WORK: OnceLock<bool> = OnceLock::new();
    *WORK.get_or_init(|| anstyle_query::windows::enable_ansi_colors().unwrap_or(true))
}

/// Clears the screen, where it is a terminal that understands it.
pub fn clear_screen() {
    if std::io::stdout().is_terminal() && escape_codes_work() {
        print!("\x1b[2J\x1b[H");
        let _ = std::io::stdout().flush();
    }
}

/// Where a line rewritten in place goes: watch's status on stdout, the build's progress
/// bar on stderr.
#[derive(Debug, Clone, Copy)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    /// Whether lines can be rewritten there: a terminal that understands escape codes.
    /// Elsewhere the lines would only pile up.
    pub fn is_live(self) -> bool {
        let terminal = match self {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        };
        terminal && escape_codes_work()
    }
}

/// Replaces the last line of `stream` with `text`, where it is live.
pub fn rewrite_line(stream: Stream, text: &str) {
    if !stream.is_live() {
        return;
    }
    match stream {
        Stream::Stdout => {
            print!("\r\x1b[2K{text}");
            let _ = std::io::stdout().flush();
        }
        Stream::Stderr => eprint!("\r\x1b[2K{text}"),
    }
}

/// The status line while a check runs, styled by the caller.
pub fn status(text: &str) {
    rewrite_line(Stream::Stdout, text);
}

/// Ends the status line, so that what follows starts on a line of its own.
pub fn end_status() {
    rewrite_line(Stream::Stdout, "");
}
