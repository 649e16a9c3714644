//! Terminal styling that respects `NO_COLOR` and output that is not a terminal.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};
use std::sync::OnceLock;

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| {
        std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
            && std::io::stdout().is_terminal()
            && escape_codes_work()
    })
}

/// Whether the terminal acts on escape codes: the terminal's to know (`os/terminal.rs`).
pub use crate::os::terminal::escape_codes_work;

fn paint(style: Style, text: &str) -> String {
    if enabled() {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

fn colour(colour: AnsiColor) -> Style {
    Style::new().fg_color(Some(colour.into()))
}

pub fn green(text: &str) -> String {
    paint(colour(AnsiColor::Green), text)
}

pub fn red(text: &str) -> String {
    paint(colour(AnsiColor::Red), text)
}

pub fn yellow(text: &str) -> String {
    paint(colour(AnsiColor::Yellow), text)
}

pub fn bold(text: &str) -> String {
    paint(Style::new().bold(), text)
}

pub fn dim(text: &str) -> String {
    paint(Style::new().dimmed(), text)
}

/// `text` as a link to `path` (absolute) in terminals known to support OSC 8
/// hyperlinks (among them Windows Terminal, iTerm2, WezTerm, kitty, Ghostty and VTE's);
/// plain text elsewhere. The visible text keeps its `file:line` form, which editors'
/// terminals also recognise on their own.
pub fn link(text: &str, path: &std::path::Path) -> String {
    static SUPPORTED: OnceLock<bool> = OnceLock::new();
    let supported = *SUPPORTED.get_or_init(|| {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        enabled()
            && (matches!(
                var("TERM_PROGRAM").as_str(),
                "vscode" | "iTerm.app" | "WezTerm" | "ghostty"
            ) || var("VTE_VERSION")
                .parse::<u32>()
                .is_ok_and(|version| version >= 5000)
                || !var("KITTY_WINDOW_ID").is_empty()
                || !var("WT_SESSION").is_empty())
    });
    if supported {
        format!("\x1b]8;;{}\x1b\\{text}\x1b]8;;\x1b\\", file_url(path))
    } else {
        text.to_string()
    }
}

/// A `file://` URL for an absolute path: `/` between its parts, Windows' drive after a
/// slash (`file:///C:/kit/a.rs`), and what a URL cannot hold percent-encoded.
pub fn file_url(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from("file://");
    if !text.starts_with('/') {
        url.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                url.push(byte as char)
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::file_url;
    use std::path::Path;

    #[test]
    fn file_urls_use_slashes_and_escape_what_a_url_cannot_hold() {
        assert_eq!(
            file_url(Path::new("/home/ann/kit/exercises/01_a/b.rs")),
            "file:///home/ann/kit/exercises/01_a/b.rs"
        );
        assert_eq!(
            file_url(Path::new(r"C:\Users\Ann Lee\kit\exercises/01_a/b.rs")),
            "file:///C:/Users/Ann%20Lee/kit/exercises/01_a/b.rs"
        );
        assert_eq!(file_url(Path::new("/tmp/#1/é")), "file:///tmp/%231/%C3%A9");
    }
}
