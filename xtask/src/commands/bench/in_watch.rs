//! Save → verdict inside `watch`: watch run in a clone as a student runs it, its output
//! read until it gives the verdict on each save.

use anyhow::Context;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::model::catalog::Exercise;
use crate::model::kit::Kit;

use super::measure::{cargo_test, median};

/// Save → verdict inside `watch`, which runs no `cargo run` before each check: watch is
/// started on the exercise as shipped, and each run saves the solution and times until
/// watch says it passes (then puts the shipped file back and waits for its verdict). The
/// baseline is a bare `cargo test` of the same target after the same save.
pub(super) fn save_to_verdict_in_watch(
    kit: &Kit,
    solved: &Path,
    exercise: &Exercise,
    runs: usize,
) -> anyhow::Result<(Duration, Duration)> {
    let versions = Versions::read(kit, solved, exercise)?;
    versions.save(&versions.shipped)?;
    let watch = WatchProcess::start(solved)?;
    let failed = format!("✗ {}", exercise.name);
    let passed = format!("✓ {} passes", exercise.name);
    watch.wait_for(&failed)?;
    let mut first = true;
    let in_watch = median(runs, || {
        if !std::mem::take(&mut first) {
            versions.save(&versions.shipped)?;
            watch.wait_for(&failed)?;
        }
        let started = Instant::now();
        versions.save(&versions.solution)?;
        watch.wait_for(&passed)?;
        Ok(started.elapsed())
    });
    watch.quit();
    let in_watch = in_watch?;
    let bare = median(runs, || {
        versions.save(&versions.shipped)?;
        cargo_test(solved, exercise)?;
        versions.save(&versions.solution)?;
        cargo_test(solved, exercise)
    })?;
    Ok((in_watch, bare))
}

/// An exercise's file in the clone, and the two texts that the watch measurement saves
/// into it in turn.
struct Versions {
    file: PathBuf,
    shipped: String,
    solution: String,
}

impl Versions {
    fn read(kit: &Kit, solved: &Path, exercise: &Exercise) -> anyhow::Result<Versions> {
        let read = |path: PathBuf| {
            std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))
        };
        let solution = read(kit.root.join(exercise.solution_file()))?;
        let shipped = read(kit.root.join(exercise.file()))?;
        Ok(Versions {
            file: solved.join(exercise.file()),
            shipped,
            solution,
        })
    }

    fn save(&self, text: &str) -> anyhow::Result<()> {
        std::fs::write(&self.file, text)
            .with_context(|| format!("cannot write {}", self.file.display()))
    }
}

/// `watch` running in a clone, its output read on a thread of its own so that waiting
/// for a verdict can give up.
struct WatchProcess {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl WatchProcess {
    fn start(solved: &Path) -> anyhow::Result<WatchProcess> {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new(solved.join("target/debug/xtask"))
            .arg("watch")
            .current_dir(solved)
            .env_remove("CARGO_TARGET_DIR")
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start watch")?;
        let (sender, lines) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Ok(WatchProcess { child, lines })
    }

    /// Reads watch's output up to a line that contains `wanted`.
    fn wait_for(&self, wanted: &str) -> anyhow::Result<()> {
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(300)) {
            if line.contains(wanted) {
                return Ok(());
            }
        }
        Err(anyhow::anyhow!("watch never printed `{wanted}`"))
    }

    /// Quits with watch's own key, as a student does, and waits for it to end.
    fn quit(mut self) {
        use std::io::Write;
        let _ = self.child.stdin.as_mut().map(|stdin| stdin.write_all(b"q"));
        let _ = self.child.wait();
    }
}
