//! The measurements: a command timed (its failure expected or not), the median of some
//! runs, the bare commands that are the baselines, and the two breakdowns printed after
//! the table (the policy's cost, loom's models).

use anyhow::Context;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::model::catalog::{CheckKind, Exercise};
use crate::model::kit::Kit;

use super::clones::fresh_clone;

pub(super) fn median(
    runs: usize,
    mut measure: impl FnMut() -> anyhow::Result<Duration>,
) -> anyhow::Result<Duration> {
    let mut samples = Vec::new();
    for _ in 0..runs.max(1) {
        samples.push(measure()?);
    }
    samples.sort();
    Ok(samples[samples.len() / 2])
}

pub(super) fn timed(dir: &Path, program: &str, args: &[&str]) -> anyhow::Result<Duration> {
    let started = Instant::now();
    run_quietly(dir, program, args)?;
    Ok(started.elapsed())
}

/// Times a command whose failure is expected (a verdict on an unsolved exercise).
pub(super) fn timed_allowing_failure(
    dir: &Path,
    program: &str,
    args: &[&str],
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .with_context(|| format!("cannot run {program}"))?;
    Ok(started.elapsed())
}

pub(super) fn run_quietly(dir: &Path, program: &str, args: &[&str]) -> anyhow::Result<()> {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .with_context(|| format!("cannot run {program}"))?;
    if !output.status.success() {
        anyhow::bail!(
            "`{program} {}` failed in {}:\n{}{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// `cargo test` of one exercise's target, whose failure is expected on the shipped file.
pub(super) fn cargo_test(tree: &Path, exercise: &Exercise) -> anyhow::Result<Duration> {
    timed_allowing_failure(
        tree,
        "cargo",
        &["test", "--package", "threadlings", "--test", &exercise.name],
    )
}

/// The bare commands that do an exercise's checks: cargo's own test run, trybuild on its
/// compile-fail cases, and its loom models.
pub(super) fn baseline_for(tree: &Path, exercise: &Exercise) -> anyhow::Result<Duration> {
    let mut took = cargo_test(tree, exercise)?;
    if exercise.has_check(CheckKind::CompileFail) {
        let cases = crate::engine::compile_fail_cases(tree, exercise)?;
        took += trybuild(tree, &cases)?;
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
fn trybuild(tree: &Path, cases: &[PathBuf]) -> anyhow::Result<Duration> {
    let started = Instant::now();
    Command::new(std::env::current_exe()?)
        .arg(crate::engine::COMPILE_FAIL_HARNESS)
        .args(cases)
        .current_dir(tree)
        .env("CARGO_MANIFEST_DIR", tree)
        .env("TRYBUILD", "overwrite")
        .env_remove("CARGO_TARGET_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("cannot run trybuild")?;
    let took = started.elapsed();
    // trybuild wrote its snapshots next to the cases; the clone must stay as it was.
    for case in cases {
        let _ = std::fs::remove_file(case.with_extension("stderr"));
    }
    Ok(took)
}

/// The least any runner must do: build every test target once (both flavours) and run
/// every test binary once, with no process per test.
pub(super) fn floor(tree: &Path, exercises: &[&Exercise]) -> anyhow::Result<Duration> {
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
pub(super) fn naive_loop(tree: &Path, exercises: &[&Exercise]) -> anyhow::Result<Duration> {
    let started = Instant::now();
    for exercise in exercises {
        baseline_for(tree, exercise)?;
    }
    Ok(started.elapsed())
}

/// What the policy adds to each verdict: judging each exercise file, timed alone.
pub(super) fn policy_cost(kit: &Kit) -> anyhow::Result<()> {
    let mut per_file = Vec::new();
    for exercise in &kit.catalog.exercises {
        let path = kit.root.join(exercise.solution_file());
        let source = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
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
pub(super) fn loom_models(kit: &Kit, solved: &Path) -> anyhow::Result<()> {
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::median;

    fn seconds(samples: &[u64]) -> impl FnMut() -> anyhow::Result<Duration> + '_ {
        let mut next = samples.iter();
        move || Ok(Duration::from_secs(*next.next().expect("a sample per run")))
    }

    #[test]
    fn the_median_is_the_middle_sample_whatever_the_order() {
        assert_eq!(
            median(5, seconds(&[9, 1, 5, 7, 3])).unwrap(),
            Duration::from_secs(5)
        );
        assert_eq!(
            median(3, seconds(&[2, 100, 1])).unwrap(),
            Duration::from_secs(2)
        );
    }

    /// Of an even count, the upper of the two middle samples: a slow outlier among
    /// four runs does not pull the median down.
    #[test]
    fn of_an_even_count_the_median_is_the_upper_middle() {
        assert_eq!(
            median(4, seconds(&[4, 1, 3, 2])).unwrap(),
            Duration::from_secs(3)
        );
        assert_eq!(median(2, seconds(&[8, 6])).unwrap(), Duration::from_secs(8));
    }

    #[test]
    fn no_runs_still_measures_once() {
        assert_eq!(median(0, seconds(&[7])).unwrap(), Duration::from_secs(7));
    }

    #[test]
    fn a_failed_run_is_the_measurement_s_error() {
        let mut runs = 0;
        let failed = median(5, || {
            runs += 1;
            if runs == 2 {
                Err(anyhow::anyhow!("cannot run cargo"))
            } else {
                Ok(Duration::ZERO)
            }
        });
        assert_eq!(failed.unwrap_err().to_string(), "cannot run cargo");
        assert_eq!(runs, 2, "no run after the one that failed");
    }
}
