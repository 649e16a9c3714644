//! The catalog, `exercises/info.toml`: every exercise in course order, with its
//! chapter, checks, points and hints. Parsing it is the only place that knows its shape.

use std::fmt;
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// Where the catalog lives, relative to the kit's root.
pub const CATALOG_PATH: &str = "exercises/info.toml";

/// How long one test process may run before it is stopped as hung.
const DEFAULT_TIMEOUT_SECS: u64 = 10;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    #[serde(default)]
    mutants: Mutation,
    chapters: Vec<Chapter>,
    exercises: Vec<Spanned<Exercise>>,
}

/// `[mutants]`: what `cargo xtask mutants` demands of the checks.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// The share of the mutants that the checks must kill, in percent (equivalent and
    /// unviable mutants aside).
    pub threshold: f64,
}

impl Default for Mutation {
    fn default() -> Mutation {
        Mutation { threshold: 95.0 }
    }
}

/// A mutant of an exercise's solution that no check kills, listed in the catalog with the
/// reason: it behaves as the solution does (equivalent), or it is wrong in a way that no
/// check the kit can run tells apart (undetectable).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListedMutant {
    /// The mutant's name, as `cargo xtask mutants` prints it.
    pub mutant: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// The folder under `exercises/` and `solutions/`, for example `01_article`.
    pub dir: String,
    pub title: String,
}

/// `Default` is for building an entry in code (a report read back, a test); the catalog
/// validates the ones it reads.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Also the name of the exercise's test target: `tests/<name>/main.rs`.
    pub name: String,
    /// The `dir` of a chapter; the exercise's file is `exercises/<chapter>/<name>.rs`.
    pub chapter: String,
    /// Which kinds of check decide whether the exercise is done, in the order they run.
    pub checks: Vec<CheckKind>,
    pub points: u32,
    /// From a gentle nudge to nearly the answer; `hint` shows one more each time.
    pub hints: Vec<String>,
    /// Per test process; a test still running then is reported as hung.
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// Required when `checks` has `loom`.
    #[serde(default)]
    pub loom: Option<LoomBounds>,
    /// How many times grading runs each of the exercise's tests that passes, for checks
    /// that a racy answer can pass by chance: a test passes only if every run passes.
    #[serde(default)]
    pub runs: Option<u32>,
    /// What the policy (`syntax::policy`) lets this exercise use although it refuses it
    /// elsewhere: `"unsafe"`, `"macro_rules"`, an attribute such as `"#[repr]"`, or a
    /// path such as `"std::env::var"`. `verify` checks that the exercise or its solution
    /// needs each one.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Mutants of the solution that behave as it does (`cargo xtask mutants`).
    #[serde(default)]
    pub equivalent_mutants: Vec<ListedMutant>,
    /// Mutants of the solution that are wrong, but that no check can tell apart.
    #[serde(default)]
    pub undetectable_mutants: Vec<ListedMutant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoomBounds {
    /// Passed as `LOOM_MAX_PREEMPTIONS`: 2 or 3 finds most ordering bugs quickly.
    pub preemption_bound: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// Integration tests, each test in its own process under a timeout.
    Tests,
    /// Cases that use the exercise in a way that must be rejected by the compiler.
    CompileFail,
    /// Model checks of every interleaving, with the exercise built on loom's types.
    Loom,
}

impl CheckKind {
    pub const ALL: [CheckKind; 3] = [CheckKind::Tests, CheckKind::CompileFail, CheckKind::Loom];

    pub fn label(self) -> &'static str {
        match self {
            CheckKind::Tests => "tests",
            CheckKind::CompileFail => "compile-fail",
            CheckKind::Loom => "loom",
        }
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Exercise {
    /// What the catalog says of a mutant of the solution that no check kills, if it
    /// lists it.
    pub fn listed_mutant(&self, name: &str) -> Option<(MutantListing, &ListedMutant)> {
        let lists = [
            (MutantListing::Equivalent, &self.equivalent_mutants),
            (MutantListing::Undetectable, &self.undetectable_mutants),
        ];
        lists.into_iter().find_map(|(listing, listed)| {
            listed
                .iter()
                .find(|mutant| mutant.mutant == name)
                .map(|mutant| (listing, mutant))
        })
    }

    /// Every mutant the catalog lists for the exercise.
    pub fn listed_mutants(&self) -> impl Iterator<Item = &ListedMutant> {
        self.equivalent_mutants
            .iter()
            .chain(&self.undetectable_mutants)
    }

    /// The student's file, relative to the kit's root.
    pub fn file(&self) -> String {
        format!("exercises/{}/{}.rs", self.chapter, self.name)
    }

    /// The reference solution, relative to the kit's root.
    pub fn solution_file(&self) -> String {
        format!("solutions/{}/{}.rs", self.chapter, self.name)
    }

    /// The folder of the exercise's checks, relative to the kit's root.
    pub fn checks_dir(&self) -> String {
        format!("tests/{}", self.name)
    }

    pub fn has_check(&self, kind: CheckKind) -> bool {
        self.checks.contains(&kind)
    }

    /// How many runs a passing test needs in grading.
    pub fn runs(&self) -> u32 {
        self.runs.unwrap_or(1)
    }

    pub fn timeout_secs(&self) -> u64 {
        self.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS)
    }
}

/// Why the catalog lists a mutant that no check kills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MutantListing {
    Equivalent,
    Undetectable,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    pub mutants: Mutation,
    pub chapters: Vec<Chapter>,
    pub exercises: Vec<Exercise>,
}

impl Catalog {
    pub fn load(root: &Path) -> anyhow::Result<Catalog> {
        let path = root.join(CATALOG_PATH);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the catalog {}", path.display()))?;
        Catalog::parse(&text)
    }

    /// Parses and validates the catalog; every error names the line and the field.
    pub fn parse(text: &str) -> anyhow::Result<Catalog> {
        let raw: RawCatalog = toml::from_str(text)
            .map_err(|err| anyhow!("{CATALOG_PATH}: {}", err.to_string().trim_end()))?;
        let mut exercises = Vec::with_capacity(raw.exercises.len());
        for spanned in raw.exercises {
            let line = line_of(text, spanned.span().start);
            let exercise = spanned.into_inner();
            validate(&exercise, &raw.chapters, &exercises).map_err(|(field, problem)| {
                anyhow!(
                    "{CATALOG_PATH}:{line}: exercise `{}`, field `{field}`: {problem}",
                    exercise.name
                )
            })?;
            exercises.push(exercise);
        }
        if !(0.0..=100.0).contains(&raw.mutants.threshold) {
            bail!("{CATALOG_PATH}: [mutants] threshold must be a percentage, from 0 to 100");
        }
        Ok(Catalog {
            mutants: raw.mutants,
            chapters: raw.chapters,
            exercises,
        })
    }

    pub fn get(&self, name: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|exercise| exercise.name == name)
    }

    /// Looks an exercise up by name; the error suggests the closest name.
    pub fn find(&self, name: &str) -> anyhow::Result<&Exercise> {
        self.get(name).ok_or_else(|| {
            let closest = self
                .exercises
                .iter()
                .min_by_key(|exercise| strsim::levenshtein(&exercise.name, name))
                .map(|exercise| format!(" Did you mean `{}`?", exercise.name))
                .unwrap_or_default();
            anyhow!(
                "there is no exercise named `{name}`.{closest} `cargo xtask list` shows them all."
            )
        })
    }

    pub fn chapter_title<'a>(&'a self, dir: &'a str) -> &'a str {
        self.chapters
            .iter()
            .find(|chapter| chapter.dir == dir)
            .map_or(dir, |chapter| chapter.title.as_str())
    }
}

/// A field and what is wrong with it.
type Problem = (&'static str, String);

/// The first problem of an exercise's entry, field by field in the order they are
/// written; the catalog's error names that field.
fn validate(
    exercise: &Exercise,
    chapters: &[Chapter],
    earlier: &[Exercise],
) -> Result<(), Problem> {
    validate_name(&exercise.name, earlier)?;
    if !chapters
        .iter()
        .any(|chapter| chapter.dir == exercise.chapter)
    {
        return Err((
            "chapter",
            format!(
                "`{}` is not the `dir` of any [[chapters]] entry",
                exercise.chapter
            ),
        ));
    }
    validate_checks(&exercise.checks)?;
    if exercise.points == 0 {
        return Err(("points", "must be at least 1".into()));
    }
    if exercise.hints.is_empty() || exercise.hints.iter().any(|hint| hint.trim().is_empty()) {
        return Err((
            "hints",
            "needs at least one hint, none of them empty".into(),
        ));
    }
    if let Some(item) = exercise.allow.iter().find(|item| !is_allowance(item)) {
        return Err((
            "allow",
            format!("`{item}` is neither \"unsafe\" nor a path such as \"std::env::var\""),
        ));
    }
    validate_listed_mutants(exercise)?;
    if exercise.runs == Some(0) {
        return Err(("runs", "must be at least 1".into()));
    }
    if exercise.timeout_secs == Some(0) {
        return Err(("timeout_secs", "must be at least 1".into()));
    }
    validate_loom(exercise)
}

/// The name is also a test target's and a file's: an identifier, used once.
fn validate_name(name: &str, earlier: &[Exercise]) -> Result<(), Problem> {
    let is_identifier = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !is_identifier {
        return Err(("name", "must be lowercase letters, digits and `_`, starting with a letter (it names a test target)".into()));
    }
    if earlier.iter().any(|other| other.name == name) {
        return Err(("name", "is used by an earlier exercise".into()));
    }
    Ok(())
}

/// An exercise needs a check to be done, and each kind runs once.
fn validate_checks(checks: &[CheckKind]) -> Result<(), Problem> {
    if checks.is_empty() {
        return Err((
            "checks",
            "lists no check; use some of \"tests\", \"compile-fail\", \"loom\"".into(),
        ));
    }
    let mut sorted = checks.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != checks.len() {
        return Err(("checks", "lists a check twice".into()));
    }
    Ok(())
}

/// A mutant listed as one no check kills must say why, or the listing hides a gap.
fn validate_listed_mutants(exercise: &Exercise) -> Result<(), Problem> {
    for (field, listed) in [
        ("equivalent_mutants", &exercise.equivalent_mutants),
        ("undetectable_mutants", &exercise.undetectable_mutants),
    ] {
        if listed.iter().any(|mutant| mutant.reason.trim().is_empty()) {
            return Err((field, "each needs a reason: why no check kills it".into()));
        }
    }
    Ok(())
}

/// A `loom` check needs its bounds, and bounds need the check.
fn validate_loom(exercise: &Exercise) -> Result<(), Problem> {
    match (exercise.has_check(CheckKind::Loom), exercise.loom) {
        (true, None) => Err((
            "loom",
            "is required by the `loom` check: add `loom = { preemption_bound = 2 }`".into(),
        )),
        (false, Some(_)) => Err(("loom", "is set but `checks` has no `loom`".into())),
        (true, Some(bounds)) if bounds.preemption_bound == 0 => {
            Err(("loom", "`preemption_bound` must be at least 1".into()))
        }
        _ => Ok(()),
    }
}

/// `unsafe`, or a path of identifiers: `std::env::var`.
fn is_allowance(item: &str) -> bool {
    item == "unsafe"
        || item.split("::").all(|segment| {
            segment.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTERS: &str = "[[chapters]]\ndir = \"01_a\"\ntitle = \"A\"\n";

    fn parse(exercises: &str) -> anyhow::Result<Catalog> {
        Catalog::parse(&format!("{CHAPTERS}{exercises}"))
    }

    #[test]
    fn a_valid_entry_parses() {
        let catalog = parse(
            "[[exercises]]\nname = \"spin\"\nchapter = \"01_a\"\nchecks = [\"tests\", \"loom\"]\npoints = 3\nhints = [\"a\", \"b\"]\nloom = { preemption_bound = 2 }\n",
        )
        .unwrap();
        let spin = catalog.find("spin").unwrap();
        assert_eq!(spin.file(), "exercises/01_a/spin.rs");
        assert_eq!(spin.checks, [CheckKind::Tests, CheckKind::Loom]);
    }

    #[test]
    fn a_missing_field_names_the_field_and_line() {
        let err = parse(
            "[[exercises]]\nname = \"x\"\nchecks = [\"tests\"]\npoints = 1\nhints = [\"h\"]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("info.toml") && err.contains("line 4") && err.contains("chapter"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_check_kind_is_rejected() {
        let err = parse("[[exercises]]\nname = \"x\"\nchapter = \"01_a\"\nchecks = [\"fuzz\"]\npoints = 1\nhints = [\"h\"]\n")
            .unwrap_err()
        .to_string();
        assert!(err.contains("fuzz") && err.contains("line 7"), "{err}");
    }

    #[test]
    fn a_semantic_error_names_line_and_field() {
        let err = parse("[[exercises]]\nname = \"x\"\nchapter = \"02_b\"\nchecks = [\"tests\"]\npoints = 1\nhints = [\"h\"]\n")
            .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("exercises/info.toml:4:") && err.contains("`chapter`"),
            "{err}"
        );
    }

    #[test]
    fn a_windows_checkout_reads_the_same() {
        let entry = "[[exercises]]\nname = \"x\"\nchapter = \"01_a\"\nchecks = [\"tests\"]\npoints = 1\nhints = [\"h\"]\n";
        let crlf = |text: &str| text.replace('\n', "\r\n");
        let catalog = Catalog::parse(&crlf(&format!("{CHAPTERS}{entry}"))).unwrap();
        assert_eq!(catalog.find("x").unwrap().file(), "exercises/01_a/x.rs");
        let wrong = entry.replace("01_a", "02_b");
        assert_eq!(
            Catalog::parse(&crlf(&format!("{CHAPTERS}{wrong}")))
                .unwrap_err()
                .to_string(),
            parse(&wrong).unwrap_err().to_string()
        );
    }

    #[test]
    fn loom_needs_its_bounds() {
        let err = parse("[[exercises]]\nname = \"x\"\nchapter = \"01_a\"\nchecks = [\"loom\"]\npoints = 1\nhints = [\"h\"]\n")
            .unwrap_err()
        .to_string();
        assert!(err.contains("field `loom`"), "{err}");
    }

    #[test]
    fn unknown_names_get_a_suggestion() {
        let catalog = parse("[[exercises]]\nname = \"spin_lock\"\nchapter = \"01_a\"\nchecks = [\"tests\"]\npoints = 1\nhints = [\"h\"]\n").unwrap();
        let err = catalog.find("spinlock").unwrap_err().to_string();
        assert!(err.contains("Did you mean `spin_lock`?"), "{err}");
    }
}
