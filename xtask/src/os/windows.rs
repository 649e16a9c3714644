//! Windows: a job object per process tree, console events through `ctrlc`, and the
//! console's input mode. The order of the job calls is `job.rs`'s, tested on Linux.

use std::ffi::c_void;
use std::os::windows::io::AsRawHandle;
use std::os::windows::process::CommandExt;
use std::process::{Child, Command, ExitStatus};

use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::System::Console::{
    CONSOLE_MODE, ENABLE_ECHO_INPUT, ENABLE_LINE_INPUT, GetConsoleMode, GetStdHandle,
    STD_INPUT_HANDLE, SetConsoleMode,
};
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, TH32CS_SNAPTHREAD, THREADENTRY32, Thread32First, Thread32Next,
};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JOB_OBJECT_LIMIT_ACTIVE_PROCESS,
    JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION, JOB_OBJECT_LIMIT_JOB_MEMORY,
    JOB_OBJECT_LIMIT_JOB_TIME, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JobObjectExtendedLimitInformation,
    SetInformationJobObject, TerminateJobObject,
};
use windows_sys::Win32::System::Threading::{
    CREATE_SUSPENDED, GetCurrentProcess, OpenThread, ResumeThread, THREAD_SUSPEND_RESUME,
};

use super::Confinement;
use super::exit_codes;
use super::job::{JobLimits, JobObjects, spawn_in_job};

/// An open job object; closing it kills the processes still in it.
pub struct Job(HANDLE);

// SAFETY: a job handle may be used and closed from any thread.
unsafe impl Send for Job {}
// SAFETY: the job calls made through a shared handle are thread-safe.
unsafe impl Sync for Job {}

impl Drop for Job {
    fn drop(&mut self) {
        // SAFETY: the handle was opened by `create` and is closed once, here.
        unsafe {
            CloseHandle(self.0);
        }
    }
}

/// The job-object calls, as `job.rs` makes them.
struct System;

impl JobObjects for System {
    type Job = Job;

    fn create(&self, limits: &JobLimits) -> std::io::Result<Job> {
        // SAFETY: no security attributes and no name: a new, unnamed job.
        let handle = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
        if handle.is_null() {
            return Err(std::io::Error::last_os_error());
        }
        let job = Job(handle);
        let mut info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
        let basic = &mut info.BasicLimitInformation;
        basic.LimitFlags =
            JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
        if let Some(processes) = limits.processes {
            basic.LimitFlags |= JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
            basic.ActiveProcessLimit = processes;
        }
        if let Some(seconds) = limits.cpu_seconds {
            basic.LimitFlags |= JOB_OBJECT_LIMIT_JOB_TIME;
            // In units of 100 ns.
            basic.PerJobUserTimeLimit = i64::try_from(seconds * 10_000_000).unwrap_or(i64::MAX);
        }
        if let Some(bytes) = limits.memory_bytes {
            basic.LimitFlags |= JOB_OBJECT_LIMIT_JOB_MEMORY;
            info.JobMemoryLimit = usize::try_from(bytes).unwrap_or(usize::MAX);
        }
        // SAFETY: an extended-limit struct, with its size, for the job just created.
        let set = unsafe {
            SetInformationJobObject(
                job.0,
                JobObjectExtendedLimitInformation,
                (&info as *const JOBOBJECT_EXTENDED_LIMIT_INFORMATION).cast::<c_void>(),
                size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
            )
        };
        if set == 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(job)
    }

    fn spawn_suspended(&self, command: &mut Command) -> std::io::Result<Child> {
        command.creation_flags(CREATE_SUSPENDED).spawn()
    }

    fn assign(&self, job: &Job, child: &Child) -> std::io::Result<()> {
        // SAFETY: both handles are open: the job's, and the child's, owned by `child`.
        let assigned = unsafe { AssignProcessToJobObject(job.0, child.as_raw_handle() as HANDLE) };
        if assigned == 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    /// A suspended new process has one thread; the snapshot finds it by its process id.
    fn resume(&self, child: &Child) -> std::io::Result<()> {
        // SAFETY: a snapshot of every thread, closed below.
        let snapshot = unsafe { CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0) };
        if snapshot == INVALID_HANDLE_VALUE {
            return Err(std::io::Error::last_os_error());
        }
        let mut entry = THREADENTRY32 {
            dwSize: size_of::<THREADENTRY32>() as u32,
            ..THREADENTRY32::default()
        };
        let mut resumed = 0;
        // SAFETY: the snapshot is open and `entry` has its size set, as Thread32First
        // and Thread32Next require; each thread handle opened is closed.
        unsafe {
            let mut more = Thread32First(snapshot, &mut entry);
            while more != 0 {
                if entry.th32OwnerProcessID == child.id() {
                    let thread = OpenThread(THREAD_SUSPEND_RESUME, 0, entry.th32ThreadID);
                    if !thread.is_null() {
                        if ResumeThread(thread) != u32::MAX {
                            resumed += 1;
                        }
                        CloseHandle(thread);
                    }
                }
                more = Thread32Next(snapshot, &mut entry);
            }
            CloseHandle(snapshot);
        }
        if resumed == 0 {
            return Err(std::io::Error::other(
                "cannot resume the process started in its job",
            ));
        }
        Ok(())
    }

    fn terminate(&self, job: &Job) {
        // SAFETY: the job is open; its processes end with exit code 1.
        unsafe {
            TerminateJobObject(job.0, 1);
        }
    }
}

/// A job holding the child and everything it starts.
pub struct Tree {
    job: Job,
}

impl Tree {
    pub fn spawn(command: &mut Command) -> std::io::Result<(Child, Tree)> {
        let (child, job) = spawn_in_job(&System, command, &JobLimits::default())?;
        Ok((child, Tree { job }))
    }

    pub fn kill(&self) {
        System.terminate(&self.job);
    }
}

pub fn describe_exit(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => exit_codes::describe(code as u32),
        None => status.to_string(),
    }
}

pub const MEMORY_CAPPED: Option<&str> = Some("memory");

/// Puts this process, the sandbox, in a job of its own with the test's limits: the test
/// it starts is in the job before it runs any code. The job is never closed: it ends
/// with this process, and takes the test with it. The runner's own job for this process
/// kills both at a timeout, and when the runner dies.
pub fn enter(confinement: &Confinement, command: Command) -> String {
    let mut limits = JobLimits::for_test_process(&confinement.limits);
    if confinement.programs {
        // A job's CPU time and memory are its processes' together: a build's compilers
        // are bounded by the build's deadline alone.
        limits.cpu_seconds = None;
        limits.memory_bytes = None;
    }
    match confine(&limits) {
        Ok(()) => hand_over(command),
        Err(err) => err,
    }
}

fn confine(limits: &JobLimits) -> Result<(), String> {
    let job = System
        .create(limits)
        .map_err(|err| format!("cannot create the test's job object: {err}"))?;
    // SAFETY: the job is open; GetCurrentProcess is this process's pseudo-handle.
    if unsafe { AssignProcessToJobObject(job.0, GetCurrentProcess()) } == 0 {
        return Err(format!(
            "cannot put the test in its job object: {}",
            std::io::Error::last_os_error()
        ));
    }
    std::mem::forget(job);
    Ok(())
}

fn hand_over(mut command: Command) -> String {
    match command.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(err) => format!("cannot start {}: {err}", command.get_program().display()),
    }
}

pub fn unenforced() -> Option<String> {
    Some(
        "note: on Windows, test processes are confined by their job object and its limits only: not to their scratch folder, nor from the network (those are Linux-only), and neither their threads nor the size of the files they write are limited".into(),
    )
}

pub fn on_interrupt(stop: fn(i32)) -> Result<(), String> {
    ctrlc::set_handler(move || stop(exit_codes::CONTROL_C_EXIT as i32))
        .map_err(|err| format!("cannot handle interrupts: {err}"))
}

pub struct TerminalSettings(CONSOLE_MODE);

fn console_input() -> HANDLE {
    // SAFETY: GetStdHandle only returns this process's standard input handle.
    unsafe { GetStdHandle(STD_INPUT_HANDLE) }
}

impl TerminalSettings {
    pub fn read() -> Option<TerminalSettings> {
        let mut mode: CONSOLE_MODE = 0;
        // SAFETY: GetConsoleMode fills in `mode`; it fails when input is not a console.
        (unsafe { GetConsoleMode(console_input(), &mut mode) } != 0)
            .then_some(TerminalSettings(mode))
    }

    /// Without line input and echo; processed input stays on, so Ctrl-C still interrupts.
    pub fn enter_single_keys(&self) {
        // SAFETY: SetConsoleMode on standard input with a mode derived from its own.
        unsafe {
            SetConsoleMode(
                console_input(),
                self.0 & !(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT),
            );
        }
    }

    pub fn restore(&self) {
        // SAFETY: SetConsoleMode on standard input with the mode read from it.
        unsafe {
            SetConsoleMode(console_input(), self.0);
        }
    }
}
