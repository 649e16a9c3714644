//! Building exercise test targets with one cargo invocation and reading the result
//! from cargo's JSON messages: an executable per target, or its compiler errors.

use anyhow::Context;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::Event;
use crate::model::catalog::CheckKind;
use crate::model::kit::{self, Kit, Tree};
use crate::model::location::Location;
use crate::os::process;
use crate::os::sandbox::{BUILD_MEMORY_BYTES, BuildSandbox, build_cpu_seconds};

/// How a tree is built: plain, or with `threadlings::sync` on loom's types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Std,
    Loom,
}

impl Flavor {
    /// The check kind whose cases a build of this flavour runs.
    pub fn kind(self) -> CheckKind {
        match self {
            Flavor::Std => CheckKind::Tests,
            Flavor::Loom => CheckKind::Loom,
        }
    }
}

/// The outcome of building one test target.
#[derive(Debug, Clone)]
pub enum Built {
    Executable(PathBuf),
    Failed(Vec<Diagnostic>),
}

/// One compiler error, as the compiler rendered it, with where it points.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rendered: String,
    /// The primary span's line, the path relative to the built tree.
    pub location: Option<Location>,
    /// Every place the error names, its notes' too (`function defined here`), in order.
    pub places: Vec<Location>,
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    message: Option<CompilerMessage>,
    /// On an artifact: whether cargo reused it rather than compiling it.
    #[serde(default)]
    fresh: bool,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct CompilerMessage {
    level: String,
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
    #[serde(default)]
    children: Vec<Child>,
}

/// A note or help under a compiler message.
#[derive(Deserialize)]
struct Child {
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    is_primary: bool,
}

/// The `cargo` that runs this runner, so that the same toolchain builds everything.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The kit that holds the current directory, building where cargo would.
pub fn discover_kit() -> anyhow::Result<Kit> {
    open_kit(&Kit::find_root()?)
}

/// The kit at `root`, building where cargo would.
pub fn open_kit(root: &Path) -> anyhow::Result<Kit> {
    Kit::open(root, || target_dir(root))
}

/// Cargo's target directory for the kit at `root`, as cargo itself resolves it: from
/// `CARGO_TARGET_DIR`, `CARGO_BUILD_TARGET_DIR` or a `build.target-dir` in a cargo
/// config file, else `root/target`. Asking cargo costs a tenth of a second on every
/// command, so it is asked only when one of those could apply.
pub fn target_dir(root: &Path) -> anyhow::Result<PathBuf> {
    if let Some(plain) = kit::plain_target_dir(root) {
        return Ok(plain);
    }
    #[derive(serde::Deserialize)]
    struct Metadata {
        target_directory: PathBuf,
    }
    let output = cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root)
        .stderr(std::process::Stdio::piped())
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        anyhow::bail!(
            "cargo metadata cannot read the kit at {}:\n{}",
            root.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let metadata: Metadata =
        serde_json::from_slice(&output.stdout).context("cannot read cargo metadata's answer")?;
    Ok(metadata.target_directory)
}

/// Builds the test targets `names` of the exercise package in `tree`, all in one
/// invocation that keeps going past a target that fails to compile. `on_built` hears of
/// each target as soon as it is built (or, for one that failed, once cargo is done), so
/// that its tests can run while cargo compiles the others.
pub fn build_tests(
    sandbox: &BuildSandbox,
    tree: &Tree,
    target_dir: &Path,
    names: &[&str],
    flavor: Flavor,
    tell: &dyn Fn(Event<'_>),
    mut on_built: impl FnMut(&str, &Built),
) -> anyhow::Result<BTreeMap<String, Built>> {
    if names.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut build = || {
        build_once(
            sandbox,
            tree,
            target_dir,
            names,
            flavor,
            tell,
            &mut on_built,
        )
    };
    let (mut log, mut status, mut stderr) = build()?;
    if !status.success() && log.is_empty() && needs_fetching(&stderr) {
        // The sandbox has no network: what the kit's own lock file names is fetched
        // outside it, once, and the build tried again.
        fetch(tree)?;
        (log, status, stderr) = build()?;
    }
    let stopped = names
        .iter()
        .any(|name| stopped_compiler(&stderr, name).is_some());
    if !status.success() && log.is_empty() && !stopped {
        // Nothing was compiled and no target had errors of its own: cargo itself failed.
        anyhow::bail!(
            "cargo could not build the exercises:\n{}",
            cargo_failure(&stderr)
        );
    }
    Ok(log.settle(names, &stderr, &mut on_built))
}

/// One `cargo build` in the build's sandbox, read as it goes; stopped at
/// `BUILD_DEADLINE`.
fn build_once<'t>(
    sandbox: &BuildSandbox,
    tree: &Tree,
    target_dir: &Path,
    names: &[&str],
    flavor: Flavor,
    tell: &'t dyn Fn(Event<'_>),
    on_built: &mut impl FnMut(&str, &Built),
) -> anyhow::Result<(BuildLog<'t>, std::process::ExitStatus, String)> {
    // A process group of its own, so that an interrupted runner stops cargo and the
    // compilers it started, too; in the build's sandbox, which also ends them with a
    // runner that is killed outright.
    let mut child = process::Group::spawn(build_command(sandbox, tree, target_dir, names, flavor))?;
    let stop = child.stopper();
    let (finished, done) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        let stopped = done.recv_timeout(BUILD_DEADLINE).is_err();
        if stopped {
            stop();
        }
        stopped
    });
    let stderr = child.stderr.take().expect("piped");
    let stderr = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let mut log = BuildLog::new(tree, tell);
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let Ok(line) = line else { break };
        if let Ok(message) = serde_json::from_str::<Message>(&line) {
            log.read(message, on_built);
        }
    }
    let status = child.wait().context("cargo did not finish")?;
    let _ = finished.send(());
    let mut stderr = stderr.join().unwrap_or_default();
    if watchdog.join().unwrap_or(false) {
        stderr.push_str(&format!(
            "\nerror: the build was stopped after {} minutes",
            BUILD_DEADLINE.as_secs() / 60
        ));
    }
    if log.progress.compiled > 0 {
        tell(Event::BuildFinished);
    }
    Ok((log, status, stderr))
}

/// The longest a build may take: the first build of the dependencies on a small,
/// busy machine takes minutes; no build of the kit takes this long.
const BUILD_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// Whether cargo failed for want of a package it may not download in the sandbox.
fn needs_fetching(stderr: &str) -> bool {
    stderr.contains("--offline") || stderr.contains("offline mode")
}

/// `cargo fetch` of the tree's lock file, outside the sandbox: no code is compiled.
fn fetch(tree: &Tree) -> anyhow::Result<()> {
    let mut command = cargo();
    command.current_dir(&tree.root).arg("fetch");
    let finished = process::run(command, std::time::Duration::from_secs(30 * 60))?;
    if !finished.success() {
        anyhow::bail!(
            "cargo could not fetch the kit's dependencies:\n{}",
            cargo_failure(&finished.stderr)
        );
    }
    Ok(())
}

/// `cargo build` of the test targets `names`, in one invocation, with JSON messages on
/// stdout for `BuildLog` to read.
fn build_command(
    sandbox: &BuildSandbox,
    tree: &Tree,
    target_dir: &Path,
    names: &[&str],
    flavor: Flavor,
) -> Command {
    let mut command = sandbox.command(cargo().get_program());
    command
        .current_dir(&tree.root)
        .env("CARGO_TARGET_DIR", target_dir)
        // `--keep-going`: one exercise that does not compile must not stop the others
        // from building (`cargo test --no-run` has no such option).
        .args([
            "build",
            // The sandbox has no network (see `fetch`).
            "--offline",
            "--keep-going",
            "--message-format=json",
            "--package",
            &tree.package,
        ]);
    if flavor == Flavor::Loom {
        command.args(["--features", "loom"]);
    }
    for name in names {
        command.args(["--test", name]);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// What cargo's messages have said so far: the test executables built, the errors of
/// each target, and the progress they tell of.
struct BuildLog<'t> {
    results: BTreeMap<String, Built>,
    errors: BTreeMap<String, Vec<Diagnostic>>,
    progress: BuildProgress<'t>,
}

impl<'t> BuildLog<'t> {
    fn new(tree: &Tree, tell: &'t dyn Fn(Event<'_>)) -> BuildLog<'t> {
        BuildLog {
            results: BTreeMap::new(),
            errors: BTreeMap::new(),
            progress: BuildProgress::new(tree, tell),
        }
    }

    /// Takes in one message: a test executable is announced to `on_built` at once, so
    /// that its tests can run while cargo goes on; an error is kept for its target.
    /// Whether nothing was built and no target had errors of its own.
    fn is_empty(&self) -> bool {
        self.results.is_empty() && self.errors.is_empty()
    }

    fn read(&mut self, message: Message, on_built: &mut impl FnMut(&str, &Built)) {
        let Some(target) = message.target else {
            return;
        };
        if message.reason == "compiler-artifact" && !message.fresh {
            self.progress.compiled(&target.name);
        }
        match message.reason.as_str() {
            "compiler-artifact" if target.kind.iter().any(|kind| kind == "test") => {
                if let Some(executable) = message.executable {
                    let built = Built::Executable(executable);
                    on_built(&target.name, &built);
                    self.results.insert(target.name, built);
                }
            }
            "compiler-message" => {
                if let Some(diagnostic) = message.message.and_then(own_error) {
                    self.errors.entry(target.name).or_default().push(diagnostic);
                }
            }
            _ => {}
        }
    }

    /// Once cargo is done: each target of `names` that built no executable failed, with
    /// its own errors, or with cargo's stderr when it has none.
    fn settle(
        mut self,
        names: &[&str],
        stderr: &str,
        on_built: &mut impl FnMut(&str, &Built),
    ) -> BTreeMap<String, Built> {
        for name in names {
            if self.results.contains_key(*name) {
                continue;
            }
            let diagnostics = self.errors.remove(*name).unwrap_or_else(|| {
                // No error of the target's own: a limit stopped its compiler, or cargo
                // itself failed, or the library did.
                vec![Diagnostic {
                    rendered: stopped_compiler(stderr, name)
                        .unwrap_or_else(|| cargo_failure(stderr)),
                    location: None,
                    places: Vec::new(),
                }]
            });
            let built = Built::Failed(diagnostics);
            on_built(name, &built);
            self.results.insert((*name).to_string(), built);
        }
        self.results
    }
}

/// A compiler message as one of the target's errors, with where it points; warnings and
/// the closing summaries say nothing of why it failed.
fn own_error(message: CompilerMessage) -> Option<Diagnostic> {
    if message.level != "error" || message.rendered.as_deref().is_some_and(is_summary) {
        return None;
    }
    // Of several places (an unclosed delimiter, and the one that closes it wrongly),
    // the first in the file: where the mistake starts, and where rustc's `-->` points.
    let primary: Vec<&Span> = message
        .spans
        .iter()
        .filter(|span| span.is_primary)
        .collect();
    let location = primary.first().map(|first| {
        let line = primary
            .iter()
            .filter(|span| span.file_name == first.file_name)
            .map(|span| span.line_start)
            .min()
            .unwrap_or(first.line_start);
        Location::new(&first.file_name, line)
    });
    let places = message
        .spans
        .iter()
        .chain(message.children.iter().flat_map(|child| &child.spans))
        .map(|span| Location::new(&span.file_name, span.line_start))
        .collect();
    Some(Diagnostic {
        rendered: message.rendered.unwrap_or_default(),
        location,
        places,
    })
}

/// "aborting due to 2 previous errors" and the like carry nothing of their own.
fn is_summary(rendered: &str) -> bool {
    rendered.starts_with("error: aborting due to")
        || rendered.starts_with("error: could not compile")
}

/// Why the compiler of the test target `name` was stopped, when a limit of the build's
/// sandbox stopped it: cargo names the signal the compiler died of.
fn stopped_compiler(stderr: &str, name: &str) -> Option<String> {
    let target = format!("(test \"{name}\")");
    let told = stderr.split("error: could not compile").find(|block| {
        block
            .lines()
            .next()
            .is_some_and(|line| line.contains(&target))
    })?;
    // cargo names the signal, or only gives its number (the same on Linux and macOS).
    let died_of = |name: &str, number: u8| {
        told.contains(name) || told.contains(&format!("(signal: {number})"))
    };
    let why = if died_of("SIGXCPU", 24) {
        format!("it used all of its {} s of CPU time", build_cpu_seconds())
    } else if died_of("SIGABRT", 6) && stderr.contains("memory allocation of") {
        format!(
            "it ran out of its {} GiB of memory",
            BUILD_MEMORY_BYTES >> 30
        )
    } else if died_of("SIGKILL", 9) && stderr.contains("the build was stopped after") {
        "the build took too long".to_string()
    } else {
        return None;
    };
    Some(format!(
        "error: the compiler was stopped: {why}. Does a macro or a constant of the exercise \
         expand or evaluate without end?"
    ))
}

fn cargo_failure(stderr: &str) -> String {
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|line| {
            !line.trim_start().starts_with("Compiling")
                && !line.trim_start().starts_with("Blocking")
        })
        .collect();
    errors.join("\n").trim().to_string()
}

/// The build's progress, told to the observer as cargo's JSON messages come: the first
/// build of the dependencies takes a minute or more on a small machine, and an observer
/// draws a bar of it (`report/live.rs`).
struct BuildProgress<'t> {
    compiled: usize,
    /// An estimate: the packages in the lock file (build scripts add a few units).
    expected: usize,
    tell: &'t dyn Fn(Event<'_>),
}

impl<'t> BuildProgress<'t> {
    fn new(tree: &Tree, tell: &'t dyn Fn(Event<'_>)) -> BuildProgress<'t> {
        let lock = std::fs::read_to_string(tree.root.join("Cargo.lock")).unwrap_or_default();
        let expected = lock.matches("[[package]]").count().max(1);
        BuildProgress {
            compiled: 0,
            expected,
            tell,
        }
    }

    fn compiled(&mut self, unit: &str) {
        self.compiled += 1;
        (self.tell)(Event::BuildProgress {
            compiled: self.compiled,
            expected: self.expected,
            unit,
        });
    }
}
