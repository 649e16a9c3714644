//! The commands as a student, an instructor or an author runs them: exit codes,
//! messages, and what they do with bad input.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{text, xtask};

#[test]
#[ignore = "slow (builds and runs every solution and every shipped exercise, minutes): .ci/run runs it"]
fn the_kit_verifies_itself() {
    if common::skip_without_cargo() {
        return;
    }
    let output = xtask(&common::kit_root(), &["verify"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("the kit is consistent"),
        "{}",
        text(&output)
    );
}

#[test]
fn next_stops_at_the_first_failing_exercise_and_points_at_its_file() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-next");
    let output = xtask(&kit, &["next"]);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(shown.contains("✓ passes passes"), "{shown}");
    assert!(
        shown.contains("✗ compile_error  exercises/01_fixtures/compile_error.rs:3"),
        "{shown}"
    );
    assert!(
        shown.contains("mismatched types") && shown.contains("cargo xtask hint"),
        "{shown}"
    );
    assert!(
        !shown.contains("failing_test"),
        "next stops at the first failure: {shown}"
    );

    // The progress is a cache: corrupting it loses nothing, the exercise that passed
    // is simply checked again.
    let progress = common::target_dir().join("threadlings/threadlings-fixtures-next/progress.json");
    std::fs::write(&progress, "{ not json").unwrap();
    let again = xtask(&kit, &["next"]);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(text(&again).contains("✓ passes passes"), "{}", text(&again));

    let list = text(&xtask(&kit, &["list"]));
    assert!(
        list.contains("✓ done") && list.contains("→ current  compile_error"),
        "{list}"
    );
    let catalog = std::fs::read_to_string(kit.join("exercises/info.toml")).unwrap();
    let exercises = catalog.matches("[[exercises]]").count();
    assert!(
        list.contains(&format!("1/{exercises} exercises done")),
        "{list}"
    );
}

#[test]
fn hints_come_one_level_at_a_time() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-hints");
    let first = text(&xtask(&kit, &["hint", "deadlock"]));
    assert!(
        first.contains("Hint 1 of 2:") && !first.contains("Hint 2 of 2:"),
        "{first}"
    );
    let second = text(&xtask(&kit, &["hint", "deadlock"]));
    assert!(
        second.contains("Hint 1 of 2:") && second.contains("Hint 2 of 2:"),
        "{second}"
    );
}

#[test]
fn the_runner_keeps_its_files_where_cargo_builds() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-target-dir");
    let progress_in =
        |target: &Path| target.join("threadlings/threadlings-fixtures-target-dir/progress.json");
    // `hint` records the level shown in the progress cache, under the target directory.
    let hint_with = |variables: &[(&str, &Path)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .args(["hint", "deadlock"])
            .current_dir(&kit)
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET_DIR");
        for (name, value) in variables {
            command.env(name, value);
        }
        let output = command.output().expect("the runner starts");
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    };
    hint_with(&[]);
    assert!(progress_in(&kit.join("target")).is_file(), "by default");
    for variable in ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"] {
        let target = kit.join(format!("by-{variable}"));
        hint_with(&[(variable, &target)]);
        assert!(progress_in(&target).is_file(), "{variable}");
    }
    std::fs::create_dir_all(kit.join(".cargo")).unwrap();
    std::fs::write(
        kit.join(".cargo/config.toml"),
        "[build]\ntarget-dir = \"by-config\"\n",
    )
    .unwrap();
    hint_with(&[]);
    assert!(
        progress_in(&kit.join("by-config")).is_file(),
        "build.target-dir in .cargo/config.toml"
    );
}

#[test]
fn an_unknown_exercise_is_a_usage_error_with_a_suggestion() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-unknown");
    let output = xtask(&kit, &["check", "dedlock"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("Did you mean `deadlock`?"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_malformed_catalog_is_reported_with_its_line_and_field() {
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-malformed");
    let catalog = kit.join("exercises/info.toml");
    let original = std::fs::read_to_string(&catalog).unwrap();
    std::fs::write(
        &catalog,
        original.replacen("points = 10\n", "points = \"ten\"\n", 1),
    )
    .unwrap();
    let line = original[..original.find("points = 10\n").unwrap()]
        .matches('\n')
        .count()
        + 1;
    // With a target folder set, opening a kit asks cargo where it builds; the catalog
    // is read first, so its error shows even where cargo cannot run.
    let output = common::xtask_without_cargo(&kit)
        .arg("list")
        .output()
        .expect("the runner starts");
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("exercises/info.toml")
            && shown.contains(&format!("line {line}"))
            && shown.contains("points"),
        "{shown}"
    );
    assert!(!shown.contains("panicked"), "{shown}");
}

#[test]
fn outside_a_kit_the_runner_says_where_to_run_it() {
    let outside = std::env::temp_dir().join(format!("threadlings-outside-{}", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    let output = xtask(&outside, &["list"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("not inside a threadlings kit"),
        "{}",
        text(&output)
    );
    let _ = std::fs::remove_dir(&outside);
}

#[test]
fn check_exits_1_and_prints_the_table_when_anything_fails() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-check");
    let output = xtask(&kit, &["check", "passes", "failing_test"]);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("passes") && shown.contains("10.0/10"),
        "{shown}"
    );
    assert!(
        shown.contains("1 of 2 exercises pass; 10.0 of 20 points."),
        "{shown}"
    );
}

#[test]
fn check_shows_a_failed_models_execution_and_each_cause_in_its_words() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-check-loom");
    let output = xtask(&kit, &["check", "loom_deadlock", "not_started"]);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    // The timeline, as `next` draws it, with the threads named as its message names them.
    assert!(
        shown.contains("The execution that failed, as loom ran it:")
            && shown.contains("(blocked, held by thread 1)"),
        "{shown}"
    );
    assert!(
        shown.contains("[loom] opposite_transfers: deadlock: in some interleaving"),
        "{shown}"
    );
    assert!(
        shown.contains(
            "[tests] sums_three_values: not started: Start with the TODO at line 4: add up the \
             values, one after another."
        ),
        "{shown}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let output = xtask(&common::kit_root(), &["chek"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn reset_restores_the_shipped_exercise_and_keeps_the_students_version() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-reset");
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=kit",
                "-c",
                "user.email=kit@example.invalid",
            ])
            .args(args)
            .current_dir(&kit)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "the kit as shipped"]);
    let exercise = kit.join("exercises/01_fixtures/failing_test.rs");
    let shipped = std::fs::read_to_string(&exercise).unwrap();
    let mine = "// my attempt\npub fn double(value: u32) -> u32 {\n    value * 3\n}\n";
    std::fs::write(&exercise, mine).unwrap();
    // The student's own commit of their work is not what "shipped" means.
    git(&["commit", "-qam", "my work"]);

    let output = xtask(&kit, &["reset", "failing_test"]);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert_eq!(std::fs::read_to_string(&exercise).unwrap(), shipped);
    let backup = shown
        .split("saved as ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap();
    let backup = kit.join(backup.trim_end_matches('.'));
    assert_eq!(
        std::fs::read_to_string(&backup).unwrap(),
        mine,
        "the student's version is kept: {shown}"
    );

    let again = text(&xtask(&kit, &["reset", "failing_test"]));
    assert!(again.contains("already as shipped"), "{again}");
}

#[test]
fn a_solution_is_shown_only_once_the_exercise_passes_or_when_forced() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-solution");
    std::fs::create_dir_all(kit.join("solutions/01_fixtures")).unwrap();
    std::fs::write(
        kit.join("solutions/01_fixtures/failing_test.rs"),
        "// the reference\n",
    )
    .unwrap();
    let refused = xtask(&kit, &["solution", "failing_test"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains("not done yet") && !text(&refused).contains("the reference"),
        "{}",
        text(&refused)
    );
    let forced = text(&xtask(&kit, &["solution", "failing_test", "--force"]));
    assert!(forced.contains("// the reference"), "{forced}");
}

#[test]
fn run_shows_what_the_exercise_prints() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-run");
    let output = xtask(&kit, &["run", "failing_test"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("doubling 21"), "{}", text(&output));
}

/// Watch mode as a student uses it: it checks, notices a save, moves on, and quits on
/// `q`. Keys come through a pipe here (one key per byte, as in a terminal).
/// `watch` as a student runs it, reading what it prints line by line.
struct Watching {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Watching {
    fn start(kit: &Path, args: &[&str]) -> Watching {
        use std::io::{BufRead, BufReader};
        use std::process::Stdio;
        let mut child = common::xtask_command(kit)
            .arg("watch")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (lines, seen) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        Watching { child, lines: seen }
    }

    /// Waits for a line that contains `wanted`, and returns it.
    fn wait_for(&self, wanted: &str) -> String {
        let mut transcript = String::new();
        while let Ok(line) = self.lines.recv_timeout(std::time::Duration::from_secs(120)) {
            transcript.push_str(&line);
            transcript.push('\n');
            if line.contains(wanted) {
                return line;
            }
        }
        panic!("watch never printed `{wanted}`:\n{transcript}");
    }

    fn quit(mut self) {
        use std::io::Write;
        self.child.stdin.as_mut().unwrap().write_all(b"q").unwrap();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status:?}");
    }
}

const SOLVED_COMPILE_ERROR: &str = "pub fn double(value: u32) -> u32 {\n    value * 2\n}\n";

#[test]
fn watch_rechecks_on_save_moves_on_and_quits_on_a_key() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-watch");
    let watch = Watching::start(&kit, &[]);
    watch.wait_for("✓ passes passes");
    watch.wait_for("✗ compile_error");
    std::fs::write(
        kit.join("exercises/01_fixtures/compile_error.rs"),
        SOLVED_COMPILE_ERROR,
    )
    .unwrap();
    watch.wait_for("✓ compile_error passes");
    watch.wait_for("✗ failing_test");
    watch.quit();
}

/// With `--poll`, saves are seen by looking at the files, where no file-system events
/// come; and `--edit-cmd` opens each exercise watch moves to.
#[test]
fn watch_polls_when_asked_and_opens_each_exercise_in_the_editor() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit(common::FIXTURES, "threadlings-fixtures-watch-poll");
    let opened = kit.join("opened.txt");
    let editor = kit.join("editor.sh");
    std::fs::write(
        &editor,
        format!("#!/bin/sh\necho \"$1\" >> {}\n", opened.display()),
    )
    .unwrap();
    let chmod = Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .unwrap();
    assert!(chmod.success());
    let edit_cmd = editor.display().to_string();
    let watch = Watching::start(&kit, &["--poll", "--edit-cmd", &edit_cmd]);
    watch.wait_for("Watching by polling: asked for with --poll.");
    watch.wait_for("✗ compile_error");
    std::fs::write(
        kit.join("exercises/01_fixtures/compile_error.rs"),
        SOLVED_COMPILE_ERROR,
    )
    .unwrap();
    watch.wait_for("✓ compile_error passes");
    // A file without a TODO is named alone, never with a line 1 that means nothing.
    let link = watch.wait_for("→ failing_test");
    assert!(
        link.contains("exercises/01_fixtures/failing_test.rs") && !link.contains(".rs:1"),
        "{link}"
    );
    watch.wait_for("✗ failing_test");
    watch.quit();
    // watch starts the editor beside itself and does not wait for it: the last one may
    // still be writing its line.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let opened = loop {
        let text = std::fs::read_to_string(&opened).unwrap_or_default();
        if text.lines().count() >= 3 || std::time::Instant::now() > deadline {
            break text;
        }
        // Polling for the file, not timing the editor: the deadline only bounds the wait.
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let files: Vec<&str> = opened.lines().collect();
    assert_eq!(
        files.len(),
        3,
        "the editor opens each exercise watch moves to: {opened}"
    );
    for (file, name) in files
        .iter()
        .zip(["passes", "compile_error", "failing_test"])
    {
        assert!(
            file.ends_with(&format!("exercises/01_fixtures/{name}.rs")),
            "{opened}"
        );
    }
}

/// The class kit's `flag_lock`: a spin lock whose loom model must kill every mutant of
/// its solution (each ordering weakened, the CAS as check-then-set, the spin hint left
/// out), and whose other checks alone kill none of them.
#[test]
fn mutants_must_each_fail_a_check() {
    if common::skip_without_cargo() {
        return;
    }
    let kit = common::lay_out_kit("xtask/tests/class/kit", "threadlings-class-mutants");
    let killed = xtask(&kit, &["mutants", "flag_lock"]);
    let shown = text(&killed);
    assert_eq!(killed.status.code(), Some(0), "{shown}");
    assert!(shown.contains("4 of 4 mutants killed (100.0 %)"), "{shown}");

    // Without the loom model, nothing tells the mutants from the solution.
    let catalog = kit.join("exercises/info.toml");
    let text_before = std::fs::read_to_string(&catalog).unwrap();
    let without_loom = text_before
        .replace("checks = [\"tests\", \"loom\"]", "checks = [\"tests\"]")
        .replace("loom = { preemption_bound = 2 }\n", "");
    std::fs::write(&catalog, &without_loom).unwrap();
    let survived = xtask(&kit, &["mutants", "flag_lock"]);
    let shown = text(&survived);
    assert_eq!(survived.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("✗ survived  solutions/01_class/flag_lock.rs, line ")
            && shown.contains("`Ordering::Release` → `Ordering::Relaxed` (in `store`)")
            && shown.contains("below the catalog's threshold of 95 %"),
        "{shown}"
    );

    // An equivalent mutant is listed with its reason, and must exist.
    let listed = without_loom.replace(
        "name = \"flag_lock\"\n",
        "name = \"flag_lock\"\nequivalent_mutants = [{ mutant = \"line 99: gone\", reason = \"r\" }]\n",
    );
    std::fs::write(&catalog, listed).unwrap();
    let stale = text(&xtask(&kit, &["mutants", "flag_lock"]));
    assert!(
        stale.contains(
            "lists a mutant that solutions/01_class/flag_lock.rs no longer has: line 99: gone"
        ),
        "{stale}"
    );
}
