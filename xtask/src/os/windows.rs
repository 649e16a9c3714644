//! Windows: a job object per process tree, console events through `ctrlc`, and the
//! console's input mode. The order of the job calls is `job.rs`'s, tested on Linux.

use std::ffi::c_void;
use std::os::windows::io::AsRawHandle;
use std::os::windows::process::CommandExt;
use std::process::{Child, Command, ExitStatus};

use anyhow::{Context, bail};

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
        Err(err) => format!("{err:#}"),
    }
}

fn confine(limits: &JobLimits) -> anyhow::Result<()> {
    let job = System
        .create(limits)
        .context("cannot create the test's job object")?;
    // SAFETY: the job is open; GetCurrentProcess is this process's pseudo-handle.
    if unsafe { AssignProcessToJobObject(job.0, GetCurrentProcess()) } == 0 {
        bail!(
            "cannot put the test in its job object: {}",
            std::io::Error::last_os_error()
        );
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

pub fn on_interrupt(stop: fn(i32)) -> anyhow::Result<()> {
    ctrlc::set_handler(move || stop(exit_codes::CONTROL_C_EXIT as i32))
        .context("cannot handle interrupts")
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

/// Real processes in real job objects, on Windows (and in CI under Wine, where it
/// differs from Windows the test says so). Each child process is this test executable
/// again, running `child_role` alone, with what it is to do in `ROLE`.
#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    use std::thread;
    use std::time::Duration;
    use windows_sys::Win32::Foundation::{WAIT_OBJECT_0, WAIT_TIMEOUT};
    use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleA, GetProcAddress};
    use windows_sys::Win32::System::Threading::{
        OpenProcess, PROCESS_SYNCHRONIZE, WaitForSingleObject,
    };

    const ROLE: &str = "THREADLINGS_TEST_CHILD_ROLE";
    /// Longer than any test waits: a child still running at the end was not killed.
    const HANG: Duration = Duration::from_secs(120);
    /// What a job's memory limit is set to, and what a child then asks for.
    const SMALL_MEMORY: u64 = 64 << 20;
    const LARGE_ALLOCATION: usize = 512 << 20;

    /// A command that runs this executable as a child in `role`.
    pub(in crate::os) fn child(role: &str) -> Command {
        let mut command = Command::new(std::env::current_exe().expect("the test executable"));
        command
            .args(["--exact", "os::windows::tests::child_role", "--nocapture"])
            .args(["--quiet", "--test-threads=1"])
            .env(ROLE, role);
        command
    }

    /// Not a test of its own: the body of the children the tests start. Run as a test
    /// without `ROLE`, it does nothing.
    #[test]
    fn child_role() {
        let Ok(role) = std::env::var(ROLE) else {
            return;
        };
        let code = match role.as_str() {
            "sleep" => sleep_then(0),
            // A process with a child in its job, as a test that starts one.
            "parent" => {
                let mut sleeper = child("sleep").stdout(Stdio::null()).spawn().unwrap();
                let code = print_and_hang(sleeper.id());
                let _ = sleeper.kill();
                let _ = sleeper.wait();
                code
            }
            // A runner with a test in a tree of its own, as `process::Group` keeps it.
            "runner" => {
                let (test, _tree) = Tree::spawn(child("sleep").stdout(Stdio::null())).unwrap();
                print_and_hang(test.id())
            }
            "spin" => loop {
                std::hint::spin_loop();
            },
            "three children" => {
                let mut started: Vec<Child> = (0..3)
                    .map_while(|_| child("sleep").stdout(Stdio::null()).spawn().ok())
                    .collect();
                println!("started {}", started.len());
                // They hold this process's output open (handles are inherited).
                for sleeper in &mut started {
                    let _ = sleeper.kill();
                }
                0
            }
            "allocate" => allocate(),
            "confined allocate" => {
                let limits = JobLimits {
                    memory_bytes: Some(SMALL_MEMORY),
                    ..JobLimits::default()
                };
                confine(&limits).unwrap();
                allocate()
            }
            "flood" => flood(2_000_000),
            "endless flood" => flood(usize::MAX),
            "crash" => {
                // SAFETY: none: this child exists to make an access violation.
                unsafe { std::ptr::null_mut::<u8>().write_volatile(1) };
                0
            }
            other => panic!("no child role {other}"),
        };
        std::process::exit(code);
    }

    fn sleep_then(code: i32) -> i32 {
        thread::sleep(HANG);
        code
    }

    fn print_and_hang(id: u32) -> i32 {
        println!("{id}");
        std::io::stdout().flush().unwrap();
        sleep_then(0)
    }

    /// Exits 3 when the allocation is refused, 0 when it is made and written.
    fn allocate() -> i32 {
        let mut memory: Vec<u8> = Vec::new();
        if memory.try_reserve_exact(LARGE_ALLOCATION).is_err() {
            println!("refused");
            return 3;
        }
        memory.resize(LARGE_ALLOCATION, 1);
        println!("allocated");
        0
    }

    fn flood(bytes: usize) -> i32 {
        let mut out = std::io::stdout().lock();
        writeln!(out, "first").unwrap();
        let chunk = [b'x'; 64 * 1024];
        let mut written = 0;
        while written < bytes {
            let part = chunk.len().min(bytes - written);
            if out.write_all(&chunk[..part]).is_err() {
                return 1;
            }
            written += part;
        }
        writeln!(out, "\nlast").unwrap();
        0
    }

    /// A process, held open so that its id is not reused while it is watched.
    pub(in crate::os) struct Watched(HANDLE);

    impl Watched {
        /// `None` when no process has that id any more.
        pub(in crate::os) fn open(id: u32) -> Option<Watched> {
            // SAFETY: opens a handle to wait on, closed on drop.
            let handle = unsafe { OpenProcess(PROCESS_SYNCHRONIZE, 0, id) };
            (!handle.is_null()).then_some(Watched(handle))
        }

        /// Whether the process has ended, or does so within `time`.
        pub(in crate::os) fn ends_within(&self, time: Duration) -> bool {
            let millis = u32::try_from(time.as_millis()).unwrap_or(u32::MAX);
            // SAFETY: the handle is open and has SYNCHRONIZE access.
            match unsafe { WaitForSingleObject(self.0, millis) } {
                WAIT_OBJECT_0 => true,
                WAIT_TIMEOUT => false,
                other => panic!("cannot wait for a process: {other}"),
            }
        }
    }

    impl Drop for Watched {
        fn drop(&mut self) {
            // SAFETY: opened by `open`, closed once.
            unsafe {
                CloseHandle(self.0);
            }
        }
    }

    /// Whether the process `id` (read from a child's first line) has ended, or does
    /// within ten seconds.
    pub(in crate::os) fn ended(id: u32) -> bool {
        Watched::open(id).is_none_or(|process| process.ends_within(Duration::from_secs(10)))
    }

    /// The first number a child prints (after libtest's own lines).
    fn first_number(child: &mut Child) -> u32 {
        BufReader::new(child.stdout.as_mut().expect("piped"))
            .lines()
            .map_while(Result::ok)
            .find_map(|line| line.trim().parse().ok())
            .expect("the child printed a number")
    }

    /// Wine's version, when these tests run under Wine rather than Windows: ntdll
    /// exports `wine_get_version` there.
    fn wine_version() -> Option<String> {
        // SAFETY: ntdll is loaded in every process; the names are NUL-terminated; the
        // function, where it exists, takes nothing and returns a static C string.
        unsafe {
            let ntdll = GetModuleHandleA(c"ntdll.dll".as_ptr().cast());
            let found = GetProcAddress(ntdll, c"wine_get_version".as_ptr().cast())?;
            let get_version: unsafe extern "C" fn() -> *const std::ffi::c_char =
                std::mem::transmute(found);
            Some(
                std::ffi::CStr::from_ptr(get_version())
                    .to_string_lossy()
                    .into_owned(),
            )
        }
    }

    /// True, and says so on the test run's own output, when Wine does not do `what`:
    /// the test then proves the rest, and Windows (the kit's workflow) all of it.
    fn wine_lacks(what: &str) -> bool {
        let Some(version) = wine_version() else {
            return false;
        };
        // Written past libtest's capture, so that the run shows it.
        let _ = writeln!(
            std::io::stderr(),
            "note: under Wine {version}, which does not enforce {what}: checked on Windows only"
        );
        true
    }

    /// The job's handle is closed when the runner dies, however it dies; the job then
    /// kills the test (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE).
    #[test]
    fn the_runners_death_takes_its_test_with_it() {
        let mut runner = child("runner").stdout(Stdio::piped()).spawn().unwrap();
        let test = first_number(&mut runner);
        let watched = Watched::open(test).expect("the test is running");
        assert!(!watched.ends_within(Duration::ZERO), "the test is running");
        runner.kill().unwrap();
        runner.wait().unwrap();
        assert!(
            watched.ends_within(Duration::from_secs(10)),
            "the test outlived its runner"
        );
    }

    fn allocate_in_job(limits: &JobLimits) -> std::process::Output {
        let mut command = child("allocate");
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let (child, _job) = spawn_in_job(&System, &mut command, limits).unwrap();
        child.wait_with_output().unwrap()
    }

    #[test]
    fn a_jobs_memory_limit_refuses_an_allocation_past_it() {
        let unlimited = allocate_in_job(&JobLimits::default());
        assert_eq!(unlimited.status.code(), Some(0), "{unlimited:?}");
        if wine_lacks("a job's memory limit") {
            return;
        }
        let limited = allocate_in_job(&JobLimits {
            memory_bytes: Some(SMALL_MEMORY),
            ..JobLimits::default()
        });
        assert_eq!(limited.status.code(), Some(3), "{limited:?}");
    }

    /// The sandbox's own path: the process puts itself in a job with the test's limits.
    #[test]
    fn the_sandbox_process_confines_itself_and_what_it_runs() {
        if wine_lacks("a job's memory limit") {
            return;
        }
        let confined = child("confined allocate").output().unwrap();
        assert_eq!(confined.status.code(), Some(3), "{confined:?}");
    }

    #[test]
    fn a_jobs_process_limit_refuses_a_process_past_it() {
        if wine_lacks("a job's limit on its processes") {
            return;
        }
        let mut command = child("three children");
        command.stdout(Stdio::piped());
        let limits = JobLimits {
            processes: Some(2),
            ..JobLimits::default()
        };
        let (child, _job) = spawn_in_job(&System, &mut command, &limits).unwrap();
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("started 1\n"), "{output:?}");
    }

    #[test]
    fn a_jobs_cpu_time_limit_ends_a_spin() {
        if wine_lacks("a job's CPU time limit") {
            return;
        }
        let limits = JobLimits {
            cpu_seconds: Some(1),
            ..JobLimits::default()
        };
        let (mut spinner, _job) = spawn_in_job(&System, &mut child("spin"), &limits).unwrap();
        let ended = Watched::open(spinner.id()).is_none_or(|spinning| {
            // Far more than a second of CPU time on a busy machine.
            spinning.ends_within(Duration::from_secs(60))
        });
        let _ = spinner.kill();
        assert!(ended, "the spin outlived its CPU time");
    }
}
