//! `cargo xtask check`: grades the student's own checkout, the reference solutions,
//! or a class of submissions, and writes the reports asked for.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::bail;

use crate::Exit;
use crate::engine::{self, GradeOptions, Observer, discover_kit};
use crate::model::catalog::Exercise;
use crate::model::kit::{Kit, Source, Submission, handed_in};
use crate::model::outcome::{
    Class, ExerciseResult, Graded, NotGraded, Timing, catalog_fingerprint,
};
use crate::model::shipped::{RECORD_PATH, Record, fnv1a_hex_bytes};
use crate::model::submission::{self, Shard};
use crate::os::{self, signals};
use crate::report::style;
use crate::report::{self, ReportOptions, json, left_out, live, terminal};

/// What `check` was asked for, as the command line gave it.
pub struct CheckRequest {
    pub names: Vec<String>,
    pub solutions: bool,
    pub submissions: Vec<PathBuf>,
    pub shard: Option<Shard>,
    /// A JSON report of an earlier run of the class: its students whose exercise files
    /// are unchanged are kept, not graded again.
    pub resume: Option<PathBuf>,
    pub reports: ReportOptions,
}

pub fn check(request: &CheckRequest) -> anyhow::Result<Exit> {
    // A usage error, so before the kit is opened (which may ask cargo) or anything graded.
    request.reports.refuse_one_file_for_two_forms()?;
    let kit = discover_kit()?;
    let exercises: Vec<&Exercise> = if request.names.is_empty() {
        kit.catalog.exercises.iter().collect()
    } else {
        request
            .names
            .iter()
            .map(|name| kit.catalog.find(name))
            .collect::<Result<_, _>>()?
    };
    let record = Record::load(&kit.root)?;
    let unrecorded: Vec<&str> = exercises
        .iter()
        .filter(|exercise| !record.exercises.contains_key(&exercise.name))
        .map(|exercise| exercise.name.as_str())
        .collect();
    if !unrecorded.is_empty() {
        terminal::warn(&format!(
            "{RECORD_PATH} has no entry for {}: what passes there as shipped is not known, so \
             it earns points; `cargo xtask verify --bless` records it",
            unrecorded.join(", ")
        ));
    }
    let catalog = catalog_fingerprint(exercises.iter().copied());
    let earlier = earlier_run(request, &catalog)?;
    let plan = sources(&kit, request, &exercises)?;
    report::refuse_a_class_for_forms_of_one(&request.reports, plan.sources.len())?;
    let in_class = !request.submissions.is_empty();
    if in_class {
        // Ctrl-C half-way through a class keeps the students already graded.
        signals::finish_before_exiting();
    }
    let mut class = grade_all(&kit, &record, &exercises, plan, earlier);
    class.catalog = catalog;
    if class.graded.len() > 1 || !class.not_graded.is_empty() {
        terminal::class_summary(&class);
    }
    if let Some(note) = os::unenforced() {
        println!("{}", style::dim(&note));
    }
    let written = report::write_all(&request.reports, &class);
    if let Some(code) = signals::interrupted() {
        if let Err(err) = &written {
            eprintln!("error: {err:#}");
        }
        eprintln!("{}", left_out::INCOMPLETE);
        signals::exit_now(code);
    }
    written?;
    Ok(if class.graded.iter().all(Graded::passed) {
        Exit::Success
    } else {
        Exit::Failed
    })
}

/// The class of an earlier run to resume, which must have been graded against the
/// same catalog.
fn earlier_run(request: &CheckRequest, catalog: &str) -> anyhow::Result<Option<Class>> {
    let Some(path) = &request.resume else {
        return Ok(None);
    };
    if request.submissions.is_empty() {
        bail!("`--resume` continues grading a class: it needs `--submission`");
    }
    let earlier = json::read(path)?.into_class();
    if earlier.catalog != catalog {
        bail!(
            "{} was graded against another catalog (its exercises' names, checks or points \
             differ from these): it cannot be resumed; grade the class again without `--resume`",
            path.display()
        );
    }
    Ok(Some(earlier))
}

/// Grades every source of `plan` in turn, but those `earlier` graded with the same
/// exercise files, which it keeps. An interrupt stops the class after the student
/// being graded, whose grade is not kept: the rest are listed as not graded.
fn grade_all(
    kit: &Kit,
    record: &Record,
    exercises: &[&Exercise],
    plan: Plan,
    earlier: Option<Class>,
) -> Class {
    let in_class = plan.sources.len() > 1 || earlier.is_some();
    let (mut class, to_grade) = keep_unchanged(plan, earlier);
    let class_size = to_grade.len();
    // A student sees each check's verdict as it comes; a class, one line per student.
    let observer = if in_class {
        live::build_bar()
    } else {
        live::observer()
    };
    let mut pending = to_grade.into_iter().enumerate().peekable();
    while let Some((index, planned)) = pending.next_if(|_| signals::interrupted().is_none()) {
        if in_class {
            eprintln!("[{}/{class_size}] grading {}…", index + 1, planned.name);
        }
        let name = planned.name.clone();
        let files = planned.files.clone();
        let graded = grade_planned(kit, record, exercises, planned, observer.clone());
        if signals::interrupted().is_some() {
            // Cut short: its tests were stopped, so its grade is not its own.
            class.not_graded.push(interrupted(name));
            break;
        }
        terminal::graded(&graded, in_class);
        class.files.extend(files.map(|files| (name, files)));
        class.graded.push(graded);
    }
    for (_, planned) in pending {
        class.not_graded.push(interrupted(planned.name));
    }
    class.incomplete = class
        .not_graded
        .iter()
        .any(|entry| entry.reason == left_out::INTERRUPTED);
    class.graded.sort_by(|a, b| a.name.cmp(&b.name));
    class
}

/// The class so far, and what is left to grade: every source of `plan`, but the
/// students `earlier` graded whose exercise files are unchanged, which are kept (as
/// are the students it graded who are not in the class now: a shard's, or a folder
/// since moved).
fn keep_unchanged(plan: Plan, earlier: Option<Class>) -> (Class, Vec<Planned>) {
    let mut class = Class {
        not_graded: plan.not_graded,
        ..Class::default()
    };
    let Some(earlier) = earlier else {
        return (class, plan.sources);
    };
    let mut earlier_graded: BTreeMap<String, Graded> = earlier
        .graded
        .into_iter()
        .map(|graded| (graded.name.clone(), graded))
        .collect();
    let mut to_grade = Vec::new();
    for planned in plan.sources {
        let unchanged =
            planned.files.is_some() && earlier.files.get(&planned.name) == planned.files.as_ref();
        match earlier_graded.remove(&planned.name) {
            Some(graded) if unchanged => {
                eprintln!(
                    "{}: kept as graded before (its exercise files are unchanged)",
                    planned.name
                );
                class.graded.push(graded);
            }
            _ => to_grade.push(planned),
        }
    }
    for (name, graded) in earlier_graded {
        eprintln!("{name}: kept as graded before (not in the class now)");
        class.graded.push(graded);
    }
    for graded in &class.graded {
        if let Some(files) = earlier.files.get(&graded.name) {
            class.files.insert(graded.name.clone(), files.clone());
        }
    }
    (class, to_grade)
}

fn interrupted(folder: String) -> NotGraded {
    NotGraded {
        folder,
        reason: left_out::INTERRUPTED.to_string(),
    }
}

/// Grades one planned source, or fails each exercise with why its files cannot be read.
fn grade_planned(
    kit: &Kit,
    record: &Record,
    exercises: &[&Exercise],
    planned: Planned,
    observer: Observer,
) -> Graded {
    match planned.warnings {
        Ok(warnings) => {
            let options = GradeOptions {
                name: planned.name,
                warnings,
                observer: Some(observer),
            };
            engine::grade(kit, record, planned.source, exercises, options)
        }
        Err(reason) => unreadable(exercises, planned.name, reason),
    }
}

/// What to grade, and the folders of the class that hold no submission.
struct Plan {
    sources: Vec<Planned>,
    not_graded: Vec<NotGraded>,
}

/// One source to grade.
struct Planned {
    source: Source,
    name: String,
    /// The warnings found before grading, or why its files cannot be read.
    warnings: anyhow::Result<Vec<String>>,
    /// A submission's exercise files as handed in, hashed (`files_hash`).
    files: Option<String>,
}

/// What to grade: the submissions named (sharded), or else this checkout or the
/// reference solutions; each with the warnings found before grading.
fn sources(kit: &Kit, request: &CheckRequest, exercises: &[&Exercise]) -> anyhow::Result<Plan> {
    if request.submissions.is_empty() {
        if request.shard.is_some() {
            bail!("`--shard` splits a class: it needs `--submission`");
        }
        let source = if request.solutions {
            crate::model::handout::require_solutions(&kit.root, "cargo xtask check --solutions")?;
            Source::Solutions
        } else {
            Source::Exercises
        };
        let planned = Planned {
            name: source.label(),
            source,
            warnings: Ok(Vec::new()),
            files: None,
        };
        return Ok(Plan {
            sources: vec![planned],
            not_graded: Vec::new(),
        });
    }
    if request.solutions {
        bail!("`--solutions` and `--submission` cannot be combined");
    }
    let found = submission::discover(&request.submissions)?;
    let mut submissions = found.submissions;
    if let Some(shard) = request.shard {
        submissions = shard.of(submissions);
    }
    let sources = submissions
        .into_iter()
        .map(|submission| Planned {
            name: submission.name.clone(),
            warnings: submission::warnings(kit, &submission),
            files: Some(files_hash(exercises, &submission)),
            source: Source::Submission(submission),
        })
        .collect();
    Ok(Plan {
        sources,
        not_graded: found.not_graded,
    })
}

/// A hash of a submission's exercise files as handed in (each file's path and bytes,
/// or why it cannot be read), for a resumed run to tell whether they changed.
fn files_hash(exercises: &[&Exercise], submission: &Submission) -> String {
    let mut all = Vec::new();
    for exercise in exercises {
        let file = exercise.file();
        all.extend_from_slice(file.as_bytes());
        all.push(0);
        match handed_in(submission, &file) {
            Ok(bytes) => {
                all.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
                all.extend_from_slice(&bytes);
            }
            Err(unread) => all.extend_from_slice(format!("unread: {unread}").as_bytes()),
        }
        all.push(0);
    }
    fnv1a_hex_bytes(&all)
}

/// A submission whose files cannot be read: nothing is built or run, and every
/// exercise fails with the reason.
fn unreadable(exercises: &[&Exercise], name: String, reason: anyhow::Error) -> Graded {
    let reason = format!("not graded: {reason:#}");
    Graded {
        name,
        exercises: exercises
            .iter()
            .map(|exercise| ExerciseResult::not_graded(exercise, &reason))
            .collect(),
        warnings: vec![reason],
        likeness: BTreeMap::new(),
        timing: Some(Timing {
            started: SystemTime::now(),
            elapsed: std::time::Duration::ZERO,
        }),
    }
}
