//! Looks outside its sandbox without opening anything: Landlock confines opening and
//! listing, not `stat` or `readlink`, and `/proc` is the machine's (no mount
//! namespace), so the test finds every process of the machine by `stat`, reads where
//! each runs and what it runs (`/proc/PID/cwd`, `/exe`, and which files it holds,
//! `/proc/PID/fd/N`), and the size and time of other students' files; then it fails
//! with what it found as its message, which the grader puts in its report.
use std::fmt::Write;
use std::path::Path;

pub fn double(value: u32) -> u32 {
    let mut found = String::new();
    let mut visible = 0;
    for pid in 1..400_000u32 {
        let folder = format!("/proc/{pid}");
        if Path::new(&folder).exists() {
            visible += 1;
            let cwd = std::fs::read_link(format!("{folder}/cwd"));
            let exe = std::fs::read_link(format!("{folder}/exe"));
            if let (Ok(cwd), Ok(exe)) = (cwd, exe) {
                if exe.to_string_lossy().contains("xtask") {
                    let _ = writeln!(found, "grader? pid {pid} exe {exe:?} cwd {cwd:?}");
                    for fd in 0..64 {
                        if let Ok(held) = std::fs::read_link(format!("{folder}/fd/{fd}")) {
                            let _ = writeln!(found, "  fd {fd}: {held:?}");
                        }
                    }
                }
            }
        }
    }
    let _ = writeln!(found, "{visible} processes visible");
    if let Ok(here) = std::env::current_dir() {
        for up in here.ancestors().take(8) {
            let _ = writeln!(found, "{:?}: {:?}", up, up.metadata().map(|m| m.len()));
        }
    }
    panic!("found:\n{found}");
    #[allow(unreachable_code)]
    {
        value * 2
    }
}
