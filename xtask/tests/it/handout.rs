//! The students' copy (`cargo xtask handout`): it has no solutions, keeps the hints
//! the instructor chose, refuses `solution` when told to, passes its own `cargo test`,
//! and what a student hands in from it is graded against the full copy with no tamper
//! warning.

use crate::common;

use std::path::PathBuf;
use std::process::Command;

use common::{text, xtask};

fn fresh(name: &str) -> PathBuf {
    let dir = common::target_dir().join("threadlings-fixtures").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
#[ignore = "slow (a whole `cargo test` of the handout, minutes): .ci/run runs it"]
fn the_kits_handout_has_no_solutions_and_passes_its_own_cargo_test() {
    if common::skip_without_cargo() {
        return;
    }
    let out = fresh("handout-kit");
    let made = xtask(
        &common::kit_root(),
        &["handout", out.to_str().unwrap(), "--hints", "1"],
    );
    assert_eq!(made.status.code(), Some(0), "{}", text(&made));
    assert!(!out.join("solutions").exists());
    assert!(!out.join("xtask/tests").exists());
    assert!(out.join("exercises/01_article/spawn_join.rs").is_file());
    assert!(out.join("tests/spawn_join/main.rs").is_file());
    let catalog = std::fs::read_to_string(out.join("exercises/info.toml")).unwrap();
    let full = std::fs::read_to_string(common::kit_root().join("exercises/info.toml")).unwrap();
    assert!(
        catalog.len() < full.len(),
        "the hints past the first are gone"
    );

    // The handout's README command: the runner's own tests, which need no solutions.
    let test = Command::new(env!("CARGO"))
        .current_dir(&out)
        .env(
            "CARGO_TARGET_DIR",
            common::target_dir().join("threadlings-handout"),
        )
        .args(["test", "--quiet"])
        .output()
        .expect("cargo starts");
    assert!(test.status.success(), "{}", text(&test));
    assert!(text(&test).contains("test result: ok."), "{}", text(&test));

    // A second handout to the same place is refused: nothing is overwritten.
    let again = xtask(&common::kit_root(), &["handout", out.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_handout_keeps_the_chosen_hints_and_refuses_solution_and_verify() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit("xtask/tests/class/kit", "threadlings-handout-class");
    let out = fresh("handout-class");
    let made = xtask(&kit, &["handout", out.to_str().unwrap(), "--hints", "1"]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made));

    let hint = text(&xtask(&out, &["hint", "double"]));
    assert!(hint.contains("Hint 1 of 1"), "{hint}");
    let full_hint = text(&xtask(&kit, &["hint", "double"]));
    assert!(
        full_hint.contains("Hint 1 of 2"),
        "the full copy keeps both: {full_hint}"
    );

    let solution = xtask(&out, &["solution", "double", "--force"]);
    assert_eq!(solution.status.code(), Some(1));
    assert!(
        text(&solution).contains("turned `solution` off"),
        "{}",
        text(&solution)
    );
    assert!(
        !text(&solution).contains("value * 2"),
        "no solution is shown"
    );

    let verify = xtask(&out, &["verify"]);
    assert_eq!(verify.status.code(), Some(2));
    assert!(
        text(&verify).contains("no `solutions/`"),
        "{}",
        text(&verify)
    );

    // A student solves `double` in the handout and hands it in; the full copy grades
    // it, and sees no tampering in the handout's own files.
    let submission = fresh("handout-class-submission");
    for file in xtask::model::kit::files_under(&out).unwrap() {
        let to = submission.join(file.strip_prefix(&out).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&file, to).unwrap();
    }
    std::fs::copy(
        kit.join("solutions/01_class/double.rs"),
        submission.join("exercises/01_class/double.rs"),
    )
    .unwrap();
    let report = submission.with_extension("json");
    let graded = xtask(
        &kit,
        &[
            "check",
            "double",
            "--submission",
            submission.to_str().unwrap(),
            "--json",
            report.to_str().unwrap(),
        ],
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap_or_default())
            .unwrap_or_else(|err| panic!("{err}: {}", text(&graded)));
    let student = &json["submissions"][0];
    assert_eq!(student["points"], 10.0, "{student:#}");
    assert_eq!(student["warnings"], serde_json::json!([]), "{student:#}");
    for dir in [&out, &submission] {
        let _ = std::fs::remove_dir_all(dir);
    }
}
