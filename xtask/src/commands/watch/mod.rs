//! `cargo xtask watch`: checks the current exercise, checks it again each time it is
//! saved, moves on when it passes, and answers single keys while it works.
//!
//! What watch does is `state.rs`, a state machine over one stream of events; this file
//! is the loop around it, which turns the machine's deadline into ticks and carries out
//! its effects. `sources.rs` feeds the stream (saves, keys, verdicts); `os/terminal.rs`
//! keeps single-key mode and puts the terminal back on every way out.

mod sources;
mod state;

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Instant;

use anyhow::{anyhow, bail};

use self::sources::Job;
use self::state::{Course, Effect, Event, Watch};
use crate::Exit;
use crate::engine::{discover_kit, restore_shipped};
use crate::model::catalog::Exercise;
use crate::model::kit::Kit;
use crate::model::outcome::Graded;
use crate::model::progress::Progress;
use crate::os::editor::{Editor, EditorChoice};
use crate::os::process;
use crate::os::terminal;
use crate::report::terminal as report;
use crate::report::{list, style};

const KEYS: &str = "n next · h hint · l list · c check all · x reset · r re-check · q quit";

/// What `watch` was asked for, on the command line.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WatchOptions {
    /// Look for saves by polling the exercise files, for file systems that send no
    /// events (network drives, some containers; WSL's /mnt/c is detected by itself).
    #[arg(long)]
    pub poll: bool,
    #[command(flatten)]
    pub editor: EditorChoice,
}

pub fn watch(options: &WatchOptions) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let editor = options.editor.editor()?;
    let (events, inbox) = mpsc::channel();
    let files = sources::watch_files(&kit.root, options.poll, events.clone())?;
    if let Some(why) = files.polling_because {
        println!("{}", style::dim(&format!("Watching by polling: {why}.")));
    }
    let _single_keys = terminal::SingleKeys::enter();
    sources::read_keys(events.clone());
    let checker = sources::checker(Kit::open(&kit.root, || Ok(kit.target_dir()))?, events);
    let progress = Progress::load(&kit);
    let Some(first) = progress.current(&kit).cloned() else {
        println!("{}", style::green("Every exercise passes. Well done!"));
        return Ok(Exit::Success);
    };
    let (mut machine, effects) = Watch::start(first);
    let mut shell = Shell {
        kit: &kit,
        progress,
        checker,
        editor,
    };
    if shell.carry_out(effects) == Flow::Quit {
        return Ok(Exit::Success);
    }
    loop {
        let event = match machine.deadline() {
            Some(at) => match inbox.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => Event::Tick,
                Err(RecvTimeoutError::Disconnected) => bail!("the watcher stopped"),
            },
            None => inbox.recv().map_err(|_| anyhow!("the watcher stopped"))?,
        };
        let effects = machine.on(event, Instant::now(), &shell.standing());
        if shell.carry_out(effects) == Flow::Quit {
            return Ok(Exit::Success);
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Go,
    Quit,
}

/// What carries out the machine's effects.
struct Shell<'k> {
    kit: &'k Kit,
    progress: Progress,
    checker: Sender<Job>,
    editor: Option<Editor>,
}

/// The course as the progress sees it.
struct Standing<'a> {
    kit: &'a Kit,
    progress: &'a Progress,
}

impl Course for Standing<'_> {
    fn first_pending(&self, passed: Option<&Exercise>) -> Option<Exercise> {
        self.kit
            .catalog
            .exercises
            .iter()
            .find(|exercise| {
                passed.is_none_or(|passed| passed.name != exercise.name)
                    && !self.progress.is_done(self.kit, exercise)
            })
            .cloned()
    }
}

impl Shell<'_> {
    fn standing(&self) -> Standing<'_> {
        Standing {
            kit: self.kit,
            progress: &self.progress,
        }
    }

    fn carry_out(&mut self, effects: Vec<Effect>) -> Flow {
        for effect in effects {
            if self.carry_out_one(effect) == Flow::Quit {
                return Flow::Quit;
            }
        }
        Flow::Go
    }

    fn carry_out_one(&mut self, effect: Effect) -> Flow {
        let kit = self.kit;
        match effect {
            Effect::Check(exercise) => self.send(Job::One(Box::new(exercise))),
            Effect::CheckAll => self.send(Job::All),
            Effect::Record(result) => {
                // Another command (`hint`, say) may have saved it meanwhile.
                self.progress = Progress::load(kit);
                self.progress.record(kit, &result.exercise, result.passed());
                self.progress.save();
            }
            Effect::Announce(exercise) => terminal::status(&style::dim(&format!(
                "Checking {} ({})…",
                exercise.name,
                exercise.file()
            ))),
            Effect::ShowFailure(result) => {
                terminal::clear_screen();
                let file = result.exercise.file();
                let todo = report::first_todo_line(&kit.exercise_path(&result.exercise));
                report::failure(&result, &kit.root, &file, todo, "the `h` key");
                self.footer();
            }
            Effect::Passed(exercise) => {
                println!("{} {} passes", style::green("✓"), exercise.name)
            }
            Effect::ShowAll(results) => {
                let graded = Graded {
                    name: "exercises".into(),
                    warnings: Vec::new(),
                    exercises: results,
                    ..Graded::default()
                };
                report::graded(&graded, false);
                self.footer();
            }
            Effect::AllDone => {
                println!("{}", style::green("Every exercise passes. Well done!"));
                self.footer();
            }
            Effect::Open(exercise) => self.open(&exercise),
            Effect::ShowHint(exercise) => self.hint(&exercise),
            Effect::ShowList => {
                println!();
                list::print(kit, &Progress::load(kit));
            }
            Effect::Reset(exercise) => match restore_shipped(kit, &exercise) {
                Ok(Some(backup)) => println!(
                    "\n{} is back as shipped; your version is saved as {}.",
                    exercise.file(),
                    backup.display()
                ),
                Ok(None) => println!("\n{} is already as shipped.", exercise.file()),
                Err(err) => println!("\n{} {err:#}", style::red("error:")),
            },
            Effect::Note(note) => println!("\n{note}"),
            Effect::Quit => {
                process::stop_all();
                println!();
                return Flow::Quit;
            }
        }
        Flow::Go
    }

    fn send(&self, job: Job) {
        // The checker ends only with watch itself.
        let _ = self.checker.send(job);
    }

    /// Says which exercise is current, as a link, and opens it in the editor asked for.
    fn open(&self, exercise: &Exercise) {
        let file = exercise.file();
        let path = self.kit.root.join(&file);
        // The first TODO, where there is one; never a line 1 that means nothing.
        let at = match report::first_todo_line(&path) {
            Some(line) => format!("{file}:{line}"),
            None => file.clone(),
        };
        println!(
            "{} {}  {}",
            style::bold("→"),
            exercise.name,
            style::link(&at, &path)
        );
        if let Some(editor) = &self.editor
            && let Err(err) = editor.open_beside(Path::new(&path))
        {
            println!("{} {err:#}", style::red("error:"));
        }
    }

    fn hint(&mut self, exercise: &Exercise) {
        let level = self.progress.next_hint_level(exercise);
        self.progress.save();
        println!();
        println!(
            "{}\n{}",
            style::bold(&format!("Hint {level} of {}:", exercise.hints.len())),
            exercise.hints[level - 1].trim_end()
        );
    }

    fn footer(&self) {
        println!(
            "{}",
            report::progress_line(
                self.progress.done_count(self.kit),
                self.kit.catalog.exercises.len()
            )
        );
        println!("{}", style::dim(KEYS));
    }
}
