//! Interrupting a command: Ctrl-C (SIGINT), SIGTERM, or SIGHUP when the terminal closes,
//! while a deadlocked exercise is being checked. A deadlocked test uses no CPU, so its
//! CPU limit would never end it: the command must stop every test process it started,
//! and exit with the conventional status, 128 plus the signal's number.
#![cfg(target_os = "linux")]

use crate::common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

const PACKAGE: &str = "threadlings-fixtures-interrupt";

/// The test processes of this kit still alive: each names its scratch folder, which
/// names the kit's package, in its command line.
fn test_processes() -> Vec<String> {
    let marker = format!("threadlings/{PACKAGE}/run/");
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| std::fs::read(entry.path().join("cmdline")).ok())
        .map(|cmdline| String::from_utf8_lossy(&cmdline).replace('\0', " "))
        .filter(|cmdline| cmdline.contains(&marker))
        .collect()
}

/// Waits at most `patience` for `done`.
fn wait_until(patience: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

#[test]
fn an_interrupted_check_of_a_deadlock_leaves_no_test_process() {
    let kit = common::lay_out_kit(common::FIXTURES, PACKAGE);
    // Long enough that only the interrupt can end the deadlocked tests.
    let catalog = kit.join("exercises/info.toml");
    let text = std::fs::read_to_string(&catalog).unwrap();
    std::fs::write(
        &catalog,
        text.replace("timeout_secs = 2", "timeout_secs = 600"),
    )
    .unwrap();
    for (signal, name) in [
        (libc::SIGINT, "SIGINT"),
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGHUP, "SIGHUP"),
    ] {
        interrupt(&kit, signal, name);
    }
}

fn interrupt(kit: &Path, signal: i32, name: &str) {
    let mut check = common::xtask_command(kit)
        .args(["check", "deadlock"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the runner starts");
    // The first run builds the dependencies for this kit's package.
    assert!(
        wait_until(Duration::from_secs(600), || !test_processes().is_empty()),
        "the deadlocked tests never started"
    );
    let pid = libc::pid_t::try_from(check.id()).unwrap();
    // SAFETY: kill(2) on the runner this test started.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    let status = check.wait().unwrap();
    assert_eq!(status.code(), Some(128 + signal), "{name}: {status:?}");
    // A killed process leaves the list once it is reaped, which takes a moment.
    let gone = wait_until(Duration::from_secs(5), || test_processes().is_empty());
    assert!(
        gone,
        "{name} left test processes running: {:#?}",
        test_processes()
    );
}
