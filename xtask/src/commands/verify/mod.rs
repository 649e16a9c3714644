//! `cargo xtask verify`: the kit's self-check, for the authors of exercises.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Context;

mod student_path;

/// What `verify` found wrong, one sentence each, printed as a list.
type Problems = Vec<String>;

use crate::Exit;
use crate::engine::{
    self, Depth, Runner, compile_fail_cases, compile_fail_expectations, discover_kit,
};
use crate::model::catalog::{CATALOG_PATH, CheckKind, Exercise};
use crate::model::kit::{Kit, Source, files_under, relative_to, slashed};
use crate::model::outcome::{ExerciseResult, Status};
use crate::model::shipped::{RECORD_PATH, Record, case_id, fingerprint};
use crate::report::{live, style};
use crate::syntax::policy;

/// Hint levels every exercise needs: a nudge and something close to the answer.
const MIN_HINTS: usize = 2;

/// How many times `--bless` runs the shipped exercises: a case that passes on them in
/// any run is recorded, so that one passing by chance earns nothing either.
const BLESS_RUNS: usize = 5;

/// `bless` writes `exercises/as-shipped.toml` from what the shipped exercises pass,
/// rather than checking it.
pub fn verify(bless: bool) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    crate::model::handout::require_solutions(&kit.root, "cargo xtask verify")?;
    let mut problems = consistency(&kit)?;
    if !problems.is_empty() {
        // Checking files that are missing would only repeat the same problems.
        return Ok(conclude(&problems));
    }
    // What the student sees is enough to write an answer that passes.
    problems.extend(student_path::problems(&kit)?);
    let all: Vec<_> = kit.catalog.exercises.iter().collect();

    eprintln!("{}", style::dim("Checking every reference solution…"));
    for result in check_all(&kit, Source::Solutions, &all)? {
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
    let observed = run_shipped(&kit, &all, runs)?;
    problems.extend(observed.passing_everything.iter().map(|file| {
        format!(
            "{file}: passes every check as it is, but a shipped exercise must fail at least one \
             (`verify` is for the kit's authors: in a student's checkout, solved exercises pass)"
        )
    }));
    if bless {
        observed.record.save(&kit.root)?;
        eprintln!("{}", style::dim(&format!("Wrote {RECORD_PATH}.")));
    } else {
        let record = Record::load(&kit.root)?;
        let (stale, by_chance) = record_problems(&kit, &record, observed)?;
        problems.extend(stale);
        for warning in by_chance {
            println!("{} {warning}", style::yellow("!"));
        }
    }

    eprintln!(
        "{}",
        style::dim("Checking that the checks compile against every shipped exercise…")
    );
    problems.extend(student_path::shipped_build_problems(&kit)?);

    eprintln!(
        "{}",
        style::dim("Checking that the solutions are formatted and clippy-clean…")
    );
    problems.extend(formatting(&kit)?);
    problems.extend(clippy(&kit)?);
    Ok(conclude(&problems))
}

/// Every check of `exercises` in `source`.
fn check_all(
    kit: &Kit,
    source: Source,
    exercises: &[&Exercise],
) -> anyhow::Result<Vec<ExerciseResult>> {
    Runner::new(kit, source).and_then(|runner| {
        let runner = runner.with_observer(live::build_bar());
        runner.check(exercises, Depth::All)
    })
}

/// What the shipped exercises did in one or more runs.
struct Shipped {
    /// Each exercise's fingerprint, and every case that passed in any run.
    record: Record,
    /// How many runs each passing case passed, by exercise and case.
    passes: BTreeMap<(String, String), usize>,
    runs: usize,
    /// Exercises that passed every check in a run.
    passing_everything: BTreeSet<String>,
}

/// Checks the shipped `exercises` `runs` times.
fn run_shipped(kit: &Kit, exercises: &[&Exercise], runs: usize) -> anyhow::Result<Shipped> {
    let mut shipped = Shipped {
        record: Record::default(),
        passes: BTreeMap::new(),
        runs,
        passing_everything: BTreeSet::new(),
    };
    for _ in 0..runs {
        for result in check_all(kit, Source::Exercises, exercises)? {
            let name = result.exercise.name.clone();
            let entry = shipped.record.exercises.entry(name.clone()).or_default();
            for check in &result.checks {
                for case in check
                    .cases
                    .iter()
                    .filter(|case| case.status == Status::Pass)
                {
                    let id = case_id(check.kind, &case.name);
                    entry.passing.insert(id.clone());
                    *shipped.passes.entry((name.clone(), id)).or_default() += 1;
                }
            }
            if result.passed() {
                shipped.passing_everything.insert(result.exercise.file());
            }
        }
    }
    for exercise in exercises {
        let text = std::fs::read_to_string(kit.exercise_path(exercise))
            .with_context(|| format!("cannot read {}", exercise.file()))?;
        if let Some(entry) = shipped.record.exercises.get_mut(&exercise.name) {
            entry.fingerprint = fingerprint(&text);
        }
    }
    Ok(shipped)
}

/// How many times a shipped exercise with a case that passes but is not recorded runs
/// again: a case that passes every time makes the record out of date; one that passes
/// only sometimes passes by chance (a racy check of a racy exercise), which is said but
/// is not a failure of the kit, since the record cannot pin it down.
const RECHECKS: usize = 2;

/// Where the record of the shipped exercises disagrees with what they do now (problems),
/// and the cases that pass on a shipped exercise only by chance (warnings).
fn record_problems(
    kit: &Kit,
    record: &Record,
    first: Shipped,
) -> anyhow::Result<(Problems, Problems)> {
    let mut problems = Vec::new();
    let stale = |why: String| {
        format!("{RECORD_PATH} is out of date: {why}; `cargo xtask verify --bless` rewrites it")
    };
    let mut unrecorded: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, now) in &first.record.exercises {
        let Some(recorded) = record.exercises.get(name) else {
            problems.push(stale(format!("it has no entry for `{name}`")));
            continue;
        };
        if recorded.fingerprint != now.fingerprint {
            problems.push(stale(format!("the shipped `{name}` has changed")));
        }
        let new: BTreeSet<String> = now.passing.difference(&recorded.passing).cloned().collect();
        if !new.is_empty() {
            unrecorded.insert(name.clone(), new);
        }
    }
    for name in record.exercises.keys() {
        if !first.record.exercises.contains_key(name) {
            problems.push(stale(format!("`{name}` is not in the catalog")));
        }
    }
    let again: Vec<&Exercise> = kit
        .catalog
        .exercises
        .iter()
        .filter(|exercise| unrecorded.contains_key(&exercise.name))
        .collect();
    let rechecked = run_shipped(kit, &again, RECHECKS)?;
    let mut by_chance = Vec::new();
    for (name, cases) in unrecorded {
        for case in cases {
            let key = (name.clone(), case.clone());
            let passed = first.passes.get(&key).copied().unwrap_or(0)
                + rechecked.passes.get(&key).copied().unwrap_or(0);
            let runs = first.runs + rechecked.runs;
            if passed == runs {
                problems.push(stale(format!(
                    "on the shipped `{name}`, `{case}` passes and would earn points"
                )));
            } else {
                by_chance.push(format!(
                    "on the shipped `{name}`, `{case}` passed in {passed} of {runs} runs: it \
                     passes by chance on a racy exercise, so an answer can too; give the \
                     exercise `runs` in the catalog, or record it with `--bless`"
                ));
            }
        }
    }
    Ok((problems, by_chance))
}

fn conclude(problems: &[String]) -> Exit {
    if problems.is_empty() {
        println!(
            "{} the kit is consistent: every solution passes, every shipped exercise fails, \
             and what the student sees leads to a passing answer.",
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
fn consistency(kit: &Kit) -> anyhow::Result<Problems> {
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
        problems.extend(exercise_problems(kit, exercise)?);
        expected_files.push(root.join(exercise.file()));
        expected_files.push(root.join(exercise.solution_file()));
    }
    problems.extend(files_outside_catalog(root, &expected_files)?);
    problems.extend(tests_of_no_exercise(kit)?);
    Ok(problems)
}

/// One exercise's entry against its files: each exists, the checks include the
/// exercise, the hints and allowances are what the catalog demands.
fn exercise_problems(kit: &Kit, exercise: &Exercise) -> anyhow::Result<Problems> {
    let root = &kit.root;
    let mut problems = Vec::new();
    let main = format!("{}/main.rs", exercise.checks_dir());
    for relative in [exercise.file(), exercise.solution_file(), main.clone()] {
        if !root.join(&relative).is_file() {
            problems.push(format!(
                "{relative} is missing (exercise `{}`)",
                exercise.name
            ));
        }
    }
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
    problems.extend(compile_fail_problems(root, exercise)?);
    Ok(problems)
}

/// The catalog lists a compile-fail check exactly when there are cases, and each case
/// names the error it expects and includes the exercise.
fn compile_fail_problems(root: &Path, exercise: &Exercise) -> anyhow::Result<Problems> {
    let mut problems = Vec::new();
    let cases = compile_fail_cases(root, exercise)?;
    match (exercise.has_check(CheckKind::CompileFail), cases.is_empty()) {
        (true, true) => problems.push(format!(
            "{}/compile_fail/ has no cases, but the catalog lists a compile-fail check for `{}`",
            exercise.checks_dir(),
            exercise.name
        )),
        (false, false) => problems.push(format!(
            "{}/compile_fail/ has cases, but the catalog lists no compile-fail check for `{}`",
            exercise.checks_dir(),
            exercise.name
        )),
        _ => {}
    }
    for case in cases {
        let text = std::fs::read_to_string(&case)
            .with_context(|| format!("cannot read {}", case.display()))?;
        let relative = slashed(case.strip_prefix(root).unwrap_or(&case));
        if compile_fail_expectations(&text).is_empty() {
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
    Ok(problems)
}

/// Files under exercises/ and solutions/ that the catalog does not account for: a
/// renamed exercise leaves its old file behind.
fn files_outside_catalog(root: &Path, expected_files: &[PathBuf]) -> anyhow::Result<Problems> {
    let mut problems = Vec::new();
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
    Ok(problems)
}

/// Folders under tests/ named after no exercise: checks that would never run.
fn tests_of_no_exercise(kit: &Kit) -> anyhow::Result<Problems> {
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(kit.root.join("tests")).context("cannot list tests/")? {
        let entry = entry.context("cannot list tests/")?;
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

fn formatting(kit: &Kit) -> anyhow::Result<Problems> {
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
        .context("cannot run rustfmt")?;
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
fn clippy(kit: &Kit) -> anyhow::Result<Problems> {
    let tree = kit.tree(&Source::Solutions)?;
    let output = engine::cargo()
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
        .context("cannot run cargo clippy")?;
    if output.status.success() {
        return Ok(Vec::new());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Ok(vec![format!(
        "clippy finds problems in the solutions or their checks:\n{}",
        relative_to(&stderr, &tree.root)
    )])
}
