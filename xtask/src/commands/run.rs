//! `cargo xtask run NAME`: the exercise's tests with everything they print shown live,
//! so a student can watch the interleavings their code produces.

use std::time::Duration;

use crate::Exit;
use crate::engine::{Flavor, OneBuild, Runner, discover_kit};
use crate::model::catalog::CheckKind;
use crate::model::kit::Source;
use crate::os::process;
use crate::report::live;

pub fn run(name: &str) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let exercise = kit.catalog.find(name)?;
    let runner = Runner::new(&kit, Source::Exercises)?;
    let executable = match runner
        .with_observer(live::build_bar())
        .build_one(exercise, Flavor::Std)?
    {
        OneBuild::Executable(executable) => executable,
        OneBuild::Refused(refused) => {
            super::show_refusal(&kit, exercise, CheckKind::Tests, refused);
            return Ok(Exit::Failed);
        }
        OneBuild::Failed(diagnostics) => {
            super::show_compiler_errors(&diagnostics);
            return Ok(Exit::Failed);
        }
    };
    let mut command = std::process::Command::new(executable);
    command
        .args(["--test-threads=1", "--nocapture"])
        .env("RUST_BACKTRACE", "0");
    let timeout = Duration::from_secs(exercise.timeout_secs() * 4);
    let finished = process::run_live(command, timeout)?;
    if finished.timed_out() {
        println!(
            "\nstopped after {} s: likely a deadlock or a thread that never finishes",
            timeout.as_secs()
        );
    }
    Ok(if finished.success() {
        Exit::Success
    } else {
        Exit::Failed
    })
}
