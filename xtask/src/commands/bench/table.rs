//! The table `bench` prints: one row per measurement, its median beside the baseline's
//! and their ratio, in Markdown; and the machine it ran on.

use std::fmt::Write;
use std::process::Command;
use std::time::Duration;

/// One measurement: the runner's median, the baseline's (named) if it has one, and the
/// target it is held to.
pub(super) struct Row {
    pub(super) name: String,
    pub(super) runner: Duration,
    pub(super) baseline: Option<(String, Duration)>,
    pub(super) target: String,
}

pub(super) fn print_table(rows: &[Row]) {
    print!("{}", table(rows));
}

/// The rows in Markdown, after a blank line: the ratio is the runner's median over the
/// baseline's, to two places, and a row with no baseline shows dashes.
fn table(rows: &[Row]) -> String {
    let mut out = String::from("\n");
    out.push_str(
        "| measurement | threadlings (median) | baseline | baseline (median) | ratio | target |\n",
    );
    out.push_str("|---|---|---|---|---|---|\n");
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
        let _ = writeln!(
            out,
            "| {} | {:.2} s | {name} | {seconds} | {ratio} | {} |",
            row.name,
            row.runner.as_secs_f64(),
            row.target
        );
    }
    out
}

pub(super) fn print_machine() {
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Row, table};

    fn row(runner_ms: u64, baseline: Option<(&str, u64)>) -> Row {
        Row {
            name: "edit → verdict: spawn_join (tests)".into(),
            runner: Duration::from_millis(runner_ms),
            baseline: baseline.map(|(name, ms)| (name.to_string(), Duration::from_millis(ms))),
            target: "≤ 1.2× baseline".into(),
        }
    }

    #[test]
    fn each_row_gives_both_medians_and_their_ratio() {
        let printed = table(&[row(1500, Some(("cargo test --test spawn_join", 1200)))]);
        assert_eq!(
            printed,
            "\n| measurement | threadlings (median) | baseline | baseline (median) | ratio | target |\n\
             |---|---|---|---|---|---|\n\
             | edit → verdict: spawn_join (tests) | 1.50 s | cargo test --test spawn_join | 1.20 s | 1.25 | ≤ 1.2× baseline |\n"
        );
    }

    #[test]
    fn a_row_without_a_baseline_shows_dashes() {
        let printed = table(&[row(250, None)]);
        assert!(
            printed.ends_with(
                "| edit → verdict: spawn_join (tests) | 0.25 s | - | - | - | ≤ 1.2× baseline |\n"
            ),
            "{printed}"
        );
    }

    /// A baseline too fast to time is no division by zero: the ratio is large, not
    /// `inf` or `NaN`.
    #[test]
    fn a_zero_baseline_gives_a_finite_ratio() {
        let printed = table(&[row(1, Some(("noop", 0)))]);
        let ratio = printed.lines().last().unwrap().split(" | ").nth(4).unwrap();
        assert!(ratio.parse::<f64>().is_ok_and(f64::is_finite), "{printed}");
    }

    #[test]
    fn rows_keep_their_order() {
        let mut first = row(1000, None);
        first.name = "first".into();
        let mut second = row(1000, None);
        second.name = "second".into();
        let printed = table(&[first, second]);
        let names: Vec<&str> = printed
            .lines()
            .skip(3)
            .map(|line| line.split(" | ").next().unwrap())
            .collect();
        assert_eq!(names, ["| first", "| second"]);
    }
}
