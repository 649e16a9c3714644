//! Sharded grading: a class of four graded in one run, and again in two shards merged
//! with `cargo xtask report`, gets the same points per student; the merged report
//! flags the two students (one in each shard) who handed in the same file, formatted
//! and commented differently.

use crate::common;

use std::path::{Path, PathBuf};

use xtask::model::outcome::Graded;
use xtask::report::json;

const CLASS_KIT: &str = "xtask/tests/class/kit";
const PACKAGE: &str = "threadlings-shards";

/// The same answer to `double`, not the reference solution's, written two ways.
const CAROLS_DOUBLE: &str =
    "//! Doubles a number.\npub fn double(n: u32) -> u32 {\n    let twice = n + n;\n    twice\n}\n";
const DAVES_DOUBLE: &str = "//! Doubles a number.\n/// Mine.\npub fn double(x: u32)->u32{\n  // add it to itself\n  let result = x + x; result }\n";

fn hand_in(kit: &Path, to: &Path, change: impl Fn(&dyn Fn(&str) -> PathBuf)) {
    change(&common::hand_in_solved(kit, to));
}

fn xtask(kit: &Path, args: &[&str]) -> String {
    let output = common::xtask_command(kit)
        .args(args)
        .output()
        .expect("the runner starts");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // `check` exits 1 when anything fails, as it does here; 2 is a setup error.
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{args:?}: {text}"
    );
    text
}

fn points(class: &[Graded]) -> Vec<(String, f64)> {
    class
        .iter()
        .map(|graded| (graded.name.clone(), graded.points()))
        .collect()
}

#[test]
fn two_shards_merged_grade_as_one_run_and_copies_across_shards_are_flagged() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(CLASS_KIT, PACKAGE);
    let class = common::target_dir().join("threadlings-fixtures/shards-class");
    let reports = common::target_dir().join("threadlings-fixtures/shards-reports");
    for dir in [&class, &reports] {
        let _ = std::fs::remove_dir_all(dir);
    }
    std::fs::create_dir_all(&reports).unwrap();
    hand_in(&kit, &class.join("alice"), |_| {});
    hand_in(&kit, &class.join("bob"), |exercise| {
        let shipped = std::fs::read_to_string(kit.join("exercises/01_class/triple.rs")).unwrap();
        std::fs::write(exercise("triple"), shipped).unwrap();
    });
    hand_in(&kit, &class.join("carol"), |exercise| {
        std::fs::write(exercise("double"), CAROLS_DOUBLE).unwrap();
    });
    hand_in(&kit, &class.join("dave"), |exercise| {
        std::fs::write(exercise("double"), DAVES_DOUBLE).unwrap();
        let shipped = std::fs::read_to_string(kit.join("exercises/01_class/triple.rs")).unwrap();
        std::fs::write(exercise("triple"), shipped + "\nconst _: () = ();\n").unwrap();
    });
    let report = |name: &str| reports.join(name).display().to_string();
    let class_dir = class.display().to_string();
    xtask(
        &kit,
        &[
            "check",
            "--submission",
            &class_dir,
            "--json",
            &report("one-run.json"),
        ],
    );
    for shard in ["1/2", "2/2"] {
        let file = report(&format!("shard-{}.json", &shard[..1]));
        xtask(
            &kit,
            &[
                "check",
                "--submission",
                &class_dir,
                "--shard",
                shard,
                "--json",
                &file,
            ],
        );
    }
    let merged = xtask(
        &kit,
        &[
            "report",
            &report("shard-1.json"),
            &report("shard-2.json"),
            "--json",
            &report("merged.json"),
            "--html",
            &report("merged.html"),
            "--csv",
            &report("merged.csv"),
        ],
    );

    let read = |name: &str| json::read(&reports.join(name)).unwrap().into_class().graded;
    let shard_one = read("shard-1.json");
    assert_eq!(shard_one.len(), 2, "two students a shard");
    let one_run = points(&read("one-run.json"));
    assert_eq!(points(&read("merged.json")), one_run, "{merged}");
    // The class is not all the same, so the comparison above can fail.
    let expected = [
        ("alice", 40.0),
        ("bob", 30.0),
        ("carol", 40.0),
        ("dave", 30.0),
    ];
    let expected: Vec<(String, f64)> = expected.map(|(n, p)| (n.to_string(), p)).to_vec();
    assert_eq!(one_run, expected);

    // Carol and Dave are in different shards, and handed in one answer.
    let in_shard_one = |name: &str| shard_one.iter().any(|graded| graded.name == name);
    assert!(in_shard_one("carol") != in_shard_one("dave"));
    let html = std::fs::read_to_string(reports.join("merged.html")).unwrap();
    // The class report: one line per pair of students, one per student for the
    // reference solution.
    assert!(
        html.contains("<li>carol and dave: 1 file alike (double)</li>"),
        "{html}"
    );
    assert!(merged.contains("double: carol and dave"), "{merged}");
    // Alice handed in the reference solution itself; Carol's `double` differs from it.
    assert!(html.contains(
        "<li>alice: 4 files equal to the reference solution (double, flag_lock, counter_handle, triple)</li>"
    ));
    // Files that are the solution are flagged against it, not paired with each other.
    assert!(html.contains(
        "<li>carol: 3 files equal to the reference solution (flag_lock, counter_handle, triple)</li>"
    ));
    assert!(
        !html.contains("alice and carol"),
        "a different answer is not flagged, nor two solutions paired: {html}"
    );
    let csv = std::fs::read_to_string(reports.join("merged.csv")).unwrap();
    assert_eq!(csv.lines().count(), 5, "{csv}");
}
