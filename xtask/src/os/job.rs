//! Starting a process inside a Windows job object, written against the few calls it
//! makes (`JobObjects`), so that their order, and what happens when one fails, is
//! tested on systems without job objects.

use std::io;
use std::process::{Child, Command};

/// What a job caps; `None` leaves that limit off. Every job also kills its processes
/// when its last handle closes, and ends a process that crashes without a dialog box.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobLimits {
    /// Memory committed by all its processes together.
    pub memory_bytes: Option<u64>,
    /// Processes running in it at once.
    pub processes: Option<u32>,
    /// User-mode CPU time of all its processes together.
    pub cpu_seconds: Option<u64>,
}

impl JobLimits {
    /// A test process's job: its limits, with room for the sandbox process that starts
    /// the test and is in the job with it.
    pub fn for_test_process(limits: &super::Limits) -> JobLimits {
        JobLimits {
            memory_bytes: Some(limits.memory_bytes),
            processes: Some(u32::try_from(limits.new_tasks + 1).unwrap_or(u32::MAX)),
            cpu_seconds: Some(limits.cpu_seconds),
        }
    }
}

/// The system calls behind a job.
pub trait JobObjects {
    type Job;
    /// A new job with `limits`.
    fn create(&self, limits: &JobLimits) -> io::Result<Self::Job>;
    /// Starts `command` with its first thread suspended, so that it runs no code yet.
    fn spawn_suspended(&self, command: &mut Command) -> io::Result<Child>;
    fn assign(&self, job: &Self::Job, child: &Child) -> io::Result<()>;
    /// Lets the suspended child run.
    fn resume(&self, child: &Child) -> io::Result<()>;
    /// Kills every process in the job.
    fn terminate(&self, job: &Self::Job);
}

/// Starts `command` in a new job with `limits`. The child runs none of its code outside
/// the job: it is assigned while suspended, and killed where it stands if that fails.
pub fn spawn_in_job<J: JobObjects>(
    api: &J,
    command: &mut Command,
    limits: &JobLimits,
) -> io::Result<(Child, J::Job)> {
    let job = api.create(limits)?;
    let mut child = api.spawn_suspended(command)?;
    if let Err(err) = api.assign(&job, &child).and_then(|()| api.resume(&child)) {
        api.terminate(&job);
        let _ = child.kill();
        let _ = child.wait();
        return Err(err);
    }
    Ok((child, job))
}

/// On Linux, where the recorder's child is `sleep` and `/proc` shows it gone; on Windows
/// the real calls are tested with real processes, in `windows.rs`.
#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Records the calls; its "suspended" child is a real process, so that the tests can
    /// see whether it is left running.
    #[derive(Default)]
    struct Recorder {
        calls: RefCell<Vec<&'static str>>,
        failing: Option<&'static str>,
        child: RefCell<Option<u32>>,
    }

    impl Recorder {
        fn call(&self, name: &'static str) -> io::Result<()> {
            self.calls.borrow_mut().push(name);
            if self.failing == Some(name) {
                return Err(io::Error::other(format!("{name} refused")));
            }
            Ok(())
        }

        fn child_is_gone(&self) -> bool {
            let pid = self.child.borrow().expect("a child was started");
            !std::path::Path::new(&format!("/proc/{pid}")).exists()
        }
    }

    impl JobObjects for Recorder {
        type Job = ();
        fn create(&self, _: &JobLimits) -> io::Result<()> {
            self.call("create")
        }
        fn spawn_suspended(&self, command: &mut Command) -> io::Result<Child> {
            self.call("spawn suspended")?;
            let child = command.spawn()?;
            *self.child.borrow_mut() = Some(child.id());
            Ok(child)
        }
        fn assign(&self, _: &(), _: &Child) -> io::Result<()> {
            self.call("assign")
        }
        fn resume(&self, _: &Child) -> io::Result<()> {
            self.call("resume")
        }
        fn terminate(&self, _: &()) {
            let _ = self.call("terminate");
        }
    }

    fn sleeper() -> Command {
        let mut command = Command::new("sleep");
        command.arg("30");
        command
    }

    #[test]
    fn the_child_is_assigned_before_it_runs() {
        let recorder = Recorder::default();
        let (mut child, ()) =
            spawn_in_job(&recorder, &mut sleeper(), &JobLimits::default()).unwrap();
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            *recorder.calls.borrow(),
            ["create", "spawn suspended", "assign", "resume"]
        );
    }

    #[test]
    fn a_child_that_cannot_join_its_job_never_runs() {
        for (failing, calls) in [
            (
                "assign",
                &["create", "spawn suspended", "assign", "terminate"][..],
            ),
            (
                "resume",
                &["create", "spawn suspended", "assign", "resume", "terminate"],
            ),
        ] {
            let recorder = Recorder {
                failing: Some(failing),
                ..Recorder::default()
            };
            let refused = spawn_in_job(&recorder, &mut sleeper(), &JobLimits::default());
            assert!(refused.is_err(), "{failing}");
            assert_eq!(*recorder.calls.borrow(), calls);
            assert!(recorder.child_is_gone(), "killed when {failing} fails");
        }
    }

    #[test]
    fn nothing_starts_without_a_job() {
        let recorder = Recorder {
            failing: Some("create"),
            ..Recorder::default()
        };
        assert!(spawn_in_job(&recorder, &mut sleeper(), &JobLimits::default()).is_err());
        assert_eq!(*recorder.calls.borrow(), ["create"]);
    }

    #[test]
    fn a_test_process_job_has_room_for_its_sandbox() {
        let limits = super::super::Limits {
            memory_bytes: 4 << 30,
            cpu_seconds: 25,
            file_size_bytes: 64 << 20,
            new_tasks: 1024,
        };
        let job = JobLimits::for_test_process(&limits);
        assert_eq!(job.memory_bytes, Some(4 << 30));
        assert_eq!(job.processes, Some(1025));
        assert_eq!(job.cpu_seconds, Some(25));
    }
}
