//! Terminal styling that respects `NO_COLOR` and output that is not a terminal.

use std::io::IsTerminal;
use std::sync::OnceLock;

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| {
        std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
            && std::io::stdout().is_terminal()
    })
}

fn paint(code: &str, text: &str) -> String {
    if enabled() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub fn green(text: &str) -> String {
    paint("32", text)
}

pub fn red(text: &str) -> String {
    paint("31", text)
}

pub fn yellow(text: &str) -> String {
    paint("33", text)
}

pub fn bold(text: &str) -> String {
    paint("1", text)
}

pub fn dim(text: &str) -> String {
    paint("2", text)
}

/// `text` as a link to `path` (absolute) in terminals known to support OSC 8
/// hyperlinks; plain text elsewhere. The visible text keeps its `file:line` form, which
/// editors' terminals also recognise on their own.
pub fn link(text: &str, path: &std::path::Path) -> String {
    static SUPPORTED: OnceLock<bool> = OnceLock::new();
    let supported = *SUPPORTED.get_or_init(|| {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        enabled()
            && (matches!(
                var("TERM_PROGRAM").as_str(),
                "vscode" | "iTerm.app" | "WezTerm"
            ) || var("VTE_VERSION")
                .parse::<u32>()
                .is_ok_and(|version| version >= 5000)
                || !var("KITTY_WINDOW_ID").is_empty()
                || !var("WT_SESSION").is_empty())
    });
    if supported {
        format!(
            "\x1b]8;;file://{}\x1b\\{text}\x1b]8;;\x1b\\",
            path.display()
        )
    } else {
        text.to_string()
    }
}
