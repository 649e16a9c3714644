//! Leaves a process behind in a process group of its own, which the group kill at the
//! test's timeout does not reach. Once the test has been stopped, it takes the names of
//! the harness logs of the tests graded after it (in the run folder they would share):
//! their harness cannot write its report, and they would fail.
use std::os::unix::process::CommandExt;

pub fn double(value: u32) -> u32 {
    let here = std::env::current_dir().expect("a working folder");
    let runner = std::os::unix::process::parent_id();
    let mut command = std::process::Command::new("/nonexistent");
    command.process_group(0);
    // SAFETY: the closure runs in the forked child; it only sleeps and makes folders.
    unsafe {
        command.pre_exec(move || {
            // Past the test's timeout: only a process that outlived the test acts.
            std::thread::sleep(std::time::Duration::from_secs(5));
            for folder in [here.clone(), here.join("..")] {
                for test in ["doubles", "triples", "counts", "two_increments"] {
                    for run in 0..3000 {
                        let log = folder.join(format!("{test}.{runner}.{run}.log"));
                        let _ = std::fs::create_dir(log);
                    }
                }
            }
            Ok(())
        });
    }
    // Waits for the child, which outlasts the test.
    let _ = command.spawn();
    value * 2
}
