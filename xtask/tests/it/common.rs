//! Laying out kits for the runner's tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::model::kit::{Manifest, files_under};

pub fn kit_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the kit")
        .to_path_buf()
}

/// The kit's target directory, so that the dependencies are built once for all kits.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => kit_root().join(dir),
        None => kit_root().join("target"),
    }
}

/// How a verdict names an abort: a signal on unix, a fail-fast exit code on Windows.
pub const ABORTED: &str = if cfg!(windows) { "aborted" } else { "SIGABRT" };

/// The kit in miniature whose exercises each produce one verdict.
pub const FIXTURES: &str = "xtask/tests/fixtures";

/// The exercises of the class kit (`xtask/tests/class/kit`), in course order.
pub const CLASS_EXERCISES: [&str; 4] = ["double", "flag_lock", "counter_handle", "triple"];

/// Every file of `kit` copied to `to`, as a student's copy holds them.
pub fn copy_kit(kit: &Path, to: &Path) {
    for file in files_under(kit).unwrap() {
        let destination = to.join(file.strip_prefix(kit).unwrap());
        std::fs::create_dir_all(destination.parent().unwrap()).unwrap();
        std::fs::copy(&file, &destination).unwrap();
    }
}

/// A student's copy of the class kit `kit` at `to`, with every exercise solved; the
/// copy's file of an exercise, by name, for the test to change.
pub fn hand_in_solved(kit: &Path, to: &Path) -> impl Fn(&str) -> PathBuf + use<> {
    copy_kit(kit, to);
    let to = to.to_path_buf();
    let exercise = move |name: &str| to.join(format!("exercises/01_class/{name}.rs"));
    for name in CLASS_EXERCISES {
        let solution = kit.join(format!("solutions/01_class/{name}.rs"));
        std::fs::copy(solution, exercise(name)).unwrap();
    }
    exercise
}

/// The template of a check file whose loom model has two threads increment one lock,
/// in a kit's `fixtures` folder: `{name}` is the exercise, `{lock}` its lock's type.
const TWO_INCREMENTS: &str = "two_increments.rs.template";

/// The fixtures whose check file is made from `TWO_INCREMENTS` as the kit is laid out,
/// each with its lock's type: one model, written once.
const FROM_TWO_INCREMENTS: [(&str, &str); 5] = [
    ("loom_race", "FlagLock"),
    ("loom_std_atomics", "FlagLock"),
    ("loom_std_absolute", "FlagLock"),
    ("loom_std_alias", "FlagLock"),
    ("loom_check_then_set", "CheckThenSetLock"),
];

/// Lays out a fresh kit whose package is `package`: the catalog, exercises,
/// solutions and checks in `fixtures` (relative to the real kit), with the real kit's
/// manifest, lock and library, and the checks made from a template there
/// (`TWO_INCREMENTS`). Every kit sharing the target directory needs a package name of
/// its own.
pub fn lay_out_kit(fixtures: &str, package: &str) -> PathBuf {
    let real = kit_root();
    let root = target_dir().join("threadlings-fixtures").join(package);
    let _ = std::fs::remove_dir_all(&root);
    // The runner's progress and scratch trees for the kit, from an earlier run.
    let _ = std::fs::remove_dir_all(target_dir().join("threadlings").join(package));
    let fixtures = real.join(fixtures);
    let mut files: Vec<(PathBuf, PathBuf)> =
        vec![(real.join("Cargo.lock"), root.join("Cargo.lock"))];
    for (from_root, dir) in [(&real, real.join("src")), (&fixtures, fixtures.clone())] {
        for file in files_under(&dir).expect("readable fixtures") {
            let to = root.join(file.strip_prefix(from_root).expect("under its root"));
            files.push((file, to));
        }
    }
    let template = fixtures.join(TWO_INCREMENTS);
    for (from, to) in files {
        if from == template {
            continue;
        }
        std::fs::create_dir_all(to.parent().expect("a file has a folder"))
            .expect("writable target dir");
        std::fs::copy(&from, &to).expect("copyable fixture");
    }
    if let Ok(template) = std::fs::read_to_string(&template) {
        for (name, lock) in FROM_TWO_INCREMENTS {
            let check = root.join("tests").join(name).join("main.rs");
            std::fs::create_dir_all(check.parent().expect("a file has a folder"))
                .expect("writable target dir");
            let text = template.replace("{name}", name).replace("{lock}", lock);
            std::fs::write(check, text).expect("writable target dir");
        }
    }
    let manifest = Manifest::read(&real).expect("the kit's manifest");
    std::fs::write(root.join("Cargo.toml"), manifest.standalone(package))
        .expect("writable target dir");
    root
}

/// The runner in `dir`, building into the tests' target directory, without colours;
/// its arguments, further variables and streams still to be given.
pub fn xtask_command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("NO_COLOR", "1");
    command
}

/// `xtask_command` with a cargo that cannot start, as under Wine: what the runner
/// finds before it asks cargo anything is still shown.
pub fn xtask_without_cargo(dir: &Path) -> Command {
    let mut command = xtask_command(dir);
    command.env("CARGO", dir.join("no-cargo-here"));
    command
}

/// Runs the runner in `dir` with `args` (see `xtask_command`).
pub fn xtask(dir: &Path, args: &[&str]) -> Output {
    xtask_command(dir)
        .args(args)
        .output()
        .expect("the runner starts")
}

/// What a command printed, stdout then stderr.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Whether this test is to be skipped, for want of a cargo that builds for this system:
/// every test that runs the runner on a kit needs one. Only on Windows, where under
/// Wine (in CI) the cargo found is Linux's, which Wine cannot start or whose builds it
/// cannot run; on Windows itself cargo is there, and elsewhere a missing cargo fails
/// the test as it should. A skipped test says why on the run's output.
pub fn skip_without_cargo() -> bool {
    static WHY_NOT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let why_not = WHY_NOT.get_or_init(|| cfg!(windows).then(no_windows_cargo).flatten());
    let Some(why_not) = why_not else {
        return false;
    };
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    // Past libtest's capture, so that the run shows it.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("skipped {test}: it runs cargo, and {why_not}\n").as_bytes(),
    );
    true
}

/// Why the cargo the runner would use (`CARGO`, else `cargo` on the path) cannot
/// build Windows programs here; `None` when it can.
fn no_windows_cargo() -> Option<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let shown = Path::new(&cargo).display().to_string();
    let output = match Command::new(&cargo).arg("-vV").output() {
        Ok(output) if output.status.success() => output,
        Ok(output) => return Some(format!("`{shown} -vV` failed: {}", text(&output))),
        Err(err) => return Some(format!("the cargo found ({shown}) cannot be run: {err}")),
    };
    let version = String::from_utf8_lossy(&output.stdout);
    let host = version
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .unwrap_or("unknown");
    (!host.contains("windows")).then(|| format!("the cargo found ({shown}) builds for {host}"))
}

/// What a report form writes, as text.
pub fn report_text(
    render: xtask::report::Renderer,
    class: &xtask::model::outcome::Class,
) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    render(class, &mut bytes)?;
    Ok(String::from_utf8(bytes)?)
}
