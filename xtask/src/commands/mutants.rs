//! `cargo xtask mutants`: the authors' mutation test. Each reference solution is turned
//! into plausible wrong answers (`syntax::mutants`), and each wrong answer must fail one of
//! its exercise's checks. Prints a table per exercise and the share of mutants killed,
//! and fails below the catalog's threshold.
//!
//! Mutants run in rounds: round `i` puts the `i`-th mutant of every exercise into one
//! tree and checks them all in the runner's pool, in one build per check kind, so that
//! each round compiles only what changed.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;

use crate::Exit;
use crate::engine::discover_kit;
use crate::engine::{Depth, Runner};
use crate::model::catalog::{Exercise, MutantListing};
use crate::model::kit::{Kit, Source, Submission};
use crate::model::outcome::{ExerciseResult, Status};
use crate::report::{live, style};
use crate::syntax::mutants::{self, Mutant};

/// What a mutant's checks said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// A check failed: the checks tell this wrong answer from the solution.
    Killed,
    /// Every check passed.
    Survived,
    /// The catalog says it behaves as the solution does; not run.
    Equivalent,
    /// The catalog says no check the kit can run tells it apart; not run.
    Undetectable,
    /// It does not compile, so it teaches nothing about the checks.
    Unviable,
}

/// One mutant and what it got, in each run.
struct Outcome {
    exercise: String,
    mutant: Mutant,
    verdicts: Vec<Verdict>,
    /// The first line of the failure that killed it, or why it is unviable.
    why: String,
}

impl Outcome {
    /// The verdict over every run: killed if any run killed it, since a check that kills
    /// it only sometimes is reported as unsteady anyway.
    fn verdict(&self) -> Verdict {
        if self.verdicts.contains(&Verdict::Killed) {
            Verdict::Killed
        } else {
            self.verdicts[0]
        }
    }

    fn unsteady(&self) -> bool {
        self.verdicts.windows(2).any(|pair| pair[0] != pair[1])
    }
}

pub fn mutants(names: &[String], repeat: usize) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    crate::model::handout::require_solutions(&kit.root, "cargo xtask mutants")?;
    let exercises: Vec<&Exercise> = if names.is_empty() {
        kit.catalog.exercises.iter().collect()
    } else {
        names
            .iter()
            .map(|name| kit.catalog.find(name))
            .collect::<anyhow::Result<_>>()?
    };
    let plan = Plan::new(&kit, &exercises)?;
    let mut outcomes = plan.judged;
    outcomes.extend(run_rounds(&kit, &plan.pending, repeat)?);
    let order: Vec<&str> = exercises
        .iter()
        .map(|exercise| exercise.name.as_str())
        .collect();
    outcomes.sort_by_key(|outcome| order.iter().position(|name| *name == outcome.exercise));
    let score = report(&exercises, &outcomes);
    Ok(conclude(
        score,
        kit.catalog.mutants.threshold,
        &plan.problems,
    ))
}

/// Every exercise's mutants, sorted before anything runs: those the catalog has judged,
/// those to run, and the catalog's listings of mutants the solution no longer makes.
struct Plan<'kit> {
    judged: Vec<Outcome>,
    /// Per exercise, its mutants to run, in the order of its solution's file.
    pending: Vec<(&'kit Exercise, Vec<Mutant>)>,
    problems: Vec<String>,
}

impl<'kit> Plan<'kit> {
    fn new(kit: &Kit, exercises: &[&'kit Exercise]) -> anyhow::Result<Plan<'kit>> {
        let mut plan = Plan {
            judged: Vec::new(),
            pending: Vec::new(),
            problems: Vec::new(),
        };
        for exercise in exercises {
            let path = kit.root.join(exercise.solution_file());
            let source = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let made = mutants::mutants(&source).with_context(|| exercise.solution_file())?;
            plan.problems.extend(stale_listings(exercise, &made));
            let mut to_run = Vec::new();
            for mutant in made {
                match catalog_verdict(exercise, &mutant) {
                    Some((verdict, why)) => plan.judged.push(Outcome {
                        exercise: exercise.name.clone(),
                        mutant,
                        verdicts: vec![verdict],
                        why,
                    }),
                    None => to_run.push(mutant),
                }
            }
            plan.pending.push((exercise, to_run));
        }
        Ok(plan)
    }
}

/// The catalog's listings that name no mutant of the solution: the solution changed
/// under them, and they would hide nothing or the wrong thing.
fn stale_listings(exercise: &Exercise, made: &[Mutant]) -> Vec<String> {
    exercise
        .listed_mutants()
        .filter(|listed| !made.iter().any(|mutant| mutant.name == listed.mutant))
        .map(|listed| {
            format!(
                "exercise `{}` lists a mutant that {} no longer has: {}",
                exercise.name,
                exercise.solution_file(),
                listed.mutant
            )
        })
        .collect()
}

/// What the catalog says of a mutant, with its reason, if it lists it: such a mutant is
/// not run.
fn catalog_verdict(exercise: &Exercise, mutant: &Mutant) -> Option<(Verdict, String)> {
    let (listing, listed) = exercise.listed_mutant(&mutant.name)?;
    let verdict = match listing {
        MutantListing::Equivalent => Verdict::Equivalent,
        MutantListing::Undetectable => Verdict::Undetectable,
    };
    Some((verdict, listed.reason.clone()))
}

/// Runs every pending mutant `repeat` times, in rounds (see the module's header); one
/// outcome per mutant, with a verdict per run.
fn run_rounds(
    kit: &Kit,
    pending: &[(&Exercise, Vec<Mutant>)],
    repeat: usize,
) -> anyhow::Result<Vec<Outcome>> {
    let rounds = pending
        .iter()
        .map(|(_, mutants)| mutants.len())
        .max()
        .unwrap_or(0);
    let mut ran: BTreeMap<(String, usize), Outcome> = BTreeMap::new();
    for run in 0..repeat.max(1) {
        for round in 0..rounds {
            let batch: Vec<(&Exercise, &Mutant)> = pending
                .iter()
                .filter_map(|(exercise, mutants)| {
                    mutants.get(round).map(|mutant| (*exercise, mutant))
                })
                .collect();
            eprintln!(
                "{}",
                style::dim(&format!(
                    "Run {} of {}, round {} of {rounds}: {} mutant(s)…",
                    run + 1,
                    repeat.max(1),
                    round + 1,
                    batch.len()
                ))
            );
            for (exercise, result) in check_batch(kit, &batch)? {
                record(&mut ran, &batch, round, exercise, &result);
            }
        }
    }
    Ok(ran.into_values().collect())
}

/// Adds one run's verdict to its mutant's outcome (a mutant is its exercise and its
/// round); the first run that gives a reason keeps it.
fn record(
    ran: &mut BTreeMap<(String, usize), Outcome>,
    batch: &[(&Exercise, &Mutant)],
    round: usize,
    exercise: String,
    result: &ExerciseResult,
) {
    let (verdict, why) = judge(result);
    let outcome = ran.entry((exercise.clone(), round)).or_insert_with(|| {
        let mutant = batch
            .iter()
            .find(|(candidate, _)| candidate.name == exercise)
            .map(|(_, mutant)| (*mutant).clone())
            .expect("a result per mutant");
        Outcome {
            exercise,
            mutant,
            verdicts: Vec::new(),
            why: String::new(),
        }
    });
    if outcome.why.is_empty() {
        outcome.why = why;
    }
    outcome.verdicts.push(verdict);
}

/// The exit code, after the stale listings and a score below the catalog's threshold
/// are printed.
fn conclude(score: Option<f64>, threshold: f64, problems: &[String]) -> Exit {
    for problem in problems {
        println!("{} {problem}", style::red("✗"));
    }
    match score {
        Some(score) if score < threshold => {
            println!(
                "{} the checks kill {score:.1} % of the mutants, below the catalog's threshold of {threshold} %",
                style::red("✗")
            );
            Exit::Failed
        }
        _ if !problems.is_empty() => Exit::Failed,
        _ => Exit::Success,
    }
}

/// Checks one mutant of each exercise in `batch`, all in one tree.
fn check_batch(
    kit: &Kit,
    batch: &[(&Exercise, &Mutant)],
) -> anyhow::Result<Vec<(String, ExerciseResult)>> {
    let root = kit.state_dir().join("mutants");
    let _ = std::fs::remove_dir_all(&root);
    for (exercise, mutant) in batch {
        write(&root.join(exercise.file()), &mutant.source)?;
    }
    let source = Source::Submission(Submission {
        name: "mutants".into(),
        root,
    });
    let exercises: Vec<&Exercise> = batch.iter().map(|(exercise, _)| *exercise).collect();
    let results = Runner::new(kit, source).and_then(|runner| {
        let runner = runner.with_observer(live::build_bar());
        runner.check(&exercises, Depth::AnyFailure)
    })?;
    Ok(results
        .into_iter()
        .map(|result| (result.exercise.name.clone(), result))
        .collect())
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// A mutant is killed when a case fails for a reason other than not compiling.
fn judge(result: &ExerciseResult) -> (Verdict, String) {
    let cases = result.checks.iter().flat_map(|check| &check.cases);
    let failures: Vec<_> = cases.filter(|case| case.status != Status::Pass).collect();
    let first_line = |message: &str| message.lines().next().unwrap_or_default().to_string();
    if let Some(killing) = failures
        .iter()
        .find(|case| !matches!(case.status, Status::CompileError | Status::Skipped))
    {
        return (Verdict::Killed, first_line(&killing.message));
    }
    match failures.first() {
        Some(case) => (Verdict::Unviable, first_line(&case.message)),
        None => (Verdict::Survived, String::new()),
    }
}

/// Prints the table and the survivors; returns the share killed, in percent.
fn report(exercises: &[&Exercise], outcomes: &[Outcome]) -> Option<f64> {
    print_table(exercises, outcomes);
    println!();
    for outcome in outcomes {
        print_if_doubtful(exercises, outcome);
    }
    print_summary(outcomes)
}

/// A row per exercise: its mutants by verdict, in red when one survived.
fn print_table(exercises: &[&Exercise], outcomes: &[Outcome]) {
    let width = exercises
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    println!(
        "{:width$}  {:>7}  {:>6}  {:>8}  {:>10}  {:>12}  {:>8}",
        "exercise", "mutants", "killed", "survived", "equivalent", "undetectable", "unviable"
    );
    let count = |name: &str, verdict: Verdict| {
        outcomes
            .iter()
            .filter(|outcome| outcome.exercise == name && outcome.verdict() == verdict)
            .count()
    };
    for exercise in exercises {
        let name = exercise.name.as_str();
        let total = outcomes
            .iter()
            .filter(|outcome| outcome.exercise == name)
            .count();
        let survived = count(name, Verdict::Survived);
        let line = format!(
            "{name:width$}  {total:>7}  {:>6}  {survived:>8}  {:>10}  {:>12}  {:>8}",
            count(name, Verdict::Killed),
            count(name, Verdict::Equivalent),
            count(name, Verdict::Undetectable),
            count(name, Verdict::Unviable)
        );
        println!(
            "{}",
            if survived > 0 {
                style::red(&line)
            } else {
                line
            }
        );
    }
}

/// A line for a mutant that survived, and one for a mutant killed in some runs only:
/// the two an author must look at.
fn print_if_doubtful(exercises: &[&Exercise], outcome: &Outcome) {
    let file = exercises
        .iter()
        .find(|exercise| exercise.name == outcome.exercise)
        .map(|exercise| exercise.solution_file())
        .unwrap_or_default();
    if outcome.verdict() == Verdict::Survived {
        println!(
            "{} survived  {file}, {}",
            style::red("✗"),
            outcome.mutant.name
        );
    }
    if outcome.unsteady() {
        println!(
            "{} unsteady  {file}, {}: killed in some runs only ({})",
            style::yellow("!"),
            outcome.mutant.name,
            outcome.why
        );
    }
}

/// The share killed among the mutants that count (killed or survived), printed with
/// the others beside it; none when no mutant counts.
fn print_summary(outcomes: &[Outcome]) -> Option<f64> {
    let all = |verdict: Verdict| {
        outcomes
            .iter()
            .filter(|outcome| outcome.verdict() == verdict)
            .count()
    };
    let (killed, survived) = (all(Verdict::Killed), all(Verdict::Survived));
    let judged = killed + survived;
    let score = (judged > 0).then(|| 100.0 * killed as f64 / judged as f64);
    println!(
        "{killed} of {judged} mutants killed{}; {} equivalent, {} undetectable by the kit's \
         checks, {} unviable (none of these counts).",
        score.map_or(String::new(), |score| format!(" ({score:.1} %)")),
        all(Verdict::Equivalent),
        all(Verdict::Undetectable),
        all(Verdict::Unviable)
    );
    score
}
