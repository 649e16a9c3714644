//! Running one child process under a timeout, in a process tree of its own (`os::Tree`:
//! a process group, or a job object on Windows) so that a hung test and every thread or
//! process it started can be stopped together.

use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::os;

/// Bytes kept of each output stream: the head and the tail, with a note between.
const OUTPUT_CAP: usize = 256 * 1024;

/// Output past which a process is stopped: no check prints this much, and a flood
/// must not fill the grader's memory or disk.
pub const OUTPUT_LIMIT: usize = 16 << 20;

/// How a child process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It ended by itself (or by a signal), with this status.
    Exited(ExitStatus),
    /// It was stopped at its timeout.
    TimedOut,
    /// It was stopped for printing more than `OUTPUT_LIMIT` bytes.
    Flooded,
    /// It was stopped for writing more than `FOLDER_LIMIT` bytes into its folder.
    FilledItsFolder,
}

/// What a test may write into its scratch folder, all files together (each file is
/// capped by the sandbox too): a harness log and a model's recording are far less.
pub const FOLDER_LIMIT: u64 = 256 << 20;

#[derive(Debug)]
pub struct Finished {
    pub ending: Ending,
    pub stdout: String,
    pub stderr: String,
    pub duration: Duration,
}

impl Finished {
    pub fn timed_out(&self) -> bool {
        self.ending == Ending::TimedOut
    }

    pub fn success(&self) -> bool {
        matches!(self.ending, Ending::Exited(status) if status.success())
    }

    /// "exit code 3", "killed by signal 6 (SIGABRT: …)", "exit code 0xC00000FD (a stack
    /// overflow)", ...
    pub fn describe_status(&self) -> String {
        match self.ending {
            Ending::Flooded => format!(
                "stopped after printing more than {} MiB",
                OUTPUT_LIMIT >> 20
            ),
            Ending::FilledItsFolder => format!(
                "stopped after writing more than {} MiB of files",
                FOLDER_LIMIT >> 20
            ),
            Ending::TimedOut => "stopped at its timeout".into(),
            Ending::Exited(status) => os::describe_exit(status),
        }
    }
}

/// Runs `command` to completion or until `timeout`, capturing capped output. The wait
/// for the output ends with the deadline too, whoever still holds the pipes (a process
/// the child left behind, where nothing kills it with the child).
pub fn run(command: Command, timeout: Duration) -> anyhow::Result<Finished> {
    run_watching(command, timeout, None)
}

/// Runs `command` as `run` does, and stops it once the files in `folder` (the only one
/// it may write to) hold more than `FOLDER_LIMIT` bytes.
pub fn run_writing_in(
    command: Command,
    timeout: Duration,
    folder: &Path,
) -> anyhow::Result<Finished> {
    run_watching(command, timeout, Some(folder))
}

fn run_watching(
    mut command: Command,
    timeout: Duration,
    folder: Option<&Path>,
) -> anyhow::Result<Finished> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let deadline = started + timeout;
    let mut child = Group::spawn(command)?;
    let printed = Arc::new(AtomicUsize::new(0));
    let stdout = Capture::start(child.stdout.take().expect("piped"), Arc::clone(&printed));
    let stderr = Capture::start(child.stderr.take().expect("piped"), Arc::clone(&printed));
    let mut ending = wait(&mut child, timeout, &printed, folder);
    drop(child);
    // A flood is judged as one even when the child ended before it was stopped.
    if printed.load(Ordering::Relaxed) > OUTPUT_LIMIT {
        ending = Ending::Flooded;
    }
    if folder.is_some_and(|folder| bytes_under(folder) > FOLDER_LIMIT) {
        ending = Ending::FilledItsFolder;
    }
    Ok(Finished {
        ending,
        stdout: stdout.text_by(deadline),
        stderr: stderr.text_by(deadline),
        duration: started.elapsed(),
    })
}

/// Runs `command` with its output going straight to this terminal, until it ends or
/// `timeout`; the returned output is empty.
pub fn run_live(mut command: Command, timeout: Duration) -> anyhow::Result<Finished> {
    command.stdin(Stdio::null());
    let started = Instant::now();
    let mut child = Group::spawn(command)?;
    let ending = wait(&mut child, timeout, &AtomicUsize::new(0), None);
    Ok(Finished {
        ending,
        stdout: String::new(),
        stderr: String::new(),
        duration: started.elapsed(),
    })
}

/// A child process at the root of a process tree of its own, registered so that
/// `stop_all` can stop it. Dropping it kills the whole tree, whatever the child's
/// outcome, so that nothing it started outlives it.
pub struct Group {
    child: Child,
    tree: Arc<os::Tree>,
}

impl Group {
    /// Starts `command` in a new process tree. Starting and registering happen under
    /// one lock that `stop_all` also takes, so a child started while the runner is being
    /// interrupted is either stopped with the rest or never started.
    pub fn spawn(mut command: Command) -> anyhow::Result<Group> {
        let program = command.get_program().to_string_lossy().into_owned();
        let mut running = running();
        if running.stopping {
            anyhow::bail!("not starting {program}: the command is being interrupted");
        }
        let (child, tree) =
            os::Tree::spawn(&mut command).with_context(|| format!("cannot start {program}"))?;
        let tree = Arc::new(tree);
        running.groups.push((child.id(), Arc::clone(&tree)));
        Ok(Group { child, tree })
    }
}

impl Group {
    /// Something that kills the whole tree, from another thread, while this group is
    /// waited for.
    pub fn stopper(&self) -> impl FnOnce() + Send + 'static {
        let tree = Arc::clone(&self.tree);
        move || tree.kill()
    }
}

impl std::ops::Deref for Group {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.child
    }
}

impl std::ops::DerefMut for Group {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.child
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let id = self.child.id();
        self.tree.kill();
        running().groups.retain(|(pid, _)| *pid != id);
        // Reaps the leader if it was killed just now; returns at once if it had ended.
        let _ = self.child.wait();
    }
}

/// Waits for the child until it ends, `timeout` passes, it has printed too much or
/// (looked at every `FOLDER_LOOK`) written too much into `folder`; dropping the group
/// then kills whatever is left of it.
fn wait(
    child: &mut Child,
    timeout: Duration,
    printed: &AtomicUsize,
    folder: Option<&Path>,
) -> Ending {
    const FOLDER_LOOK: Duration = Duration::from_millis(100);
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    let mut next_look = Instant::now() + FOLDER_LOOK;
    loop {
        if printed.load(Ordering::Relaxed) > OUTPUT_LIMIT {
            return Ending::Flooded;
        }
        if let Some(folder) = folder
            && Instant::now() >= next_look
        {
            if bytes_under(folder) > FOLDER_LIMIT {
                return Ending::FilledItsFolder;
            }
            next_look = Instant::now() + FOLDER_LOOK;
        }
        match child.try_wait() {
            Ok(Some(status)) => return Ending::Exited(status),
            Ok(None) if Instant::now() >= deadline => return Ending::TimedOut,
            Ok(None) => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            // The child cannot be waited for: it is treated as hung, and stopped.
            Err(_) => return Ending::TimedOut,
        }
    }
}

/// The bytes of the files under `folder`, links not followed; past a few thousand
/// entries, or a few levels down, what is left counts as over the limit.
fn bytes_under(folder: &Path) -> u64 {
    const ENTRIES: usize = 4096;
    const DEPTH: usize = 8;
    let mut total = 0u64;
    let mut seen = 0usize;
    let mut pending = vec![(folder.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > ENTRIES || depth > DEPTH {
                return u64::MAX;
            }
            let Ok(meta) = entry.path().symlink_metadata() else {
                continue;
            };
            if meta.is_dir() {
                pending.push((entry.path(), depth + 1));
            } else {
                total = total.saturating_add(meta.len());
            }
        }
    }
    total
}

/// Process trees started and not yet finished, by their root's process id, and whether
/// the runner is stopping.
struct Running {
    groups: Vec<(u32, Arc<os::Tree>)>,
    stopping: bool,
}

fn running() -> std::sync::MutexGuard<'static, Running> {
    static RUNNING: std::sync::Mutex<Running> = std::sync::Mutex::new(Running {
        groups: Vec::new(),
        stopping: false,
    });
    lock(&RUNNING)
}

/// Stops every process tree still running, for a runner that is quitting mid-check,
/// and refuses to start any more.
pub fn stop_all() {
    let mut running = running();
    running.stopping = true;
    for (_, tree) in &running.groups {
        tree.kill();
    }
}

/// A stream read to its end on a thread of its own, keeping at most `OUTPUT_CAP` bytes
/// (the head and the tail) and counting every byte into `printed`.
struct Capture {
    kept: Arc<Mutex<Kept>>,
    done: mpsc::Receiver<()>,
}

#[derive(Default)]
struct Kept {
    head: Vec<u8>,
    tail: VecDeque<u8>,
    dropped: usize,
}

impl Capture {
    fn start(mut stream: impl Read + Send + 'static, printed: Arc<AtomicUsize>) -> Capture {
        let kept = Arc::new(Mutex::new(Kept::default()));
        let (finished, done) = mpsc::channel();
        let into = Arc::clone(&kept);
        thread::spawn(move || {
            let mut buffer = [0u8; 64 * 1024];
            while let Ok(read) = stream.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                printed.fetch_add(read, Ordering::Relaxed);
                lock(&into).keep(&buffer[..read]);
            }
            let _ = finished.send(());
        });
        Capture { kept, done }
    }

    /// What was kept once the stream ends, or at `deadline` if it has not: the thread
    /// then goes on until whoever holds the stream closes it, and nothing waits for it.
    fn text_by(self, deadline: Instant) -> String {
        let _ = self
            .done
            .recv_timeout(deadline.saturating_duration_since(Instant::now()));
        lock(&self.kept).text()
    }
}

impl Kept {
    fn keep(&mut self, chunk: &[u8]) {
        let into_head = chunk.len().min(OUTPUT_CAP / 2 - self.head.len());
        self.head.extend_from_slice(&chunk[..into_head]);
        self.tail.extend(&chunk[into_head..]);
        let excess = self.tail.len().saturating_sub(OUTPUT_CAP / 2);
        self.tail.drain(..excess);
        self.dropped += excess;
    }

    fn text(&mut self) -> String {
        let mut text = String::from_utf8_lossy(&self.head).into_owned();
        if self.dropped > 0 {
            text.push_str(&format!(
                "\n[... {} bytes of output left out ...]\n",
                self.dropped
            ));
        }
        text.push_str(&String::from_utf8_lossy(self.tail.make_contiguous()));
        text
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The last `count` non-empty lines of `text`.
pub fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

/// These start unix shells.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Leaves a process in a session of its own holding the output pipes, and exits
    /// once that process is in its session (it has written its marker).
    const DAEMON: &str = "marker=$(mktemp -u); echo started; \
        setsid sh -c \"echo > $marker; exec sleep 30\" & \
        while [ ! -e $marker ]; do :; done; rm -f $marker";

    /// `stop_all` affects every child of the process: the tests that start children
    /// take turns.
    static CHILDREN: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn take_turn() -> std::sync::MutexGuard<'static, ()> {
        CHILDREN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    #[test]
    fn stopping_kills_every_running_group_and_starts_no_more() {
        let _turn = take_turn();
        let waiting = thread::spawn(|| {
            let mut command = Command::new("sh");
            command.args(["-c", "sleep 60 & sleep 60"]);
            run(command, Duration::from_secs(60)).unwrap()
        });
        while running().groups.is_empty() {
            thread::sleep(Duration::from_millis(5));
        }
        stop_all();
        let finished = waiting.join().unwrap();
        let refused = run(Command::new("true"), Duration::from_secs(5));
        running().stopping = false;
        assert!(
            finished.duration < Duration::from_secs(30),
            "stopped, not left to its timeout: {:?}",
            finished.duration
        );
        assert!(!finished.success(), "{}", finished.describe_status());
        assert!(
            refused.is_err(),
            "no child starts once the runner is stopping"
        );
    }

    #[test]
    fn a_hung_process_and_its_children_are_stopped_at_the_timeout() {
        let _turn = take_turn();
        let mut command = Command::new("sh");
        command.args(["-c", "echo started; sleep 30 & sleep 30"]);
        let finished = run(command, Duration::from_millis(300)).unwrap();
        assert!(finished.timed_out());
        assert_eq!(finished.stdout.trim(), "started");
        assert!(
            finished.duration < Duration::from_secs(10),
            "{:?}",
            finished.duration
        );
    }

    /// A process left behind in a session of its own keeps the output pipes open; the
    /// runner's wait for the output still ends with the deadline.
    #[test]
    fn the_wait_for_output_ends_with_the_deadline_whoever_holds_the_pipes() {
        let _turn = take_turn();
        let mut command = Command::new("sh");
        command.args(["-c", DAEMON]);
        let finished = run(command, Duration::from_secs(2)).unwrap();
        assert!(finished.success(), "{}", finished.describe_status());
        assert_eq!(finished.stdout.trim(), "started");
        assert!(
            finished.duration < Duration::from_secs(10),
            "the output was waited for past the deadline: {:?}",
            finished.duration
        );
    }

    #[test]
    fn output_is_capped_at_head_and_tail() {
        let _turn = take_turn();
        let mut command = Command::new("sh");
        command.args([
            "-c",
            "echo first; head -c 2000000 /dev/zero | tr '\\0' x; echo; echo last",
        ]);
        let finished = run(command, Duration::from_secs(20)).unwrap();
        assert!(finished.success());
        assert!(
            finished.stdout.len() <= OUTPUT_CAP + 100,
            "{}",
            finished.stdout.len()
        );
        assert!(
            finished.stdout.starts_with("first") && finished.stdout.trim_end().ends_with("last")
        );
        assert!(finished.stdout.contains("bytes of output left out"));
    }

    #[test]
    fn a_signal_is_described() {
        let _turn = take_turn();
        let mut command = Command::new("sh");
        command.args(["-c", "kill -ABRT $$"]);
        let finished = run(command, Duration::from_secs(10)).unwrap();
        assert!(
            finished.describe_status().contains("SIGABRT"),
            "{}",
            finished.describe_status()
        );
    }
}

/// The same on Windows, with real job objects: the children are the test executable
/// itself (`os::windows::tests::child`).
#[cfg(all(test, windows))]
mod windows_tests {
    use super::*;
    use crate::os::windows::tests::{child, ended};

    #[test]
    fn a_hung_process_and_its_children_are_stopped_at_the_timeout() {
        // Long enough for the child to start its own on a busy machine.
        let finished = run(child("parent"), Duration::from_secs(10)).unwrap();
        assert!(finished.timed_out(), "{}", finished.describe_status());
        let grandchild: u32 = finished
            .stdout
            .lines()
            .find_map(|line| line.trim().parse().ok())
            .unwrap_or_else(|| panic!("the child's child's id: {finished:?}"));
        assert!(ended(grandchild), "the child's child outlived the timeout");
    }

    #[test]
    fn output_is_capped_at_head_and_tail() {
        let finished = run(child("flood"), Duration::from_secs(60)).unwrap();
        assert!(finished.success(), "{}", finished.describe_status());
        assert!(
            finished.stdout.len() <= OUTPUT_CAP + 200,
            "{}",
            finished.stdout.len()
        );
        let (head, tail) = finished.stdout.split_at(OUTPUT_CAP / 2);
        assert!(head.contains("first\n"), "{head:.200}");
        assert!(tail.trim_end().ends_with("last"));
        assert!(finished.stdout.contains("bytes of output left out"));
    }

    #[test]
    fn a_flood_of_output_is_stopped() {
        let finished = run(child("endless flood"), Duration::from_secs(60)).unwrap();
        assert_eq!(finished.ending, Ending::Flooded, "{finished:?}");
    }

    #[test]
    fn an_access_violation_is_described_in_words() {
        let finished = run(child("crash"), Duration::from_secs(60)).unwrap();
        assert_eq!(
            finished.describe_status(),
            "exit code 0xC0000005 (an access violation: invalid memory access)",
            "{}",
            finished.stderr
        );
    }
}
