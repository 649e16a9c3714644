//! What `watch` does, as a plain state machine over one stream of events: saves,
//! verdicts, keys and ticks go in, effects come out. No event is dropped and nothing
//! here waits: the debounce of saves is a deadline that the loop around it turns into a
//! tick. The terminal, the file watcher and the checker live in `mod.rs`, so that this
//! logic can be tested without any of them.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::commands::DEBOUNCE;
use crate::model::catalog::Exercise;
use crate::model::outcome::ExerciseResult;

#[derive(Debug)]
pub enum Event {
    /// A file was written.
    Saved(PathBuf),
    Key(char),
    /// The verdict on one exercise.
    Checked(Box<ExerciseResult>),
    /// The verdicts of a check of every exercise.
    CheckedAll(Vec<ExerciseResult>),
    /// A check could not run at all.
    CheckFailed(String),
    /// The deadline the machine asked for has come.
    Tick,
}

/// What the loop around the machine must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Start checking the exercise; its verdict comes back as `Event::Checked`.
    Check(Exercise),
    /// Start checking every exercise; the verdicts come back as `Event::CheckedAll`.
    CheckAll,
    /// Record the verdict in the progress: it is of the file as it is now.
    Record(ExerciseResult),
    /// Say that a check of this exercise has started.
    Announce(Exercise),
    /// Show a failed verdict, on a clear screen.
    ShowFailure(ExerciseResult),
    /// The exercise passed.
    Passed(Exercise),
    /// Show the table of a check of every exercise.
    ShowAll(Vec<ExerciseResult>),
    /// Every exercise passes.
    AllDone,
    /// Open the exercise in the student's editor, if they asked for that.
    Open(Exercise),
    ShowHint(Exercise),
    ShowList,
    /// Put the exercise back as shipped; the file watcher then reports the save.
    Reset(Exercise),
    /// One line for the student.
    Note(String),
    /// Stop the running check's test processes and end watch.
    Quit,
}

/// Where the course stands: which exercise is the first not done, counting `passed` as
/// done (its verdict is recorded only after the machine has decided). The loop asks the
/// progress; tests give a fixed answer.
pub trait Course {
    fn first_pending(&self, passed: Option<&Exercise>) -> Option<Exercise>;
}

#[derive(Debug)]
pub struct Watch {
    current: Exercise,
    /// A check has been started and its verdict has not come back.
    checking: bool,
    /// The current exercise must be checked (again) once nothing is running: it was
    /// saved, or `r` was pressed, or the student moved on, during a check.
    stale: bool,
    /// When the last burst of saves of the current file is over.
    quiet_at: Option<Instant>,
}

impl Watch {
    /// Starts on `current`: it is announced, opened and checked.
    pub fn start(current: Exercise) -> (Watch, Vec<Effect>) {
        let mut watch = Watch {
            current: current.clone(),
            checking: false,
            stale: false,
            quiet_at: None,
        };
        let mut effects = vec![Effect::Open(current)];
        effects.extend(watch.check());
        (watch, effects)
    }

    #[cfg(test)]
    pub fn current(&self) -> &Exercise {
        &self.current
    }

    /// When the loop must send `Event::Tick`, if the machine is waiting for anything.
    pub fn deadline(&self) -> Option<Instant> {
        self.quiet_at
    }

    pub fn on(&mut self, event: Event, now: Instant, course: &impl Course) -> Vec<Effect> {
        match event {
            Event::Saved(path) => {
                if is_file_of(&path, &self.current) {
                    self.quiet_at = Some(now + DEBOUNCE);
                }
                Vec::new()
            }
            Event::Tick => match self.quiet_at {
                Some(at) if now >= at => {
                    self.quiet_at = None;
                    self.stale = true;
                    self.check_if_idle()
                }
                _ => Vec::new(),
            },
            Event::Checked(result) => self.checked(*result, course),
            Event::CheckedAll(results) => {
                self.checking = false;
                let mut effects: Vec<Effect> =
                    results.iter().cloned().map(Effect::Record).collect();
                effects.push(Effect::ShowAll(results));
                effects.extend(self.check_if_idle());
                effects
            }
            Event::CheckFailed(error) => {
                self.checking = false;
                let mut effects = vec![Effect::Note(format!("error: {error}"))];
                effects.extend(self.check_if_idle());
                effects
            }
            Event::Key(key) => self.key(key, course),
        }
    }

    fn checked(&mut self, result: ExerciseResult, course: &impl Course) -> Vec<Effect> {
        self.checking = false;
        let is_current = result.exercise.name == self.current.name;
        // A verdict on an exercise the student has left, or on a file saved since the
        // check began, is not shown: the check that follows has the newer one.
        if !is_current || self.stale || self.quiet_at.is_some() {
            return self.check_if_idle();
        }
        let mut effects = vec![Effect::Record(result.clone())];
        if !result.passed() {
            effects.push(Effect::ShowFailure(result));
            return effects;
        }
        effects.push(Effect::Passed(self.current.clone()));
        match course.first_pending(Some(&result.exercise)) {
            Some(next) => effects.extend(self.move_to(next)),
            None => effects.push(Effect::AllDone),
        }
        effects
    }

    fn key(&mut self, key: char, course: &impl Course) -> Vec<Effect> {
        match key {
            'q' => vec![Effect::Quit],
            'h' => vec![Effect::ShowHint(self.current.clone())],
            'l' => vec![Effect::ShowList],
            'x' => vec![Effect::Reset(self.current.clone())],
            'n' => match course.first_pending(None) {
                Some(next) if next.name != self.current.name => self.move_to(next),
                _ => vec![Effect::Note(format!(
                    "`{}` is not done yet: it must pass before the next one.",
                    self.current.name
                ))],
            },
            'r' if self.checking => {
                self.stale = true;
                vec![Effect::Note(
                    "A check is running; the exercise is checked again when it ends.".into(),
                )]
            }
            'r' => {
                self.stale = true;
                self.check_if_idle()
            }
            'c' if self.checking => vec![Effect::Note(
                "A check is running; press `c` again when it is done.".into(),
            )],
            'c' => {
                self.checking = true;
                vec![
                    Effect::Note("Checking every exercise…".into()),
                    Effect::CheckAll,
                ]
            }
            _ => Vec::new(),
        }
    }

    fn move_to(&mut self, next: Exercise) -> Vec<Effect> {
        self.current = next.clone();
        self.quiet_at = None;
        self.stale = true;
        let mut effects = vec![Effect::Open(next)];
        effects.extend(self.check_if_idle());
        effects
    }

    /// Checks the current exercise if it is stale and nothing is running.
    fn check_if_idle(&mut self) -> Vec<Effect> {
        if self.checking || !self.stale {
            return Vec::new();
        }
        self.check()
    }

    fn check(&mut self) -> Vec<Effect> {
        self.checking = true;
        self.stale = false;
        vec![
            Effect::Announce(self.current.clone()),
            Effect::Check(self.current.clone()),
        ]
    }
}

/// Whether `path`, as the file watcher reports it (absolute, in the platform's form),
/// is the exercise's file.
fn is_file_of(path: &Path, exercise: &Exercise) -> bool {
    path.ends_with(exercise.file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::CheckKind;
    use crate::model::outcome::{CaseResult, Cause, CheckResult};
    use std::time::Duration;

    fn exercise(name: &str) -> Exercise {
        Exercise {
            name: name.into(),
            chapter: "01_a".into(),
            checks: vec![CheckKind::Tests],
            points: 1,
            hints: vec!["h".into()],
            ..Default::default()
        }
    }

    fn verdict(name: &str, passed: bool) -> Event {
        let case = if passed {
            CaseResult::pass("t", Duration::ZERO)
        } else {
            CaseResult::failure("t", Cause::AssertionFailed, "")
        };
        Event::Checked(Box::new(ExerciseResult {
            exercise: exercise(name),
            checks: vec![CheckResult {
                kind: CheckKind::Tests,
                cases: vec![case],
            }],
        }))
    }

    fn saved(name: &str) -> Event {
        Event::Saved(PathBuf::from(format!("/kit/exercises/01_a/{name}.rs")))
    }

    /// The first exercise not done, as the progress would say.
    struct Pending(Option<&'static str>);

    impl Course for Pending {
        fn first_pending(&self, _passed: Option<&Exercise>) -> Option<Exercise> {
            self.0.map(exercise)
        }
    }

    fn checks(effects: &[Effect]) -> Vec<String> {
        effects
            .iter()
            .filter_map(|effect| match effect {
                Effect::Check(exercise) => Some(exercise.name.clone()),
                _ => None,
            })
            .collect()
    }

    fn shows_failure(effects: &[Effect]) -> bool {
        effects
            .iter()
            .any(|effect| matches!(effect, Effect::ShowFailure(_)))
    }

    #[test]
    fn it_starts_by_opening_and_checking_the_current_exercise() {
        let (watch, effects) = Watch::start(exercise("a"));
        assert_eq!(effects[0], Effect::Open(exercise("a")));
        assert_eq!(checks(&effects), ["a"]);
        assert_eq!(watch.deadline(), None);
    }

    #[test]
    fn a_save_is_checked_once_its_burst_is_over() {
        let (mut watch, _) = Watch::start(exercise("a"));
        let t0 = Instant::now();
        let course = Pending(Some("a"));
        watch.on(verdict("a", false), t0, &course);
        assert!(watch.on(saved("a"), t0, &course).is_empty());
        watch.on(saved("a"), t0 + Duration::from_millis(100), &course);
        // The second save pushed the deadline back.
        let early = watch.on(Event::Tick, t0 + DEBOUNCE, &course);
        assert!(checks(&early).is_empty());
        assert_eq!(
            watch.deadline(),
            Some(t0 + Duration::from_millis(100) + DEBOUNCE)
        );
        let due = watch.on(
            Event::Tick,
            t0 + Duration::from_millis(100) + DEBOUNCE,
            &course,
        );
        assert_eq!(checks(&due), ["a"]);
        assert!(
            watch.on(saved("b"), t0, &course).is_empty(),
            "another file's save"
        );
    }

    /// The failure that made watch stick: saves during a check, then the check's own
    /// verdict. The verdict must end the check, and the newer file must be checked.
    #[test]
    fn a_save_that_crosses_a_verdict_is_checked_after_it() {
        let (mut watch, _) = Watch::start(exercise("a"));
        let t0 = Instant::now();
        let course = Pending(Some("a"));
        watch.on(saved("a"), t0, &course);
        assert!(checks(&watch.on(Event::Tick, t0 + DEBOUNCE, &course)).is_empty());
        // The verdict is of the file before the save: not shown, and checked again.
        let after = watch.on(verdict("a", false), t0 + DEBOUNCE, &course);
        assert!(!shows_failure(&after), "{after:?}");
        assert_eq!(checks(&after), ["a"]);
        let shown = watch.on(verdict("a", false), t0 + DEBOUNCE * 2, &course);
        assert!(shows_failure(&shown), "{shown:?}");
        // A save whose burst is not over when the verdict comes: checked once it is.
        watch.on(Event::Key('r'), t0, &course);
        watch.on(saved("a"), t0 + DEBOUNCE * 3, &course);
        let crossed = watch.on(verdict("a", false), t0 + DEBOUNCE * 3, &course);
        assert!(
            !shows_failure(&crossed) && checks(&crossed).is_empty(),
            "{crossed:?}"
        );
        let due = watch.on(Event::Tick, t0 + DEBOUNCE * 4, &course);
        assert_eq!(checks(&due), ["a"]);
    }

    #[test]
    fn keys_are_answered_at_once_during_the_debounce_and_a_check() {
        let (mut watch, _) = Watch::start(exercise("a"));
        let t0 = Instant::now();
        let course = Pending(Some("a"));
        watch.on(saved("a"), t0, &course);
        assert_eq!(
            watch.on(Event::Key('h'), t0, &course),
            [Effect::ShowHint(exercise("a"))]
        );
        assert_eq!(watch.on(Event::Key('l'), t0, &course), [Effect::ShowList]);
        assert_eq!(
            checks(&watch.on(Event::Tick, t0 + DEBOUNCE, &course)),
            Vec::<String>::new()
        );
        // `r` during a check: checked again once it ends, not dropped.
        watch.on(Event::Key('r'), t0, &course);
        let after = watch.on(verdict("a", false), t0 + DEBOUNCE, &course);
        assert_eq!(checks(&after), ["a"]);
    }

    #[test]
    fn q_during_a_check_quits_at_once() {
        let (mut watch, _) = Watch::start(exercise("a"));
        let course = Pending(Some("a"));
        assert_eq!(
            watch.on(Event::Key('q'), Instant::now(), &course),
            [Effect::Quit]
        );
    }

    #[test]
    fn a_pass_moves_on_and_a_verdict_for_an_exercise_left_behind_is_not_shown() {
        let (mut watch, _) = Watch::start(exercise("a"));
        let t0 = Instant::now();
        let passed = watch.on(verdict("a", true), t0, &Pending(Some("b")));
        assert!(passed.contains(&Effect::Passed(exercise("a"))));
        assert!(passed.contains(&Effect::Open(exercise("b"))));
        assert_eq!(checks(&passed), ["b"]);
        assert_eq!(watch.current().name, "b");

        // `n` while `b`'s check runs, once `b` passes elsewhere (say, a check of all):
        // `c` is current, and `b`'s verdict, which comes next, is not shown.
        let moved = watch.on(Event::Key('n'), t0, &Pending(Some("c")));
        assert!(checks(&moved).is_empty(), "one check at a time: {moved:?}");
        assert_eq!(watch.current().name, "c");
        let late = watch.on(verdict("b", false), t0, &Pending(Some("c")));
        assert!(!shows_failure(&late), "{late:?}");
        assert_eq!(checks(&late), ["c"]);

        let done = watch.on(verdict("c", true), t0, &Pending(None));
        assert!(done.contains(&Effect::AllDone));
    }

    #[test]
    fn n_on_an_exercise_not_done_stays() {
        let (mut watch, _) = Watch::start(exercise("a"));
        let stay = watch.on(Event::Key('n'), Instant::now(), &Pending(Some("a")));
        assert!(matches!(stay.as_slice(), [Effect::Note(note)] if note.contains("not done yet")));
    }

    #[test]
    fn a_check_of_everything_is_recorded_and_shown_and_a_failed_check_is_said() {
        let (mut watch, _) = Watch::start(exercise("a"));
        let t0 = Instant::now();
        let course = Pending(Some("a"));
        watch.on(verdict("a", false), t0, &course);
        assert_eq!(
            watch.on(Event::Key('c'), t0, &course).last(),
            Some(&Effect::CheckAll)
        );
        assert!(matches!(
            watch.on(Event::Key('c'), t0, &course).as_slice(),
            [Effect::Note(note)] if note.contains("A check is running")
        ));
        let Event::Checked(result) = verdict("b", true) else {
            unreachable!("a verdict")
        };
        let shown = watch.on(Event::CheckedAll(vec![(*result).clone()]), t0, &course);
        assert_eq!(
            shown,
            [
                Effect::Record((*result).clone()),
                Effect::ShowAll(vec![*result])
            ]
        );
        watch.on(Event::Key('r'), t0, &course);
        let failed = watch.on(Event::CheckFailed("cargo is gone".into()), t0, &course);
        assert!(matches!(
            failed.first(),
            Some(Effect::Note(note)) if note.contains("cargo is gone")
        ));
    }
}
