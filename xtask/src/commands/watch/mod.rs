//! `cargo xtask watch`: checks the current exercise, checks it again each time it is
//! saved, moves on when it passes, and answers single keys while it works.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::PoisonError;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::Exit;
use crate::catalog::Exercise;
use crate::commands::reset;
use crate::kit::{Kit, Source};
use crate::os;
use crate::outcome::{ExerciseResult, Graded};
use crate::process;
use crate::progress::Progress;
use crate::report::terminal;
use crate::runner::{Depth, Runner};
use crate::style;

/// Saves come in bursts (editors write, rename, touch); one check per burst.
const DEBOUNCE: Duration = Duration::from_millis(150);

const KEYS: &str = "n next · h hint · l list · c check all · x reset · r re-check · q quit";

enum Event {
    Saved(PathBuf),
    Key(u8),
    Checked(Box<ExerciseResult>),
    CheckedAll(Vec<ExerciseResult>),
    Failed(String),
}

enum Job {
    One(Box<Exercise>),
    All,
}

pub fn watch() -> Result<Exit, String> {
    let kit = Kit::discover()?;
    let (events, inbox) = mpsc::channel();
    let mut watcher = file_watcher(events.clone())?;
    watcher
        .watch(&kit.root.join("exercises"), RecursiveMode::Recursive)
        .map_err(|err| format!("cannot watch exercises/: {err}"))?;
    let _raw = RawTerminal::enter();
    read_keys(events.clone());
    let jobs = checker(
        Kit::open(&kit.root)?.with_target_dir(kit.target_dir()),
        events,
    );
    let mut progress = Progress::load(&kit);
    let Some(mut current) = progress.current(&kit).cloned() else {
        println!("{}", style::green("Every exercise passes. Well done!"));
        return Ok(Exit::Success);
    };
    let mut checking = true;
    let mut pending = false;
    announce(&current);
    let _ = jobs.send(Job::One(Box::new(current.clone())));
    loop {
        let event = inbox
            .recv()
            .map_err(|_| "the watcher stopped".to_string())?;
        match event {
            Event::Saved(path) if path.ends_with(current.file()) => {
                settle(&inbox, &current);
                if checking {
                    pending = true;
                } else {
                    checking = true;
                    announce(&current);
                    let _ = jobs.send(Job::One(Box::new(current.clone())));
                }
            }
            Event::Saved(_) => {}
            Event::Checked(result) => {
                progress = Progress::load(&kit);
                progress.record(&kit, &result.exercise, result.passed());
                progress.save();
                checking = false;
                if pending {
                    pending = false;
                    checking = true;
                    announce(&current);
                    let _ = jobs.send(Job::One(Box::new(current.clone())));
                    continue;
                }
                if result.passed() {
                    println!("{} {} passes", style::green("✓"), result.exercise.name);
                    match progress.current(&kit) {
                        Some(next) => {
                            current = next.clone();
                            checking = true;
                            announce(&current);
                            let _ = jobs.send(Job::One(Box::new(current.clone())));
                        }
                        None => {
                            println!("{}", style::green("Every exercise passes. Well done!"));
                            footer(&kit, &progress);
                        }
                    }
                } else {
                    clear_screen();
                    terminal::failure(
                        &result,
                        &kit.root,
                        &current.file(),
                        terminal::first_todo_line(&kit.exercise_path(&current)),
                        "the `h` key",
                    );
                    footer(&kit, &progress);
                }
            }
            Event::CheckedAll(results) => {
                checking = false;
                progress = Progress::load(&kit);
                for result in &results {
                    progress.record(&kit, &result.exercise, result.passed());
                }
                progress.save();
                terminal::graded(
                    &Graded {
                        name: "exercises".into(),
                        warnings: Vec::new(),
                        exercises: results,
                    },
                    false,
                );
                footer(&kit, &progress);
            }
            Event::Failed(err) => {
                checking = false;
                println!("{} {err}", style::red("error:"));
                footer(&kit, &progress);
            }
            Event::Key(b'q') => {
                process::stop_all();
                println!();
                return Ok(Exit::Success);
            }
            Event::Key(b'h') => {
                let level = progress.next_hint_level(&current);
                progress.save();
                println!();
                let hint = &current.hints[level - 1];
                println!(
                    "{}\n{}",
                    style::bold(&format!("Hint {level} of {}:", current.hints.len())),
                    hint.trim_end()
                );
            }
            Event::Key(b'l') => {
                println!();
                let _ = crate::commands::list();
            }
            Event::Key(b'n') => match progress.current(&kit) {
                Some(next) if next.name != current.name => {
                    current = next.clone();
                    checking = true;
                    announce(&current);
                    let _ = jobs.send(Job::One(Box::new(current.clone())));
                }
                _ => println!(
                    "\n`{}` is not done yet: it must pass before the next one.",
                    current.name
                ),
            },
            Event::Key(b'r') if !checking => {
                checking = true;
                announce(&current);
                let _ = jobs.send(Job::One(Box::new(current.clone())));
            }
            Event::Key(b'c') if !checking => {
                checking = true;
                println!("\nChecking every exercise…");
                let _ = jobs.send(Job::All);
            }
            Event::Key(b'x') => match reset::restore(&kit, &current) {
                Ok(Some(backup)) => println!(
                    "\n{} is back as shipped; your version is saved as {}.",
                    current.file(),
                    backup.display()
                ),
                Ok(None) => println!("\n{} is already as shipped.", current.file()),
                Err(err) => println!("\n{} {err}", style::red("error:")),
            },
            Event::Key(b'r') => {
                // The running check has the file as it is; a later save re-checks anyway.
                println!("\nA check is already running; its verdict comes when it is done.")
            }
            Event::Key(b'c') => {
                println!("\nA check is running; press `c` again when it is done.")
            }
            Event::Key(_) => {}
        }
    }
}

/// Waits until saves of `exercise` stop coming for `DEBOUNCE`.
fn settle(inbox: &Receiver<Event>, exercise: &Exercise) {
    let mut quiet_since = Instant::now();
    loop {
        match inbox.recv_timeout(DEBOUNCE.saturating_sub(quiet_since.elapsed())) {
            Ok(Event::Saved(path)) if path.ends_with(exercise.file()) => {
                quiet_since = Instant::now()
            }
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
        }
        if quiet_since.elapsed() >= DEBOUNCE {
            return;
        }
    }
}

fn announce(exercise: &Exercise) {
    println!(
        "{}",
        style::dim(&format!(
            "Checking {} ({})…",
            exercise.name,
            exercise.file()
        ))
    );
}

fn footer(kit: &Kit, progress: &Progress) {
    println!(
        "{}",
        terminal::progress_line(progress.done_count(kit), kit.catalog.exercises.len())
    );
    println!("{}", style::dim(KEYS));
}

fn clear_screen() {
    if std::io::stdout().is_terminal() && style::escape_codes_work() {
        print!("\x1b[2J\x1b[H");
        let _ = std::io::stdout().flush();
    }
}

fn file_watcher(events: Sender<Event>) -> Result<notify::RecommendedWatcher, String> {
    notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.kind.is_modify() || event.kind.is_create() {
            for path in event.paths {
                let _ = events.send(Event::Saved(path));
            }
        }
    })
    .map_err(|err| format!("cannot watch files: {err}"))
}

/// One key at a time from the terminal; a closed input only stops the keys.
fn read_keys(events: Sender<Event>) {
    thread::spawn(move || {
        let mut stdin = std::io::stdin();
        let mut byte = [0u8; 1];
        while let Ok(1) = stdin.read(&mut byte) {
            if events
                .send(Event::Key(byte[0].to_ascii_lowercase()))
                .is_err()
            {
                break;
            }
        }
    });
}

/// Runs checks on a thread of its own, so that keys are answered while one runs.
fn checker(kit: Kit, events: Sender<Event>) -> Sender<Job> {
    let (jobs, queue) = mpsc::channel::<Job>();
    thread::spawn(move || {
        for job in queue {
            let event = match Runner::new(&kit, Source::Exercises) {
                Err(err) => Event::Failed(err),
                Ok(runner) => match job {
                    Job::One(exercise) => {
                        match runner.check(&[&exercise], Depth::UntilFirstFailure) {
                            Ok(mut results) => Event::Checked(Box::new(results.remove(0))),
                            Err(err) => Event::Failed(err),
                        }
                    }
                    Job::All => {
                        let all: Vec<&Exercise> = kit.catalog.exercises.iter().collect();
                        match runner.check(&all, Depth::All) {
                            Ok(results) => Event::CheckedAll(results),
                            Err(err) => Event::Failed(err),
                        }
                    }
                },
            };
            if events.send(event).is_err() {
                break;
            }
        }
    });
    jobs
}

/// Single keys without Enter, while watch mode runs; the terminal is restored on drop,
/// and by the interrupt handler when a signal ends the command.
struct RawTerminal;

/// The terminal's settings before watch changed them.
static ORIGINAL: std::sync::Mutex<Option<os::TerminalSettings>> = std::sync::Mutex::new(None);

impl RawTerminal {
    fn enter() -> RawTerminal {
        let Some(settings) = os::TerminalSettings::read() else {
            return RawTerminal;
        };
        // Saved and registered first: an interrupt from here on puts them back.
        *ORIGINAL.lock().unwrap_or_else(PoisonError::into_inner) = Some(settings);
        crate::signals::on_interrupt(restore_terminal);
        if let Some(settings) = ORIGINAL
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            settings.enter_single_keys();
        }
        RawTerminal
    }
}

impl Drop for RawTerminal {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn restore_terminal() {
    if let Some(original) = ORIGINAL
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
    {
        original.restore();
    }
}
