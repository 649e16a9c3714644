//! Opening the current exercise in the student's editor: the command they gave
//! (`--edit-cmd "code --reuse-window"`), or, when they ask with `--edit`, their
//! `$VISUAL` or `$EDITOR`. The file is always printed as a `file:line` link too.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, anyhow, bail};

/// How the student asks for the editor, on the command line of `next` and `watch`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EditorChoice {
    /// Run `CMD FILE` for the current exercise: when the command starts, and, in watch,
    /// whenever it moves on (for example `--edit-cmd "code --reuse-window"`).
    #[arg(long, value_name = "CMD")]
    pub edit_cmd: Option<String>,
    /// Open the current exercise with `$VISUAL` (or else `$EDITOR`).
    #[arg(long, conflicts_with = "edit_cmd")]
    pub edit: bool,
}

/// A command that opens a file: a program and the arguments before the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    program: String,
    arguments: Vec<String>,
}

impl EditorChoice {
    /// The editor asked for, if any.
    pub fn editor(&self) -> anyhow::Result<Option<Editor>> {
        if let Some(command) = &self.edit_cmd {
            return Editor::parse(command, "`--edit-cmd`").map(Some);
        }
        if !self.edit {
            return Ok(None);
        }
        let (name, command) = ["VISUAL", "EDITOR"]
            .into_iter()
            .find_map(|name| {
                let value = std::env::var(name).ok()?;
                (!value.trim().is_empty()).then_some((name, value))
            })
            .ok_or_else(|| {
                anyhow!(
                    "`--edit` uses $VISUAL or $EDITOR, and neither is set: set one, or give \
                    the command with `--edit-cmd CMD`"
                )
            })?;
        Editor::parse(&command, &format!("${name}")).map(Some)
    }
}

impl Editor {
    /// `code --reuse-window` → `code` with `--reuse-window` before the file. Words are
    /// split at whitespace, as editors' commands are written.
    fn parse(command: &str, from: &str) -> anyhow::Result<Editor> {
        let mut words = command.split_whitespace().map(str::to_string);
        let program = words
            .next()
            .ok_or_else(|| anyhow!("{from} is empty: it should be a command such as `code`"))?;
        Ok(Editor {
            program,
            arguments: words.collect(),
        })
    }

    fn command(&self, file: &Path) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.arguments).arg(file);
        command
    }

    /// Opens `file` and returns at once, for an editor that opens a window or a pane of
    /// its own: watch keeps the terminal. The editor is left running when watch ends.
    pub fn open_beside(&self, file: &Path) -> anyhow::Result<()> {
        let mut child = self
            .command(file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start the editor `{}`", self.program))?;
        // Reaped when it ends, so that it does not linger as a zombie.
        std::thread::spawn(move || child.wait());
        Ok(())
    }

    /// Opens `file` and waits until the editor ends: a terminal editor has the terminal
    /// meanwhile.
    pub fn open_and_wait(&self, file: &Path) -> anyhow::Result<()> {
        let status = self
            .command(file)
            .status()
            .with_context(|| format!("cannot start the editor `{}`", self.program))?;
        if !status.success() {
            bail!("the editor `{}` ended with {status}", self.program);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_editor_command_is_split_into_its_program_and_arguments() {
        let editor = Editor::parse(" code  --reuse-window ", "`--edit-cmd`").unwrap();
        assert_eq!(
            editor,
            Editor {
                program: "code".into(),
                arguments: vec!["--reuse-window".into()],
            }
        );
        let err = Editor::parse("  ", "`--edit-cmd`").unwrap_err();
        assert!(err.to_string().contains("`--edit-cmd` is empty"), "{err}");
    }

    #[test]
    fn no_editor_is_run_unless_asked_for() {
        assert_eq!(EditorChoice::default().editor().unwrap(), None);
        let chosen = EditorChoice {
            edit_cmd: Some("zed".into()),
            edit: false,
        };
        assert!(chosen.editor().unwrap().is_some());
    }
}
