//! Linux, macOS and the BSDs: process groups, resource limits, signals and termios.
//! The parent-death signal and Landlock are Linux's alone (Landlock in `unix/linux.rs`).

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::Limits;

#[cfg(target_os = "linux")]
mod linux;

/// A process group led by the child.
pub struct Tree {
    leader: u32,
}

impl Tree {
    pub fn spawn(command: &mut Command) -> std::io::Result<(Child, Tree)> {
        command.process_group(0);
        let child = command.spawn()?;
        let leader = child.id();
        Ok((child, Tree { leader }))
    }

    pub fn kill(&self) {
        let group = self.leader as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the group this runner created.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
}

pub fn describe_exit(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal} ({})", signal_name(signal)),
        (None, None) => status.to_string(),
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGABRT => "SIGABRT: the process aborted",
        libc::SIGSEGV => "SIGSEGV: invalid memory access or stack overflow",
        libc::SIGKILL => "SIGKILL",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGTERM => "SIGTERM",
        _ => "signal",
    }
}

/// macOS keeps an address-space limit without enforcing it, and maps more than 4 GiB
/// into every process: there the memory is not capped.
#[cfg(target_os = "macos")]
pub const MEMORY_CAPPED: Option<&str> = None;
#[cfg(not(target_os = "macos"))]
pub const MEMORY_CAPPED: Option<&str> = Some("address space");

pub fn confine(limits: &Limits, readable: &[&Path], writable: &Path) -> Result<(), String> {
    end_with_the_runner(limits.cpu_seconds)?;
    let mut rlimits = vec![
        (libc::RLIMIT_CPU, limits.cpu_seconds),
        (libc::RLIMIT_FSIZE, limits.file_size_bytes),
        (libc::RLIMIT_CORE, 0),
        (libc::RLIMIT_NPROC, tasks_of_this_user() + limits.new_tasks),
    ];
    if MEMORY_CAPPED.is_some() {
        rlimits.insert(0, (libc::RLIMIT_AS, limits.memory_bytes));
    }
    for (resource, limit) in rlimits {
        let value = libc::rlimit {
            rlim_cur: limit as libc::rlim_t,
            rlim_max: limit as libc::rlim_t,
        };
        // SAFETY: setrlimit(2) with a valid pointer to an initialized struct.
        if unsafe { libc::setrlimit(resource, &value) } != 0 {
            return Err(format!(
                "cannot set a resource limit: {}",
                std::io::Error::last_os_error()
            ));
        }
    }
    #[cfg(target_os = "linux")]
    linux::confine_files(readable, writable)?;
    #[cfg(not(target_os = "linux"))]
    let _ = (readable, writable);
    Ok(())
}

/// Makes the test end by itself if the runner dies without stopping it (SIGKILL, a
/// crash): on Linux the kernel kills it with its parent; everywhere, an alarm ends it
/// `seconds` after it starts, like the CPU limit but for a test that waits without
/// spinning. Both survive `exec`, and neither can be undone without FFI, which the
/// policy refuses.
fn end_with_the_runner(seconds: u64) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    die_with_parent()?;
    // SAFETY: alarm(2) only sets a timer.
    unsafe {
        libc::alarm(u32::try_from(seconds).unwrap_or(u32::MAX));
    }
    Ok(())
}

/// The processes and threads that the kernel counts against this user's
/// `RLIMIT_NPROC`: every task of every process the user owns, where `/proc` lists them.
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

pub fn hand_over(mut command: Command) -> String {
    let err = command.exec();
    format!("cannot start {}: {err}", command.get_program().display())
}

pub fn unenforced() -> Option<&'static str> {
    #[cfg(target_os = "linux")]
    return (!linux::has_landlock()).then_some(
        "note: this kernel has no Landlock, so test processes could read and write files outside their scratch folder",
    );
    #[cfg(target_os = "macos")]
    return Some(
        "note: on macOS, test processes are not confined to their scratch folder (that is Linux-only), nor is their memory capped",
    );
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    return Some(
        "note: on this system, test processes are not confined to their scratch folder (that is Linux-only)",
    );
}

pub fn on_interrupt(stop: fn(i32)) -> Result<(), String> {
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|err| format!("cannot handle interrupts: {err}"))?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                stop(128 + signal);
            }
        })
        .map_err(|err| format!("cannot handle interrupts: {err}"))?;
    Ok(())
}

pub struct TerminalSettings(libc::termios);

impl TerminalSettings {
    pub fn read() -> Option<TerminalSettings> {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() {
            return None;
        }
        // SAFETY: tcgetattr(3) on stdin fills in the termios it is given.
        unsafe {
            let mut settings: libc::termios = std::mem::zeroed();
            (libc::tcgetattr(libc::STDIN_FILENO, &mut settings) == 0)
                .then_some(TerminalSettings(settings))
        }
    }

    pub fn enter_single_keys(&self) {
        let mut settings = self.0;
        settings.c_lflag &= !(libc::ICANON | libc::ECHO);
        settings.c_cc[libc::VMIN] = 1;
        settings.c_cc[libc::VTIME] = 0;
        // SAFETY: tcsetattr(3) on stdin with settings read from it.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &settings);
        }
    }

    pub fn restore(&self) {
        // SAFETY: tcsetattr(3) on stdin with the settings read from it.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.0);
        }
    }
}

/// Has the kernel kill this process when the runner that started it dies (Linux alone).
#[cfg(target_os = "linux")]
fn die_with_parent() -> Result<(), String> {
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
    Ok(())
}
