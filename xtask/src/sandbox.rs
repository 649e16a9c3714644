//! The limits every test process runs under. The runner starts each test through its
//! own hidden `sandbox` subcommand, which applies them in a fresh single-threaded
//! process and then `exec`s the test, so the test inherits them:
//!
//! - resource limits: address space (allocating all memory fails instead of swapping
//!   the machine to a halt; so does spawning thousands of threads), processes and
//!   threads (a fork or thread bomb stops at a bound), CPU time (a spin that outlives
//!   the wall-clock timeout still ends), file size, and no core dumps;
//! - the file system (Linux Landlock, where the kernel has it): the test may read only
//!   system folders and its own executable, and write only its scratch folder, so a
//!   submission cannot read the reference solutions or another student's work.
//!
//! Process groups, timeouts and output caps are `process.rs`'s concern.

use std::ffi::{CString, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The hidden subcommand.
pub const COMMAND: &str = "sandbox";

/// Enough for tokio, rayon and loom; far from all of a 24 GiB machine.
const ADDRESS_SPACE_BYTES: u64 = 4 << 30;
const FILE_SIZE_BYTES: u64 = 64 << 20;
/// Processes and threads a test may start. The kernel counts them per user, so the
/// limit is this many more than the user already runs; it does not apply to root.
const NEW_TASKS: u64 = 1024;

/// Folders a test process may read (and execute from): what the dynamic loader and
/// std need. Everything else, the kit and other submissions included, is out of reach.
const READABLE: [&str; 8] = [
    "/usr", "/lib", "/lib64", "/bin", "/etc", "/proc", "/sys", "/dev",
];

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
    /// A command that runs `executable args…` inside the sandbox.
    pub fn command(&self, executable: &Path) -> Command {
        let mut command = Command::new(&self.runner);
        command
            .arg(COMMAND)
            .arg(&self.scratch)
            .arg(self.cpu_seconds.to_string())
            .arg(executable)
            .current_dir(&self.scratch);
        command
    }
}

/// The body of the hidden subcommand: `sandbox SCRATCH CPU_SECONDS EXECUTABLE ARGS…`.
/// Returns only if the limits cannot be applied or the executable cannot start.
pub fn enter(args: &[OsString]) -> String {
    let [scratch, cpu, executable, rest @ ..] = args else {
        return "usage: sandbox SCRATCH CPU_SECONDS EXECUTABLE [ARGS...]".into();
    };
    let Ok(cpu_seconds) = cpu.to_string_lossy().parse::<u64>() else {
        return format!(
            "sandbox: CPU_SECONDS must be a number, not {}",
            cpu.display()
        );
    };
    if let Err(err) = end_with_the_runner(cpu_seconds) {
        return err;
    }
    let limits = [
        (libc::RLIMIT_AS, ADDRESS_SPACE_BYTES),
        (libc::RLIMIT_CPU, cpu_seconds),
        (libc::RLIMIT_FSIZE, FILE_SIZE_BYTES),
        (libc::RLIMIT_CORE, 0),
        (libc::RLIMIT_NPROC, tasks_of_this_user() + NEW_TASKS),
    ];
    for (resource, limit) in limits {
        let value = libc::rlimit {
            rlim_cur: limit,
            rlim_max: limit,
        };
        // SAFETY: setrlimit(2) with a valid pointer to an initialized struct.
        if unsafe { libc::setrlimit(resource, &value) } != 0 {
            return format!(
                "cannot set a resource limit: {}",
                std::io::Error::last_os_error()
            );
        }
    }
    let executable = Path::new(executable);
    let mut readable: Vec<&Path> = READABLE
        .iter()
        .map(Path::new)
        .filter(|path| path.exists())
        .collect();
    readable.push(executable);
    if let Err(err) = landlock::restrict(&readable, Path::new(scratch)) {
        // An older kernel without Landlock still gets the resource limits.
        if !err.unsupported {
            return format!("cannot confine the test's file access: {}", err.message);
        }
    }
    let err = Command::new(executable).args(rest).exec();
    format!("cannot start {}: {err}", executable.display())
}

/// Makes the test end by itself if the runner dies without stopping it (SIGKILL, a
/// crash): on Linux the kernel kills it with its parent; everywhere, an alarm ends it
/// `seconds` after it starts, like the CPU limit but for a test that waits without
/// spinning. Both survive `exec`, and neither can be undone without FFI, which the
/// policy refuses.
fn end_with_the_runner(seconds: u64) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        let runner = std::os::unix::process::parent_id();
        // SAFETY: prctl(2) with an integer signal number.
        if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } != 0 {
            return Err(format!(
                "cannot tie the test to the runner: {}",
                std::io::Error::last_os_error()
            ));
        }
        if std::os::unix::process::parent_id() != runner {
            return Err("the runner ended before the test started".into());
        }
    }
    // SAFETY: alarm(2) only sets a timer.
    unsafe {
        libc::alarm(u32::try_from(seconds).unwrap_or(u32::MAX));
    }
    Ok(())
}

/// The processes and threads that the kernel counts against this user's
/// `RLIMIT_NPROC`: every task of every process the user owns.
fn tasks_of_this_user() -> u64 {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: getuid(2) cannot fail.
    let uid = unsafe { libc::getuid() };
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return 0;
    };
    processes
        .flatten()
        .filter(|entry| entry.metadata().is_ok_and(|meta| meta.uid() == uid))
        .filter_map(|entry| std::fs::read_dir(entry.path().join("task")).ok())
        .map(|tasks| tasks.count() as u64)
        .sum()
}

/// The few Landlock system calls the sandbox needs (Linux 5.13 and later).
mod landlock {
    use super::*;

    const EXECUTE: u64 = 1 << 0;
    const WRITE_FILE: u64 = 1 << 1;
    const READ_FILE: u64 = 1 << 2;
    const READ_DIR: u64 = 1 << 3;
    /// Every file-system right of Landlock ABI 1: removing, making and so on.
    const ALL_ABI_1: u64 = (1 << 13) - 1;
    const TRUNCATE: u64 = 1 << 14;
    const RULE_PATH_BENEATH: libc::c_int = 1;

    #[repr(C)]
    struct RulesetAttr {
        handled_access_fs: u64,
    }

    #[repr(C, packed)]
    struct PathBeneathAttr {
        allowed_access: u64,
        parent_fd: i32,
    }

    pub struct Error {
        pub message: String,
        pub unsupported: bool,
    }

    fn last_error(what: &str) -> Error {
        let err = std::io::Error::last_os_error();
        let unsupported = matches!(err.raw_os_error(), Some(libc::ENOSYS | libc::EOPNOTSUPP));
        Error {
            message: format!("{what}: {err}"),
            unsupported,
        }
    }

    /// Restricts this process (and what it executes) to reading `readable` and
    /// reading and writing `writable`.
    pub fn restrict(readable: &[&Path], writable: &Path) -> Result<(), Error> {
        // SAFETY: the flag asks for the ABI version; no pointer is read.
        let abi = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                std::ptr::null::<u8>(),
                0,
                1,
            )
        };
        if abi < 1 {
            return Err(last_error("Landlock is not available"));
        }
        let handled = if abi >= 3 {
            ALL_ABI_1 | TRUNCATE
        } else {
            ALL_ABI_1
        };
        let attr = RulesetAttr {
            handled_access_fs: handled,
        };
        // SAFETY: a valid attribute struct and its size.
        let ruleset = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                &attr as *const RulesetAttr,
                size_of::<RulesetAttr>(),
                0,
            )
        } as libc::c_int;
        if ruleset < 0 {
            return Err(last_error("cannot create a Landlock ruleset"));
        }
        let read = EXECUTE | READ_FILE | READ_DIR;
        let rules = readable
            .iter()
            .map(|path| (*path, read))
            .chain([(writable, handled)]);
        for (path, access) in rules {
            let Ok(name) = CString::new(path.as_os_str().as_bytes()) else {
                continue;
            };
            // SAFETY: a NUL-terminated path; O_PATH opens without reading.
            let fd = unsafe { libc::open(name.as_ptr(), libc::O_PATH | libc::O_CLOEXEC) };
            if fd < 0 {
                continue;
            }
            // A rule on a single file may only grant file rights.
            let allowed = if path.is_dir() {
                access
            } else {
                access & (EXECUTE | READ_FILE | WRITE_FILE | TRUNCATE)
            };
            let beneath = PathBeneathAttr {
                allowed_access: allowed & handled,
                parent_fd: fd,
            };
            // SAFETY: a valid rule struct for the ruleset just created.
            let added = unsafe {
                libc::syscall(
                    libc::SYS_landlock_add_rule,
                    ruleset,
                    RULE_PATH_BENEATH,
                    &beneath as *const PathBeneathAttr,
                    0,
                )
            };
            // SAFETY: closing the descriptor opened above.
            unsafe { libc::close(fd) };
            if added != 0 {
                return Err(last_error(&format!("cannot allow {}", path.display())));
            }
        }
        // SAFETY: plain prctl and landlock calls on this process.
        unsafe {
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
                return Err(last_error("cannot set no_new_privs"));
            }
            if libc::syscall(libc::SYS_landlock_restrict_self, ruleset, 0) != 0 {
                return Err(last_error("cannot apply the Landlock ruleset"));
            }
            libc::close(ruleset);
        }
        Ok(())
    }
}
