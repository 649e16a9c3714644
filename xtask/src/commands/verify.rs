//! `cargo xtask verify`: the kit's self-check, for the authors of exercises.

use std::collections::BTreeSet;

use crate::Exit;
use crate::cargo;
use crate::catalog::{CATALOG_PATH, CheckKind, Exercise};
use crate::compile_fail;
use crate::kit::{Kit, Source, files_under, relative_to, slashed};
use crate::outcome::Status;
use crate::policy;
use crate::runner::{Depth, Runner, compile_fail_cases};
use crate::shipped::{RECORD_PATH, Record, case_id, fingerprint};
use crate::style;

/// Hint levels every exercise needs: a nudge and something close to the answer.
const MIN_HINTS: usize = 2;

/// How many times `--bless` runs the shipped exercises: a case that passes on them in
/// any run is recorded, so that one passing by chance earns nothing either.
const BLESS_RUNS: usize = 3;

/// `bless` writes `exercises/as-shipped.toml` from what the shipped exercises pass,
/// rather than checking it.
pub fn verify(bless: bool) -> Result<Exit, String> {
    let kit = Kit::discover()?;
    let mut problems = consistency(&kit)?;
    if !problems.is_empty() {
        // Checking files that are missing would only repeat the same problems.
        return Ok(conclude(&problems));
    }
    let all: Vec<_> = kit.catalog.exercises.iter().collect();

    eprintln!("{}", style::dim("Checking every reference solution…"));
    for result in Runner::new(&kit, Source::Solutions)?.check(&all, Depth::All)? {
        for check in &result.checks {
            for case in check
                .cases
                .iter()
                .filter(|case| case.status != Status::Pass)
            {
                problems.push(format!(
                    "{}: the solution fails its {} check `{}`: {}\n{}",
                    result.exercise.solution_file(),
                    check.kind,
                    case.name,
                    case.message,
                    case.output
                ));
            }
        }
    }

    eprintln!(
        "{}",
        style::dim("Checking that every shipped exercise fails…")
    );
    let runs = if bless { BLESS_RUNS } else { 1 };
    let mut observed = Record::default();
    let mut passing_everything = BTreeSet::new();
    for _ in 0..runs {
        for result in Runner::new(&kit, Source::Exercises)?.check(&all, Depth::All)? {
            let shipped = observed
                .exercises
                .entry(result.exercise.name.clone())
                .or_default();
            for check in &result.checks {
                for case in check
                    .cases
                    .iter()
                    .filter(|case| case.status == Status::Pass)
                {
                    shipped.passing.insert(case_id(check.kind, &case.name));
                }
            }
            if result.passed() {
                passing_everything.insert(result.exercise.file());
            }
        }
    }
    for file in passing_everything {
        problems.push(format!(
            "{file}: passes every check as it is, but a shipped exercise must fail at least one \
             (`verify` is for the kit's authors: in a student's checkout, solved exercises pass)"
        ));
    }
    for exercise in &kit.catalog.exercises {
        let text = std::fs::read_to_string(kit.exercise_path(exercise))
            .map_err(|err| format!("cannot read {}: {err}", exercise.file()))?;
        if let Some(shipped) = observed.exercises.get_mut(&exercise.name) {
            shipped.fingerprint = fingerprint(&text);
        }
    }
    if bless {
        observed.save(&kit.root)?;
        eprintln!("{}", style::dim(&format!("Wrote {RECORD_PATH}.")));
    } else {
        problems.extend(record_problems(&Record::load(&kit.root)?, &observed));
    }

    eprintln!(
        "{}",
        style::dim("Checking that the solutions are formatted and clippy-clean…")
    );
    problems.extend(formatting(&kit)?);
    problems.extend(clippy(&kit)?);
    Ok(conclude(&problems))
}

/// Where the record of the shipped exercises disagrees with what they do now.
fn record_problems(record: &Record, observed: &Record) -> Vec<String> {
    let mut problems = Vec::new();
    let stale = |why: String| {
        format!("{RECORD_PATH} is out of date: {why}; `cargo xtask verify --bless` rewrites it")
    };
    for (name, now) in &observed.exercises {
        let Some(recorded) = record.exercises.get(name) else {
            problems.push(stale(format!("it has no entry for `{name}`")));
            continue;
        };
        if recorded.fingerprint != now.fingerprint {
            problems.push(stale(format!("the shipped `{name}` has changed")));
        }
        let unrecorded: Vec<&String> = now.passing.difference(&recorded.passing).collect();
        if !unrecorded.is_empty() {
            problems.push(stale(format!(
                "on the shipped `{name}`, {} pass(es) and would earn points",
                unrecorded
                    .iter()
                    .map(|case| format!("`{case}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    for name in record.exercises.keys() {
        if !observed.exercises.contains_key(name) {
            problems.push(stale(format!("`{name}` is not in the catalog")));
        }
    }
    problems
}

fn conclude(problems: &[String]) -> Exit {
    if problems.is_empty() {
        println!(
            "{} the kit is consistent: every solution passes and every shipped exercise fails.",
            style::green("✓")
        );
        return Exit::Success;
    }
    for problem in problems {
        println!("{} {problem}", style::red("✗"));
    }
    println!();
    println!("{} problem(s) found.", problems.len());
    Exit::Failed
}

/// Catalog, exercises, solutions and checks agree, file for file.
fn consistency(kit: &Kit) -> Result<Vec<String>, String> {
    let root = &kit.root;
    let mut problems = Vec::new();
    let mut expected_files = vec![root.join(CATALOG_PATH), root.join(RECORD_PATH)];
    for chapter in &kit.catalog.chapters {
        let readme = root.join("exercises").join(&chapter.dir).join("README.md");
        if !readme.is_file() {
            problems.push(format!(
                "exercises/{}/README.md is missing: every chapter teaches its idea there",
                chapter.dir
            ));
        }
        expected_files.push(readme);
    }
    for exercise in &kit.catalog.exercises {
        let main = format!("{}/main.rs", exercise.checks_dir());
        for relative in [exercise.file(), exercise.solution_file(), main.clone()] {
            if !root.join(&relative).is_file() {
                problems.push(format!(
                    "{relative} is missing (exercise `{}`)",
                    exercise.name
                ));
            }
        }
        expected_files.push(root.join(exercise.file()));
        expected_files.push(root.join(exercise.solution_file()));
        if exercise.hints.len() < MIN_HINTS {
            problems.push(format!(
                "{CATALOG_PATH}: exercise `{}` has {} hint(s); give at least {MIN_HINTS}",
                exercise.name,
                exercise.hints.len()
            ));
        }
        let include = format!("\"../../{}\"", exercise.file());
        if let Ok(text) = std::fs::read_to_string(root.join(&main))
            && !text.contains(&include)
        {
            problems.push(format!(
                "{main} does not include the exercise with #[path = {include}]"
            ));
        }
        problems.extend(unneeded_allowances(kit, exercise));
        let cases = compile_fail_cases(root, exercise)?;
        match (exercise.has_check(CheckKind::CompileFail), cases.is_empty()) {
            (true, true) => problems.push(format!("{}/compile_fail/ has no cases, but the catalog lists a compile-fail check for `{}`", exercise.checks_dir(), exercise.name)),
            (false, false) => problems.push(format!("{}/compile_fail/ has cases, but the catalog lists no compile-fail check for `{}`", exercise.checks_dir(), exercise.name)),
            _ => {}
        }
        for case in cases {
            let text = std::fs::read_to_string(&case)
                .map_err(|err| format!("cannot read {}: {err}", case.display()))?;
            let relative = slashed(case.strip_prefix(root).unwrap_or(&case));
            if compile_fail::expectations(&text).is_empty() {
                problems.push(format!(
                    "{relative} names no expected error: add a line `// expect: E0277` (or `// expect: \"part of the message\"`)"
                ));
            }
            if !text.contains(&format!("\"../../../{}\"", exercise.file())) {
                problems.push(format!(
                    "{relative} does not include the exercise with #[path = \"../../../{}\"]",
                    exercise.file()
                ));
            }
        }
    }
    for top in ["exercises", "solutions"] {
        for file in files_under(&root.join(top))? {
            if !expected_files.contains(&file) {
                problems.push(format!(
                    "{} is not in the catalog",
                    slashed(file.strip_prefix(root).unwrap_or(&file))
                ));
            }
        }
    }
    for entry in
        std::fs::read_dir(root.join("tests")).map_err(|err| format!("cannot list tests/: {err}"))?
    {
        let entry = entry.map_err(|err| format!("cannot list tests/: {err}"))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if kit.catalog.get(&name).is_none() {
            problems.push(format!(
                "tests/{name} belongs to no exercise in the catalog"
            ));
        }
    }
    Ok(problems)
}

/// Every allowance of the policy is a hole in it: each must be needed by the shipped
/// exercise or its solution.
fn unneeded_allowances(kit: &Kit, exercise: &Exercise) -> Vec<String> {
    let files = [exercise.file(), exercise.solution_file()]
        .map(|file| std::fs::read_to_string(kit.root.join(file)).unwrap_or_default());
    let refused = |allowed: &[String]| -> usize {
        let loom = exercise.has_check(CheckKind::Loom);
        files
            .iter()
            .map(|source| policy::judge(source, &policy::Rules { allowed, loom }).len())
            .sum()
    };
    let with_all = refused(&exercise.allow);
    exercise
        .allow
        .iter()
        .filter(|item| {
            let others: Vec<String> = exercise
                .allow
                .iter()
                .filter(|other| other != item)
                .cloned()
                .collect();
            refused(&others) == with_all
        })
        .map(|item| {
            format!(
                "{CATALOG_PATH}: exercise `{}` allows `{item}`, which neither the exercise nor its \
                 solution needs: every allowance is a hole in the policy",
                exercise.name
            )
        })
        .collect()
}

fn formatting(kit: &Kit) -> Result<Vec<String>, String> {
    let files: Vec<_> = kit
        .catalog
        .exercises
        .iter()
        .map(|exercise| kit.root.join(exercise.solution_file()))
        .collect();
    let output = std::process::Command::new("rustfmt")
        .args(["--check", "--edition", "2024"])
        .args(&files)
        .output()
        .map_err(|err| format!("cannot run rustfmt: {err}"))?;
    if output.status.success() {
        return Ok(Vec::new());
    }
    let diff = String::from_utf8_lossy(&output.stdout);
    let unformatted: Vec<String> = diff
        .lines()
        .filter_map(|line| line.strip_prefix("Diff in "))
        .map(|rest| rest.split(':').next().unwrap_or(rest).to_string())
        .collect();
    Ok(vec![format!(
        "solutions are not rustfmt-clean (run `rustfmt --edition 2024` on them): {}",
        unformatted.join(", ")
    )])
}

/// Clippy over the solutions tree, with warnings as errors; the checks' own code is
/// linted too, since every check is built with its solution there.
fn clippy(kit: &Kit) -> Result<Vec<String>, String> {
    let tree = kit.tree(&Source::Solutions)?;
    let output = cargo::cargo()
        .current_dir(&tree.root)
        .env("CARGO_TARGET_DIR", kit.target_dir())
        .args([
            "clippy",
            "--package",
            &tree.package,
            "--tests",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])
        .output()
        .map_err(|err| format!("cannot run cargo clippy: {err}"))?;
    if output.status.success() {
        return Ok(Vec::new());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Ok(vec![format!(
        "clippy finds problems in the solutions or their checks:\n{}",
        relative_to(&stderr, &tree.root)
    )])
}
