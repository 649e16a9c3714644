//! The limits every test process runs under. The runner starts each test through its
//! own hidden `sandbox` subcommand, which confines itself in a fresh single-threaded
//! process and then hands over to the test (`exec` on unix; on Windows the test runs
//! as its child, inside the same job), so the test inherits the limits:
//!
//! - resource limits: memory (allocating all memory fails instead of swapping the
//!   machine to a halt; on Linux so does spawning thousands of threads), processes (a
//!   fork or thread bomb stops at a bound), CPU time (a spin that outlives the
//!   wall-clock timeout still ends), file size, and no core dumps;
//! - the file system (Linux Landlock, where the kernel has it): the test may read only
//!   system folders and its own executable, and write only its scratch folder, so a
//!   submission cannot read the reference solutions or another student's work.
//!
//! What each system enforces is the README's table ("For instructors"); what one
//! cannot is said under `check`'s table. Process trees, timeouts and output caps are `process.rs`'s concern.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;

use crate::os;

/// The hidden subcommand.
pub const COMMAND: &str = "sandbox";

/// Enough for tokio, rayon and loom; far from all of a 24 GiB machine.
const MEMORY_BYTES: u64 = 4 << 30;
const FILE_SIZE_BYTES: u64 = 64 << 20;
/// Processes and threads a test may start. Linux counts them per user, so the limit is
/// this many more than the user already runs; it does not apply to root.
const NEW_TASKS: u64 = 1024;

/// Folders a test process may read (and execute from) where files are confined: what
/// the dynamic loader and std need, and of `/proc` only the test's own entry.
/// Everything else, the kit, other submissions and other processes included, is out of
/// reach.
const READABLE: [&str; 8] = [
    "/usr",
    "/lib",
    "/lib64",
    "/bin",
    "/etc",
    "/proc/self",
    "/sys",
    "/dev",
];

/// What a program needs of the environment to start: nothing on unix; on Windows, where
/// the system lives.
const SYSTEM_VARIABLES: &[&str] = if cfg!(windows) {
    &["SystemRoot", "SystemDrive", "windir"]
} else {
    &[]
};

/// A folder of one test process's own, made new under a base folder and removed with
/// whatever the test left in it once dropped: no test can read or undo another's files.
#[derive(Debug)]
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(base: &Path) -> anyhow::Result<Scratch> {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        std::fs::create_dir_all(base)
            .with_context(|| format!("cannot create {}", base.display()))?;
        loop {
            let number = MADE.fetch_add(1, Ordering::Relaxed);
            let folder = base.join(format!("{}-{number}", std::process::id()));
            match std::fs::create_dir(&folder) {
                Ok(()) => return Ok(Scratch(folder)),
                // Left by an earlier runner of the same process id.
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(err) => {
                    return Err(err).with_context(|| format!("cannot create {}", folder.display()));
                }
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // `remove_dir_all` never follows a link the test left there.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How a test process is to be confined.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// The runner executable that has the hidden subcommand.
    pub runner: PathBuf,
    /// The only folder the test may write to; it runs there.
    pub scratch: PathBuf,
    pub cpu_seconds: u64,
}

impl Sandbox {
    /// A command that runs `executable args…` inside the sandbox, with an environment
    /// of the runner's making: nothing of the grader's but what the system needs to
    /// start a program, and temporary files in the scratch folder.
    pub fn command(&self, executable: &Path) -> Command {
        let mut command = Command::new(&self.runner);
        command.env_clear();
        for (key, value) in std::env::vars_os() {
            if SYSTEM_VARIABLES
                .iter()
                .any(|kept| key.eq_ignore_ascii_case(kept))
            {
                command.env(key, value);
            }
        }
        for temporary in ["TMPDIR", "TEMP", "TMP"] {
            command.env(temporary, &self.scratch);
        }
        command
            .arg(COMMAND)
            .arg("--scratch")
            .arg(&self.scratch)
            .args(["--cpu-seconds", &self.cpu_seconds.to_string(), "--"])
            .arg(executable)
            .current_dir(&self.scratch);
        command
    }
}

/// How a build of exercise files is to be confined: it reads the kit's sources, the
/// tree it builds, the toolchain and cargo's registry and nothing else (not the
/// reference solutions, other trees or other submissions); it writes the target
/// directory; it has no network and dies with the runner; each compiler process has a
/// CPU time and a memory limit.
#[derive(Debug, Clone)]
pub struct BuildSandbox {
    pub runner: PathBuf,
    /// Read only.
    pub read: Vec<PathBuf>,
    /// Read and written.
    pub write: Vec<PathBuf>,
    /// Written, but its files not read: the target directory, whose other trees hold
    /// other sources.
    pub write_only: Vec<PathBuf>,
    /// Temporary files (the linker's).
    pub scratch: PathBuf,
}

impl BuildSandbox {
    /// A command that runs `program args…` inside the build's sandbox. The environment
    /// is the runner's, which cargo needs; the policy keeps the file from reading it.
    pub fn command(&self, program: &std::ffi::OsStr) -> Command {
        let mut command = Command::new(&self.runner);
        for temporary in ["TMPDIR", "TEMP", "TMP"] {
            command.env(temporary, &self.scratch);
        }
        command
            .arg(COMMAND)
            .arg("--build")
            .arg("--scratch")
            .arg(&self.scratch)
            .args(["--cpu-seconds", &build_cpu_seconds().to_string()]);
        for (flag, paths) in [
            ("--read", &self.read),
            ("--write", &self.write),
            ("--write-only", &self.write_only),
        ] {
            for path in paths {
                command.arg(flag).arg(path);
            }
        }
        command.arg("--").arg(program);
        command
    }
}

/// A compiler process's CPU time: far more than any crate of the kit needs, and the
/// end of a macro or constant that expands or evaluates without end. The grader's
/// `THREADLINGS_BUILD_CPU_SECONDS` sets another (the runner's tests set less).
pub fn build_cpu_seconds() -> u64 {
    std::env::var("THREADLINGS_BUILD_CPU_SECONDS")
        .ok()
        .and_then(|seconds| seconds.parse().ok())
        .unwrap_or(300)
}
/// A compiler process's memory: the kit's heaviest crates need under 2 GiB.
pub const BUILD_MEMORY_BYTES: u64 = 8 << 30;
const BUILD_FILE_SIZE_BYTES: u64 = 4 << 30;

/// The hidden subcommand's arguments: how to confine the test (or build), then what to
/// run. A sandbox that guessed a limit would be no sandbox: they are required.
#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// The only folder the test may write to (a build's temporary files).
    #[arg(long)]
    pub scratch: PathBuf,
    /// The CPU time each process may use, in seconds.
    #[arg(long)]
    pub cpu_seconds: u64,
    /// A build: the compiler's limits, programs may start, and the folders below.
    #[arg(long)]
    pub build: bool,
    #[arg(long)]
    pub read: Vec<PathBuf>,
    #[arg(long)]
    pub write: Vec<PathBuf>,
    #[arg(long)]
    pub write_only: Vec<PathBuf>,
    /// The test executable (or cargo).
    pub executable: PathBuf,
    /// Its arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<OsString>,
}

/// The body of the hidden subcommand: `sandbox --scratch DIR --cpu-seconds N [--build
/// …] -- EXECUTABLE ARGS…`. Returns only if the limits cannot be applied or the
/// executable cannot start.
pub fn enter(sandbox: &SandboxArgs) -> String {
    let (memory_bytes, file_size_bytes) = if sandbox.build {
        (BUILD_MEMORY_BYTES, BUILD_FILE_SIZE_BYTES)
    } else {
        (MEMORY_BYTES, FILE_SIZE_BYTES)
    };
    let limits = os::Limits {
        memory_bytes,
        cpu_seconds: sandbox.cpu_seconds,
        file_size_bytes,
        new_tasks: NEW_TASKS,
    };
    let executable = sandbox.executable.as_path();
    let existing = |paths: &[PathBuf]| -> Vec<PathBuf> {
        paths.iter().filter(|path| path.exists()).cloned().collect()
    };
    let mut readable: Vec<PathBuf> = READABLE
        .iter()
        .map(PathBuf::from)
        .filter(|path| path.exists())
        .collect();
    readable.push(executable.to_path_buf());
    readable.extend(existing(&sandbox.read));
    let mut writable = vec![sandbox.scratch.clone()];
    writable.extend(existing(&sandbox.write));
    let confinement = os::Confinement {
        limits,
        readable,
        writable,
        write_only: existing(&sandbox.write_only),
        programs: sandbox.build,
    };
    let mut command = Command::new(executable);
    command.args(&sandbox.args);
    os::enter_sandbox(&confinement, command)
}

/// What the memory limit allows, for a verdict on a test that ran out of memory:
/// "4 GiB of address space"; `None` where memory is not capped.
pub fn memory_limit() -> Option<String> {
    os::MEMORY_CAPPED.map(|what| format!("{} GiB of {what}", MEMORY_BYTES >> 30))
}
