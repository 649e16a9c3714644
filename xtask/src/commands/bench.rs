//! `cargo xtask bench`: how fast the kit answers, measured against the plainest way to
//! do the same work, in clones of the kit so that nothing here is disturbed. Prints a
//! table of medians, each with its ratio to a baseline measured in the same run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::Exit;
use crate::model::catalog::{CheckKind, Exercise};
use crate::model::kit::{Kit, files_under};

/// What to measure, from the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchRequest {
    /// Runs per measurement; medians are reported.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Submissions in the class measurement.
    #[arg(long, default_value_t = 20)]
    pub class_size: usize,
    /// Leave out the slow measurements: a fresh clone, a class.
    #[arg(long)]
    pub quick: bool,
}

struct Row {
    name: String,
    runner: Duration,
    baseline: Option<(String, Duration)>,
    target: String,
}

pub fn bench(request: &BenchRequest) -> Result<Exit, String> {
    let kit = Kit::discover()?;
    let work = kit.target_dir().join("threadlings-bench");
    let mut rows = Vec::new();

    eprintln!("Preparing a clone of the kit with every exercise solved…");
    let solved = fresh_clone(&kit.root, &work.join("solved"))?;
    copy_solutions_over_exercises(&kit, &solved)?;
    run_quietly(&solved, "cargo", &["xtask", "next"])?;

    for (label, exercise) in representative_exercises(&kit) {
        rows.push(edit_to_verdict(&solved, label, exercise, request.runs)?);
    }
    if let Some((_, exercise)) = representative_exercises(&kit).first() {
        rows.push(watch_row(&kit, &solved, exercise, request.runs)?);
    }
    rows.extend(check_all_rows(&kit, &solved, request.runs)?);
    if !request.quick {
        rows.push(fresh_clone_row(&kit, &work, request.runs)?);
        rows.push(class_row(&kit, &solved, &work, request.class_size)?);
    }

    print_table(&rows);
    policy_cost(&kit)?;
    loom_models(&kit, &solved)?;
    print_machine();
    Ok(Exit::Success)
}

/// An edit of one exercise's file, then `next` to its verdict, beside the bare commands
/// that run the same checks.
fn edit_to_verdict(
    solved: &Path,
    label: &str,
    exercise: &Exercise,
    runs: usize,
) -> Result<Row, String> {
    eprintln!("Edit to verdict: {} ({label})…", exercise.name);
    let file = solved.join(exercise.file());
    let runner = median(runs, || {
        edit(&file)?;
        timed(solved, "cargo", &["xtask", "next"])
    })?;
    let baseline = median(runs, || {
        edit(&file)?;
        baseline_for(solved, exercise)
    })?;
    Ok(Row {
        name: format!("edit → verdict: {} ({label})", exercise.name),
        runner,
        baseline: Some((baseline_name(exercise), baseline)),
        target: "≤ 1.2× baseline; < 1 s for std-only".into(),
    })
}

/// The row of `save_to_verdict_in_watch`, whose target allows for watch's debounce.
fn watch_row(kit: &Kit, solved: &Path, exercise: &Exercise, runs: usize) -> Result<Row, String> {
    eprintln!("Save to verdict in watch: {}…", exercise.name);
    let (in_watch, bare) = save_to_verdict_in_watch(kit, solved, exercise, runs)?;
    Ok(Row {
        name: format!("save → verdict in watch: {}", exercise.name),
        runner: in_watch,
        baseline: Some((baseline_name(exercise), bare)),
        target: format!(
            "≤ 1.2× baseline + the {} ms debounce",
            crate::commands::watch::DEBOUNCE.as_millis()
        ),
    })
}

/// `check --solutions` with every exercise changed, beside two baselines: the least any
/// runner must do, and a `cargo test` per exercise.
fn check_all_rows(kit: &Kit, solved: &Path, runs: usize) -> Result<[Row; 2], String> {
    eprintln!("Check everything, every exercise crate changed…");
    let all: Vec<&Exercise> = kit.catalog.exercises.iter().collect();
    let check_all = median(runs.min(3), || {
        edit_all(kit, solved, true)?;
        timed(solved, "cargo", &["xtask", "check", "--solutions"])
    })?;
    let floor = median(runs.min(3), || {
        edit_all(kit, solved, false)?;
        floor(solved, &all)
    })?;
    let naive = median(1, || {
        edit_all(kit, solved, false)?;
        naive_loop(solved, &all)
    })?;
    Ok([
        Row {
            name: "check --solutions, all changed".into(),
            runner: check_all,
            baseline: Some(("build all + run every binary (floor)".into(), floor)),
            target: "≤ 1.2× floor".into(),
        },
        Row {
            name: "check --solutions, all changed".into(),
            runner: check_all,
            baseline: Some(("`cargo test --test NAME` per exercise".into(), naive)),
            target: "≥ 2× faster than the loop".into(),
        },
    ])
}

/// A fresh clone to its first verdict, dependencies and all, beside cargo's own test
/// of the first exercise in a fresh clone.
fn fresh_clone_row(kit: &Kit, work: &Path, runs: usize) -> Result<Row, String> {
    eprintln!("Fresh clone to first verdict (empty target directory, warm registry)…");
    let mut attempt = 0;
    let fresh = median(runs.min(3), || {
        timed_in_fresh_clone(kit, work, &mut attempt, &["xtask", "next"])
    })?;
    let first = &kit.catalog.exercises[0].name;
    let fresh_baseline = median(runs.min(3), || {
        timed_in_fresh_clone(
            kit,
            work,
            &mut attempt,
            &["test", "--package", &kit.package, "--test", first],
        )
    })?;
    Ok(Row {
        name: "fresh clone → first verdict".into(),
        runner: fresh,
        baseline: Some((
            "`cargo test --test FIRST` in a fresh clone".into(),
            fresh_baseline,
        )),
        target: "< 60 s".into(),
    })
}

/// Times `cargo args` in a clone of its own, deleted afterwards: each attempt starts
/// with an empty target directory.
fn timed_in_fresh_clone(
    kit: &Kit,
    work: &Path,
    attempt: &mut usize,
    args: &[&str],
) -> Result<Duration, String> {
    *attempt += 1;
    let clone = fresh_clone(&kit.root, &work.join(format!("fresh-{attempt}")))?;
    let took = timed_allowing_failure(&clone, "cargo", args);
    let _ = std::fs::remove_dir_all(&clone);
    took
}

/// Grading a class: the time per submission, and how much the target directory grew.
fn class_row(kit: &Kit, solved: &Path, work: &Path, class_size: usize) -> Result<Row, String> {
    eprintln!("A class of {class_size} submissions…");
    let class = make_class(kit, solved, &work.join("class"), class_size)?;
    let target_before = bytes_under(&solved.join("target"));
    let graded = timed_allowing_failure(
        solved,
        "cargo",
        &[
            "xtask",
            "check",
            "--submission",
            &class.display().to_string(),
        ],
    )?;
    let grown = bytes_under(&solved.join("target")).saturating_sub(target_before);
    Ok(Row {
        name: format!("grade a class of {class_size}: per submission"),
        runner: graded / class_size.max(1) as u32,
        baseline: None,
        target: format!(
            "class total {:.0} s; target/ grew {:.1} GiB",
            graded.as_secs_f64(),
            grown as f64 / f64::from(1 << 30)
        ),
    })
}

/// Save → verdict inside `watch`, which runs no `cargo run` before each check: watch is
/// started on the exercise as shipped, and each run saves the solution and times until
/// watch says it passes (then puts the shipped file back and waits for its verdict). The
/// baseline is a bare `cargo test` of the same target after the same save.
fn save_to_verdict_in_watch(
    kit: &Kit,
    solved: &Path,
    exercise: &Exercise,
    runs: usize,
) -> Result<(Duration, Duration), String> {
    let versions = Versions::read(kit, solved, exercise)?;
    versions.save(&versions.shipped)?;
    let watch = WatchProcess::start(solved)?;
    let failed = format!("✗ {}", exercise.name);
    let passed = format!("✓ {} passes", exercise.name);
    watch.wait_for(&failed)?;
    let mut first = true;
    let in_watch = median(runs, || {
        if !std::mem::take(&mut first) {
            versions.save(&versions.shipped)?;
            watch.wait_for(&failed)?;
        }
        let started = Instant::now();
        versions.save(&versions.solution)?;
        watch.wait_for(&passed)?;
        Ok(started.elapsed())
    });
    watch.quit();
    let in_watch = in_watch?;
    let bare = median(runs, || {
        versions.save(&versions.shipped)?;
        cargo_test(solved, exercise)?;
        versions.save(&versions.solution)?;
        cargo_test(solved, exercise)
    })?;
    Ok((in_watch, bare))
}

/// An exercise's file in the clone, and the two texts that the watch measurement saves
/// into it in turn.
struct Versions {
    file: PathBuf,
    shipped: String,
    solution: String,
}

impl Versions {
    fn read(kit: &Kit, solved: &Path, exercise: &Exercise) -> Result<Versions, String> {
        let read = |path: PathBuf| {
            std::fs::read_to_string(&path)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))
        };
        let solution = read(kit.root.join(exercise.solution_file()))?;
        let shipped = read(kit.root.join(exercise.file()))?;
        Ok(Versions {
            file: solved.join(exercise.file()),
            shipped,
            solution,
        })
    }

    fn save(&self, text: &str) -> Result<(), String> {
        std::fs::write(&self.file, text)
            .map_err(|err| format!("cannot write {}: {err}", self.file.display()))
    }
}

/// `watch` running in a clone, its output read on a thread of its own so that waiting
/// for a verdict can give up.
struct WatchProcess {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl WatchProcess {
    fn start(solved: &Path) -> Result<WatchProcess, String> {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new(solved.join("target/debug/xtask"))
            .arg("watch")
            .current_dir(solved)
            .env_remove("CARGO_TARGET_DIR")
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("cannot start watch: {err}"))?;
        let (sender, lines) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Ok(WatchProcess { child, lines })
    }

    /// Reads watch's output up to a line that contains `wanted`.
    fn wait_for(&self, wanted: &str) -> Result<(), String> {
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(300)) {
            if line.contains(wanted) {
                return Ok(());
            }
        }
        Err(format!("watch never printed `{wanted}`"))
    }

    /// Quits with watch's own key, as a student does, and waits for it to end.
    fn quit(mut self) {
        use std::io::Write;
        let _ = self.child.stdin.as_mut().map(|stdin| stdin.write_all(b"q"));
        let _ = self.child.wait();
    }
}

/// `cargo test` of one exercise's target, whose failure is expected on the shipped file.
fn cargo_test(tree: &Path, exercise: &Exercise) -> Result<Duration, String> {
    timed_allowing_failure(
        tree,
        "cargo",
        &["test", "--package", "threadlings", "--test", &exercise.name],
    )
}

/// One exercise of each check kind: std-only tests, compile-fail, loom.
fn representative_exercises(kit: &Kit) -> Vec<(&'static str, &Exercise)> {
    let first_with = |kind: CheckKind| {
        kit.catalog
            .exercises
            .iter()
            .find(|exercise| exercise.has_check(kind))
    };
    let mut chosen = Vec::new();
    if let Some(exercise) = kit.catalog.exercises.first() {
        chosen.push(("tests", exercise));
    }
    if let Some(exercise) = first_with(CheckKind::CompileFail) {
        chosen.push(("compile-fail", exercise));
    }
    if let Some(exercise) = kit
        .catalog
        .exercises
        .iter()
        .find(|e| e.has_check(CheckKind::Loom) && !e.has_check(CheckKind::CompileFail))
    {
        chosen.push(("loom", exercise));
    }
    chosen
}

fn baseline_name(exercise: &Exercise) -> String {
    let mut parts = vec![format!("cargo test --test {}", exercise.name)];
    if exercise.has_check(CheckKind::CompileFail) {
        parts.push("trybuild".into());
    }
    if exercise.has_check(CheckKind::Loom) {
        parts.push("--features loom".into());
    }
    parts.join(" + ")
}

/// The bare commands that do an exercise's checks: cargo's own test run, trybuild on its
/// compile-fail cases, and its loom models.
fn baseline_for(tree: &Path, exercise: &Exercise) -> Result<Duration, String> {
    let mut took = cargo_test(tree, exercise)?;
    if exercise.has_check(CheckKind::CompileFail) {
        took += trybuild(tree, &crate::engine::compile_fail_cases(tree, exercise)?)?;
    }
    if let Some(bounds) = exercise.loom {
        let started = Instant::now();
        let _ = Command::new("cargo")
            .current_dir(tree)
            .args([
                "test",
                "--package",
                "threadlings",
                "--features",
                "loom",
                "--test",
                &exercise.name,
            ])
            .env("LOOM_MAX_PREEMPTIONS", bounds.preemption_bound.to_string())
            // As every command here: the clone's own target directory. The clone's package
            // has the kit's name, so its solved builds would pass for the kit's.
            .env_remove("CARGO_TARGET_DIR")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        took += started.elapsed();
    }
    Ok(took)
}

/// trybuild itself over `cases`, as the runner's harness runs it, without the runner.
fn trybuild(tree: &Path, cases: &[PathBuf]) -> Result<Duration, String> {
    let started = Instant::now();
    Command::new(std::env::current_exe().map_err(|err| err.to_string())?)
        .arg(crate::engine::compile_fail::HARNESS_COMMAND)
        .args(cases)
        .current_dir(tree)
        .env("CARGO_MANIFEST_DIR", tree)
        .env("TRYBUILD", "overwrite")
        .env_remove("CARGO_TARGET_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|err| format!("cannot run trybuild: {err}"))?;
    let took = started.elapsed();
    // trybuild wrote its snapshots next to the cases; the clone must stay as it was.
    for case in cases {
        let _ = std::fs::remove_file(case.with_extension("stderr"));
    }
    Ok(took)
}

/// The least any runner must do: build every test target once (both flavours) and run
/// every test binary once, with no process per test.
fn floor(tree: &Path, exercises: &[&Exercise]) -> Result<Duration, String> {
    let started = Instant::now();
    let names: Vec<String> = exercises
        .iter()
        .filter(|e| e.has_check(CheckKind::Tests))
        .map(|e| e.name.clone())
        .collect();
    let loom: Vec<String> = exercises
        .iter()
        .filter(|e| e.has_check(CheckKind::Loom))
        .map(|e| e.name.clone())
        .collect();
    let cases: Vec<PathBuf> = exercises
        .iter()
        .map(|exercise| crate::engine::compile_fail_cases(tree, exercise))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    trybuild(tree, &cases)?;
    for (features, targets) in [(None, &names), (Some("loom"), &loom)] {
        let mut args = vec![
            "test".to_string(),
            "--package".into(),
            "threadlings".into(),
            "--no-fail-fast".into(),
        ];
        if let Some(features) = features {
            args.extend(["--features".into(), features.into()]);
        }
        for name in targets {
            args.extend(["--test".into(), name.clone()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        timed_allowing_failure(tree, "cargo", &args)?;
    }
    Ok(started.elapsed())
}

/// What a naive runner does: one `cargo test` per exercise (and flavour).
fn naive_loop(tree: &Path, exercises: &[&Exercise]) -> Result<Duration, String> {
    let started = Instant::now();
    for exercise in exercises {
        baseline_for(tree, exercise)?;
    }
    Ok(started.elapsed())
}

/// What the policy adds to each verdict: judging each exercise file, timed alone.
fn policy_cost(kit: &Kit) -> Result<(), String> {
    let mut per_file = Vec::new();
    for exercise in &kit.catalog.exercises {
        let path = kit.root.join(exercise.solution_file());
        let source = std::fs::read_to_string(&path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let rules = crate::syntax::policy::Rules {
            allowed: &exercise.allow,
            loom: exercise.has_check(CheckKind::Loom),
        };
        per_file.push(median(21, || {
            let started = Instant::now();
            crate::syntax::policy::judge(&source, &rules);
            Ok(started.elapsed())
        })?);
    }
    per_file.sort();
    let slowest = per_file.last().copied().unwrap_or_default();
    let middle = per_file
        .get(per_file.len() / 2)
        .copied()
        .unwrap_or_default();
    println!();
    println!(
        "policy: judging an exercise file takes {:.2} ms (median over the {} solutions; the \
         slowest {:.2} ms)",
        middle.as_secs_f64() * 1000.0,
        per_file.len(),
        slowest.as_secs_f64() * 1000.0
    );
    Ok(())
}

/// Seconds per loom model, on the reference solutions and on the shipped exercises,
/// read from the runner's JSON report.
fn loom_models(kit: &Kit, solved: &Path) -> Result<(), String> {
    let loom: Vec<&str> = kit
        .catalog
        .exercises
        .iter()
        .filter(|e| e.has_check(CheckKind::Loom))
        .map(|e| e.name.as_str())
        .collect();
    let report = solved.join("target/bench-loom.json");
    let shipped = fresh_clone(&kit.root, &solved.with_file_name("shipped"))?;
    let shipped_report = shipped.join("target/bench-loom-shipped.json");
    let (report_arg, shipped_arg) = (
        report.display().to_string(),
        shipped_report.display().to_string(),
    );
    let mut args = vec![
        "xtask",
        "check",
        "--solutions",
        "--json",
        report_arg.as_str(),
    ];
    args.extend(&loom);
    timed_allowing_failure(solved, "cargo", &args)?;
    let mut args = vec!["xtask", "check", "--json", shipped_arg.as_str()];
    args.extend(&loom);
    timed_allowing_failure(&shipped, "cargo", &args)?;
    println!();
    println!("loom models (seconds per model, each in its own process)");
    println!(
        "{:64} {:>10} {:>10}  shipped verdict",
        "exercise", "solution", "shipped"
    );
    let durations = |path: &Path| -> Vec<(String, f64, String)> {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let mut rows = Vec::new();
        for exercise in json["submissions"][0]["exercises"]
            .as_array()
            .into_iter()
            .flatten()
        {
            for check in exercise["checks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|check| check["kind"] == "loom")
            {
                for case in check["cases"].as_array().into_iter().flatten() {
                    let seconds = case["duration_ms"].as_f64().unwrap_or_default() / 1000.0;
                    let verdict = case["status"].as_str().unwrap_or_default().to_string();
                    let model = case["name"]
                        .as_str()
                        .unwrap_or_default()
                        .trim_start_matches("models::");
                    rows.push((
                        format!("{}::{model}", exercise["name"].as_str().unwrap_or_default()),
                        seconds,
                        verdict,
                    ));
                }
            }
        }
        rows
    };
    let solution_rows = durations(&report);
    let shipped_rows = durations(&shipped_report);
    for (index, (name, seconds, _)) in solution_rows.iter().enumerate() {
        let (shipped_seconds, verdict) = shipped_rows
            .get(index)
            .map_or((f64::NAN, String::new()), |row| (row.1, row.2.clone()));
        println!("{name:64} {seconds:>9.2}s {shipped_seconds:>9.2}s  {verdict}");
    }
    Ok(())
}

/// The bytes of every file below `dir`.
fn bytes_under(dir: &Path) -> u64 {
    files_under(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|file| std::fs::symlink_metadata(file).ok())
        .map(|meta| meta.len())
        .sum()
}

fn print_table(rows: &[Row]) {
    println!();
    println!(
        "| measurement | threadlings (median) | baseline | baseline (median) | ratio | target |"
    );
    println!("|---|---|---|---|---|---|");
    for row in rows {
        let (name, seconds, ratio) = match &row.baseline {
            Some((name, baseline)) => (
                name.as_str(),
                format!("{:.2} s", baseline.as_secs_f64()),
                format!(
                    "{:.2}",
                    row.runner.as_secs_f64() / baseline.as_secs_f64().max(1e-9)
                ),
            ),
            None => ("-", "-".into(), "-".into()),
        };
        println!(
            "| {} | {:.2} s | {name} | {seconds} | {ratio} | {} |",
            row.name,
            row.runner.as_secs_f64(),
            row.target
        );
    }
}

fn print_machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .map(|line| line.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_default();
    println!();
    println!("machine: {cores} cores, {cpu}; {rustc}");
}

fn median(
    runs: usize,
    mut measure: impl FnMut() -> Result<Duration, String>,
) -> Result<Duration, String> {
    let mut samples = Vec::new();
    for _ in 0..runs.max(1) {
        samples.push(measure()?);
    }
    samples.sort();
    Ok(samples[samples.len() / 2])
}

fn timed(dir: &Path, program: &str, args: &[&str]) -> Result<Duration, String> {
    let started = Instant::now();
    run_quietly(dir, program, args)?;
    Ok(started.elapsed())
}

/// Times a command whose failure is expected (a verdict on an unsolved exercise).
fn timed_allowing_failure(dir: &Path, program: &str, args: &[&str]) -> Result<Duration, String> {
    let started = Instant::now();
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|err| format!("cannot run {program}: {err}"))?;
    Ok(started.elapsed())
}

fn run_quietly(dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .map_err(|err| format!("cannot run {program}: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{program} {}` failed in {}:\n{}{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}

/// A clean clone of the kit's committed state, with its own (empty) target directory.
fn fresh_clone(root: &Path, to: &Path) -> Result<PathBuf, String> {
    let _ = std::fs::remove_dir_all(to);
    run_quietly(
        root,
        "git",
        &[
            "clone",
            "--quiet",
            &root.display().to_string(),
            &to.display().to_string(),
        ],
    )?;
    Ok(to.to_path_buf())
}

fn copy_solutions_over_exercises(kit: &Kit, tree: &Path) -> Result<(), String> {
    for exercise in &kit.catalog.exercises {
        std::fs::copy(
            tree.join(exercise.solution_file()),
            tree.join(exercise.file()),
        )
        .map_err(|err| format!("cannot copy the solution of {}: {err}", exercise.name))?;
    }
    Ok(())
}

/// Changes a file's content (a new comment at its end), as a save in an editor does.
fn edit(file: &Path) -> Result<(), String> {
    static EDITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let mut text = std::fs::read_to_string(file)
        .map_err(|err| format!("cannot read {}: {err}", file.display()))?;
    if let Some(start) = text.find("\n// bench edit ") {
        text.truncate(start + 1);
    }
    let count = EDITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    text.push_str(&format!("\n// bench edit {count}\n"));
    std::fs::write(file, text).map_err(|err| format!("cannot write {}: {err}", file.display()))
}

/// Edits every solution (for the runner's scratch tree) or every exercise file.
fn edit_all(kit: &Kit, tree: &Path, solutions: bool) -> Result<(), String> {
    for exercise in &kit.catalog.exercises {
        let file = if solutions {
            exercise.solution_file()
        } else {
            exercise.file()
        };
        edit(&tree.join(file))?;
    }
    Ok(())
}

/// A class: copies of the solved kit, each with a different exercise put back as shipped,
/// and every exercise file marked as the student's own, so that no file is the same
/// as another student's and every exercise is built again for each submission.
fn make_class(kit: &Kit, solved: &Path, to: &Path, size: usize) -> Result<PathBuf, String> {
    let _ = std::fs::remove_dir_all(to);
    let files: Vec<PathBuf> = ["exercises", "tests", "src"]
        .iter()
        .flat_map(|dir| files_under(&solved.join(dir)).unwrap_or_default())
        .collect();
    for student in 0..size {
        let home = to.join(format!("student-{student:02}"));
        for file in &files {
            let relative = file.strip_prefix(solved).map_err(|err| err.to_string())?;
            let destination = home.join(relative);
            std::fs::create_dir_all(destination.parent().expect("a file has a folder"))
                .map_err(|err| err.to_string())?;
            std::fs::copy(file, &destination).map_err(|err| err.to_string())?;
        }
        let broken = &kit.catalog.exercises[student % kit.catalog.exercises.len()];
        std::fs::copy(kit.root.join(broken.file()), home.join(broken.file()))
            .map_err(|err| err.to_string())?;
        for exercise in &kit.catalog.exercises {
            let file = home.join(exercise.file());
            let mut text = std::fs::read_to_string(&file).map_err(|err| err.to_string())?;
            text.push_str(&format!("// handed in by student {student:02}\n"));
            std::fs::write(&file, text).map_err(|err| err.to_string())?;
        }
    }
    Ok(to.to_path_buf())
}
