//! Linux, macOS and the BSDs: process groups, resource limits, signals and termios.
//! The parent-death signal and Landlock are Linux's alone (Landlock in `unix/linux.rs`).

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus};

use anyhow::Context;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::{Confinement, Limits};

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

/// The body of the sandbox: limits, then on Linux the test's own namespaces (when the
/// kernel lets this user make them) with this process waiting outside and a small init
/// inside, then the test, confined, in place of a process of the sandbox. Returns only
/// if something cannot be set up or started.
pub fn enter(confinement: &Confinement, command: Command) -> String {
    if let Err(err) = set_limits(&confinement.limits) {
        return format!("{err:#}");
    }
    #[cfg(target_os = "linux")]
    {
        if let Err(err) = die_with_parent() {
            return format!("{err:#}");
        }
        if isolate() {
            return wait_outside(confinement, &command);
        }
    }
    confine_and_exec(confinement, &command, Protect::Runner)
}

fn set_limits(limits: &Limits) -> anyhow::Result<()> {
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
        // CPU time: SIGXCPU at the limit, which names the cause; SIGKILL a little
        // after, for a process that ignores it.
        let grace = if resource == libc::RLIMIT_CPU { 5 } else { 0 };
        let value = libc::rlimit {
            rlim_cur: limit as libc::rlim_t,
            rlim_max: (limit + grace) as libc::rlim_t,
        };
        // SAFETY: setrlimit(2) with a valid pointer to an initialized struct.
        if unsafe { libc::setrlimit(resource, &value) } != 0 {
            return Err(std::io::Error::last_os_error()).context("cannot set a resource limit");
        }
    }
    Ok(())
}

/// Whom the test may not signal besides what the kernel scopes: when it replaces the
/// sandbox's own process (no namespaces), the runner that started it and its group.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Protect {
    Runner,
    #[cfg(target_os = "linux")]
    Nothing,
}

/// The test's last steps, in the process that becomes it: an alarm (the end of a test
/// that waits without spinning, should the runner be gone) and the tie to its parent,
/// then files, network and signals (Landlock) and the system calls it may not make
/// (seccomp), then `exec`.
fn confine_and_exec(confinement: &Confinement, command: &Command, protect: Protect) -> String {
    use std::os::unix::ffi::OsStrExt;
    // A test, not a build, whose length the runner's deadline bounds: the CPU limit
    // is per process there, and a cold build takes longer than it on the wall clock.
    if !confinement.programs {
        // SAFETY: alarm(2) only sets a timer. It survives `exec`, not `fork`: set here.
        unsafe {
            libc::alarm(u32::try_from(confinement.limits.cpu_seconds).unwrap_or(u32::MAX));
        }
    }
    let to_c = |text: &std::ffi::OsStr| std::ffi::CString::new(text.as_bytes());
    let Ok(program) = to_c(searched(command.get_program()).as_os_str()) else {
        return "the test's path has a NUL byte".into();
    };
    let Ok(args) = command.get_args().map(to_c).collect::<Result<Vec<_>, _>>() else {
        return "an argument of the test has a NUL byte".into();
    };
    let path = PrivatePath::new(&program);
    #[cfg(target_os = "linux")]
    {
        if let Err(err) = die_with_parent() {
            return format!("{err:#}");
        }
        if let Err(err) = linux::confine_files(confinement) {
            return format!("{err:#}");
        }
        let runner = (protect == Protect::Runner)
            .then(|| pid_and_group(std::os::unix::process::parent_id()));
        if !confinement.programs
            && let Err(err) = linux::forbid_calls(path.pointer(), runner)
        {
            return format!("{err:#}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = protect;
    let mut argv: Vec<*const libc::c_char> = std::iter::once(program.as_ptr())
        .chain(args.iter().map(|arg| arg.as_ptr()))
        .collect();
    argv.push(std::ptr::null());
    // SAFETY: a NUL-terminated path and a null-terminated array of NUL-terminated
    // strings, all alive across the call; execv(3) returns only on failure.
    unsafe {
        libc::execv(path.pointer(), argv.as_ptr());
    }
    format!(
        "cannot start {}: {}",
        program.to_string_lossy(),
        std::io::Error::last_os_error()
    )
}

/// `program` as `execvp` would find it: a bare name through `PATH` (cargo, for a
/// build), a path as it is.
fn searched(program: &std::ffi::OsStr) -> std::path::PathBuf {
    let path = std::path::Path::new(program);
    if path.components().count() > 1 {
        return path.to_path_buf();
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|folder| folder.join(program))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| path.to_path_buf())
}

/// A process's id and its process group's, for the filter.
#[cfg(target_os = "linux")]
fn pid_and_group(pid: u32) -> (i32, i32) {
    let pid = pid as libc::pid_t;
    // SAFETY: getpgid(2) only reads.
    (pid, unsafe { libc::getpgid(pid) })
}

/// The test's path, copied to a page at a random address: the seccomp filter allows
/// `execve` of this address alone, and the test, whose memory is new after `exec`,
/// cannot know it.
struct PrivatePath {
    page: *const libc::c_char,
}

impl PrivatePath {
    fn new(path: &std::ffi::CStr) -> PrivatePath {
        let bytes = path.to_bytes_with_nul();
        let length = bytes.len().max(4096);
        // std's hasher keys come from the system's randomness.
        let random = std::hash::BuildHasher::hash_one(
            &std::collections::hash_map::RandomState::new(),
            std::process::id(),
        );
        // A page between 1 TiB and 64 TiB.
        let hint = ((random % (63 << 28)) + (1 << 28)) << 12;
        let map = |address: u64, flags: libc::c_int| {
            // SAFETY: a new anonymous private mapping; with MAP_FIXED_NOREPLACE it
            // never replaces an existing one.
            unsafe {
                libc::mmap(
                    address as *mut libc::c_void,
                    length,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | flags,
                    -1,
                    0,
                )
            }
        };
        let mut page = map(hint, MAP_FIXED_NOREPLACE);
        if page == libc::MAP_FAILED {
            page = map(0, 0);
        }
        if page == libc::MAP_FAILED {
            return PrivatePath {
                page: path.as_ptr(),
            };
        }
        // SAFETY: the mapping is new and at least as long as the path.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), page.cast::<u8>(), bytes.len());
        }
        PrivatePath {
            page: page.cast_const().cast(),
        }
    }

    fn pointer(&self) -> *const libc::c_char {
        self.page
    }
}

#[cfg(target_os = "linux")]
const MAP_FIXED_NOREPLACE: libc::c_int = libc::MAP_FIXED_NOREPLACE;
#[cfg(not(target_os = "linux"))]
const MAP_FIXED_NOREPLACE: libc::c_int = 0;

/// New user, PID, network and IPC namespaces for what this process starts next; false
/// where the kernel does not let this user make them (the test then runs without).
#[cfg(target_os = "linux")]
fn isolate() -> bool {
    // SAFETY: getuid(2) and getgid(2) cannot fail.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    // SAFETY: unshare(2) with namespace flags; this process has one thread.
    if unsafe { libc::unshare(linux::NAMESPACES) } != 0 {
        return false;
    }
    // Without the maps the namespaces still hold; the test then runs as an unmapped
    // user, which can do less, not more.
    let _ = linux::write_id_maps(uid, gid);
    true
}

/// Outside the namespaces: starts the init inside, waits for it, and ends as the test
/// ended (the same exit code, or the same signal), which the init sends over a pipe.
#[cfg(target_os = "linux")]
fn wait_outside(confinement: &Confinement, command: &Command) -> String {
    use std::io::Read;
    let (mut from_init, to_outside) = match std::io::pipe() {
        Ok(pipe) => pipe,
        Err(err) => return format!("cannot make the sandbox's pipe: {err}"),
    };
    // SAFETY: fork(2) in a process with one thread; both sides go on in Rust.
    let init = unsafe { libc::fork() };
    if init < 0 {
        return format!(
            "cannot start the sandbox's init: {}",
            std::io::Error::last_os_error()
        );
    }
    if init == 0 {
        drop(from_init);
        be_init(confinement, command, to_outside);
    }
    drop(to_outside);
    wait_for(init);
    let mut status = [0u8; 4];
    if from_init.read_exact(&mut status).is_err() {
        return "the sandbox's init ended before the test did".into();
    }
    end_as(libc::c_int::from_ne_bytes(status))
}

/// Process 1 of the test's namespace: starts the test, reaps whatever ends, and when
/// the test itself ends, tells the process outside how and exits, at which the kernel
/// kills everything left in the namespace (a daemon in a session of its own included).
/// Signals from inside the namespace do not reach it: it handles none.
#[cfg(target_os = "linux")]
fn be_init(confinement: &Confinement, command: &Command, mut to_outside: std::io::PipeWriter) -> ! {
    use std::io::Write;
    if die_with_parent().is_err() {
        std::process::exit(1);
    }
    mount_own_proc();
    // SAFETY: fork(2); this process has one thread.
    let test = unsafe { libc::fork() };
    if test == 0 {
        drop(to_outside);
        let err = confine_and_exec(confinement, command, Protect::Nothing);
        eprintln!("error: {err}");
        std::process::exit(2);
    }
    if test < 0 {
        std::process::exit(1);
    }
    loop {
        let mut status = 0;
        // SAFETY: waitpid(2) for any child, with a valid pointer.
        let ended = unsafe { libc::waitpid(-1, &mut status, 0) };
        if ended == test {
            let _ = to_outside.write_all(&status.to_ne_bytes());
            std::process::exit(0);
        }
        if ended < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            std::process::exit(1);
        }
    }
}

/// Mounts a `/proc` of the namespace's own over the machine's, so that a test sees
/// only its own processes there, even by `stat`, which Landlock does not govern. Where
/// the system does not allow it (a container that masks parts of `/proc`), the
/// machine's stays, and Landlock still keeps the test from reading other processes'.
#[cfg(target_os = "linux")]
fn mount_own_proc() {
    let none = std::ptr::null();
    // SAFETY: mount(2) with NUL-terminated literals or nulls; this process holds every
    // capability in its own user and mount namespaces, and only those are changed.
    unsafe {
        if libc::mount(
            none,
            c"/".as_ptr(),
            none,
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        ) == 0
        {
            libc::mount(
                c"proc".as_ptr(),
                c"/proc".as_ptr(),
                c"proc".as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                std::ptr::null(),
            );
        }
    }
}

/// Waits for `child`, through interruptions.
#[cfg(target_os = "linux")]
fn wait_for(child: libc::pid_t) {
    let mut status = 0;
    // SAFETY: waitpid(2) for this process's own child, with a valid pointer.
    while unsafe { libc::waitpid(child, &mut status, 0) } < 0
        && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
    {}
}

/// Ends this process as one with wait status `status` ended: the same exit code, or
/// killed by the same signal (with no core dump: its limit is 0).
#[cfg(target_os = "linux")]
fn end_as(status: libc::c_int) -> ! {
    if libc::WIFSIGNALED(status) {
        let signal = libc::WTERMSIG(status);
        // SAFETY: the signal's default action back and the signal unblocked, then
        // sent to this process itself.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, signal);
            libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            libc::kill(libc::getpid(), signal);
        }
        std::process::exit(128 + signal);
    }
    std::process::exit(libc::WEXITSTATUS(status));
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

pub fn unenforced() -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        let mut gaps = linux::landlock_gaps();
        if !namespaces_available() {
            gaps.push("processes that outlive the test, the network and other processes (no user namespaces for this user)");
        }
        if !linux::has_seccomp() {
            gaps.push("the system calls a test may make (no seccomp filter for this architecture)");
        }
        (!gaps.is_empty()).then(|| {
            format!(
                "note: this kernel cannot keep test processes from {}",
                gaps.join("; ")
            )
        })
    }
    #[cfg(target_os = "macos")]
    return Some(
        "note: on macOS, test processes are confined by resource limits and an alarm only: not to their scratch folder, nor from the network, nor from starting programs that outlive them (those are Linux-only), and their memory is not capped".into(),
    );
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    return Some(
        "note: on this system, test processes are confined by resource limits and an alarm only: not to their scratch folder, nor from the network, nor from starting programs that outlive them (those are Linux-only)".into(),
    );
}

/// Whether this user may give a test namespaces of its own: tried in a child, since
/// the runner has threads and `unshare` wants a process with one.
#[cfg(target_os = "linux")]
fn namespaces_available() -> bool {
    use std::os::unix::process::CommandExt;
    let mut probe = Command::new("/bin/sh");
    probe
        .args(["-c", "exit 0"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // SAFETY: unshare(2) is async-signal-safe and touches no memory of the parent.
    unsafe {
        probe.pre_exec(|| {
            if libc::unshare(linux::NAMESPACES) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    probe.status().is_ok_and(|status| status.success())
}

pub fn on_interrupt(stop: fn(i32)) -> anyhow::Result<()> {
    let mut signals =
        Signals::new([SIGINT, SIGTERM, SIGHUP]).context("cannot handle interrupts")?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                stop(128 + signal);
            }
        })
        .context("cannot handle interrupts")?;
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
fn die_with_parent() -> anyhow::Result<()> {
    let runner = std::os::unix::process::parent_id();
    // SAFETY: prctl(2) with an integer signal number.
    if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } != 0 {
        return Err(std::io::Error::last_os_error()).context("cannot tie the test to the runner");
    }
    if std::os::unix::process::parent_id() != runner {
        anyhow::bail!("the runner ended before the test started");
    }
    Ok(())
}
