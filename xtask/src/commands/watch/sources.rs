//! Where watch's events come from, all into one channel: saves (from the file system's
//! events, or by polling where those do not arrive), keys, and the checker's verdicts.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use anyhow::Context;
use notify::{RecursiveMode, Watcher};

use super::state::Event;
use crate::engine::{self, Depth, Runner};
use crate::model::catalog::{CheckKind, Exercise};
use crate::model::kit::{Kit, Source};
use crate::os::terminal;
use crate::report::live::BuildBar;
use crate::report::style;

/// How often polling looks at the exercise files: quick enough that a save is checked
/// about as soon as with events, and cheap for a folder of small files.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// The file watcher; saves arrive as long as it lives.
pub struct Files {
    _watcher: Box<dyn Watcher>,
    /// Said once, on screen, when watch polls.
    pub polling_because: Option<&'static str>,
}

/// Watches `exercises/` under `root`: with the file system's events, or by polling when
/// asked (`--poll`) or where events are known not to arrive.
pub fn watch_files(root: &Path, poll: bool, events: Sender<Event>) -> anyhow::Result<Files> {
    let polling_because = if poll {
        Some("asked for with --poll")
    } else {
        events_do_not_arrive(root)
    };
    let handler = move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.kind.is_modify() || event.kind.is_create() {
            for path in event.paths {
                let _ = events.send(Event::Saved(path));
            }
        }
    };
    const CANNOT: &str = "cannot watch files";
    let mut watcher: Box<dyn Watcher> = match polling_because {
        Some(_) => Box::new(
            // notify's poller compares modification times in whole seconds: a second
            // save within the second of the first would go unseen without the contents.
            notify::PollWatcher::new(
                handler,
                notify::Config::default()
                    .with_poll_interval(POLL_INTERVAL)
                    .with_compare_contents(true),
            )
            .context(CANNOT)?,
        ),
        None => Box::new(notify::recommended_watcher(handler).context(CANNOT)?),
    };
    watcher
        .watch(&root.join("exercises"), RecursiveMode::Recursive)
        .context("cannot watch exercises/")?;
    Ok(Files {
        _watcher: watcher,
        polling_because,
    })
}

/// Why the file system's events are known not to reach watch where the kit is: a
/// Windows drive seen from WSL (`/mnt/c/…`) sends none.
fn events_do_not_arrive(root: &Path) -> Option<&'static str> {
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let under_wsl = kernel.to_lowercase().contains("microsoft");
    (under_wsl && root.starts_with("/mnt/"))
        .then_some("file events do not reach WSL from a Windows drive")
}

/// One key at a time from the terminal; a closed input only stops the keys.
pub fn read_keys(events: Sender<Event>) {
    thread::spawn(move || {
        let mut stdin = std::io::stdin();
        let mut byte = [0u8; 1];
        while let Ok(1) = stdin.read(&mut byte) {
            let key = char::from(byte[0].to_ascii_lowercase());
            if events.send(Event::Key(key)).is_err() {
                break;
            }
        }
    });
}

/// What the checker is asked to check.
pub enum Job {
    One(Box<Exercise>),
    All,
}

/// Runs checks on a thread of its own, one job at a time, so that keys are answered
/// while one runs; a status line says how far the running check is.
pub fn checker(kit: Kit, events: Sender<Event>) -> Sender<Job> {
    let (jobs, queue) = mpsc::channel::<Job>();
    thread::spawn(move || {
        for job in queue {
            let event = match Runner::new(&kit, Source::Exercises) {
                Err(err) => Event::CheckFailed(format!("{err:#}")),
                Ok(runner) => {
                    let runner = runner.with_observer(status_line());
                    match job {
                        Job::One(exercise) => {
                            match runner.check(&[&exercise], Depth::UntilFirstFailure) {
                                Ok(mut results) => Event::Checked(Box::new(results.remove(0))),
                                Err(err) => Event::CheckFailed(format!("{err:#}")),
                            }
                        }
                        Job::All => {
                            let all: Vec<&Exercise> = kit.catalog.exercises.iter().collect();
                            match runner.check(&all, Depth::All) {
                                Ok(results) => Event::CheckedAll(results),
                                Err(err) => Event::CheckFailed(format!("{err:#}")),
                            }
                        }
                    }
                }
            };
            terminal::end_status();
            if events.send(event).is_err() {
                break;
            }
        }
    });
    jobs
}

/// An observer that keeps the status line up to date: which exercise, which check, how
/// many of its cases are done.
fn status_line() -> crate::engine::Observer {
    let done: Mutex<BTreeMap<(String, CheckKind), usize>> = Mutex::new(BTreeMap::new());
    let bar = BuildBar::default();
    Arc::new(move |event: engine::Event<'_>| {
        bar.draw(&event);
        let engine::Event::Case { exercise, kind, .. } = event else {
            return;
        };
        let mut done = done.lock().unwrap_or_else(PoisonError::into_inner);
        let count = done.entry((exercise.name.clone(), kind)).or_default();
        *count += 1;
        terminal::status(&style::dim(&format!(
            "Checking {} ({kind}: {count} done)…",
            exercise.name
        )));
    })
}
