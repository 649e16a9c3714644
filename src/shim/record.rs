//! The interleaving recorder behind the traced shim (`traced.rs`): every operation on
//! the kit's loom types is noted here, in the order loom runs them, so that the runner
//! can show the execution that failed. Its state is std's, out of loom's sight, so that
//! recording adds no branch, no synchronization and no step to the model.
//!
//! It records only when the runner asks, through `THREADLINGS_INTERLEAVING` (`failed`:
//! every execution, written out at a panic; `first`: the first execution only, written
//! out when it ends) and `THREADLINGS_INTERLEAVING_FILE`; otherwise each operation costs
//! one load of a `OnceLock`.

use std::collections::HashMap;
use std::panic::Location;
use std::path::PathBuf;
use std::sync::{Mutex, Once, OnceLock, PoisonError};

/// When to write the recorded execution out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// The execution running when the model panics: the one that failed.
    Failed,
    /// The first execution loom explores, when it ends (or panics).
    First,
}

struct Settings {
    keep: Keep,
    file: PathBuf,
}

static SETTINGS: OnceLock<Option<Settings>> = OnceLock::new();
static RECORDER: Mutex<Recorder> = Mutex::new(Recorder::new());

fn settings() -> Option<&'static Settings> {
    SETTINGS
        .get_or_init(|| {
            let keep = match std::env::var("THREADLINGS_INTERLEAVING").ok()?.as_str() {
                "failed" => Keep::Failed,
                "first" => Keep::First,
                _ => return None,
            };
            let file = std::env::var_os("THREADLINGS_INTERLEAVING_FILE")?.into();
            Some(Settings { keep, file })
        })
        .as_ref()
}

/// Whether operations are recorded now. Not while a panic unwinds: the model has
/// already failed, and asking loom which thread runs would panic again, in a drop.
#[inline]
pub(crate) fn enabled() -> bool {
    settings().is_some() && !std::thread::panicking()
}

/// What an operation did to the memory loom checks for races.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
    Other,
}

impl Access {
    fn label(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
            Access::Other => "op",
        }
    }
}

/// One operation, as the shim describes it.
pub(crate) struct Op {
    pub kind: &'static str,
    pub object: usize,
    pub access: Access,
    pub operation: String,
    pub ordering: Option<String>,
    pub value: Option<String>,
}

impl Op {
    pub(crate) fn new(kind: &'static str, object: usize, operation: impl Into<String>) -> Op {
        Op {
            kind,
            object,
            access: Access::Other,
            operation: operation.into(),
            ordering: None,
            value: None,
        }
    }

    pub(crate) fn ordering(mut self, ordering: impl Into<String>) -> Op {
        self.ordering = Some(ordering.into());
        self
    }

    pub(crate) fn value(mut self, value: impl Into<String>) -> Op {
        self.value = Some(value.into());
        self
    }

    pub(crate) fn access(mut self, access: Access) -> Op {
        self.access = access;
        self
    }
}

struct Step {
    thread: usize,
    blocked: bool,
    object: Option<String>,
    op: Op,
    location: &'static Location<'static>,
}

struct Recorder {
    /// Executions begun in this process (the first is 1).
    execution: usize,
    steps: Vec<Step>,
    /// Per thread, the operation it is blocked in, if any.
    waiting: Vec<(usize, Step)>,
    /// Objects by address, numbered per kind in the order they first appear.
    objects: Option<HashMap<(&'static str, usize), usize>>,
    counts: Option<HashMap<&'static str, usize>>,
    spawned: usize,
    written: bool,
}

impl Recorder {
    const fn new() -> Recorder {
        Recorder {
            execution: 0,
            steps: Vec::new(),
            waiting: Vec::new(),
            objects: None,
            counts: None,
            spawned: 0,
            written: false,
        }
    }

    fn begin_execution(&mut self) {
        self.execution += 1;
        self.steps.clear();
        self.waiting.clear();
        self.objects = Some(HashMap::new());
        self.counts = Some(HashMap::new());
        self.spawned = 0;
    }

    /// Whether this execution is one to record.
    fn recording(&self) -> bool {
        match settings().map(|settings| settings.keep) {
            Some(Keep::Failed) => true,
            Some(Keep::First) => self.execution == 1 && !self.written,
            None => false,
        }
    }

    fn object_label(&mut self, kind: &'static str, address: usize) -> String {
        let objects = self.objects.get_or_insert_with(HashMap::new);
        let counts = self.counts.get_or_insert_with(HashMap::new);
        let number = *objects.entry((kind, address)).or_insert_with(|| {
            let count = counts.entry(kind).or_insert(0);
            *count += 1;
            *count
        });
        format!("{kind} {number}")
    }

    fn step(&mut self, thread: usize, op: Op, location: &'static Location<'static>) -> Step {
        let object = (op.object != 0).then(|| self.object_label(op.kind, op.object));
        Step {
            thread,
            blocked: false,
            object,
            op,
            location,
        }
    }

    fn render(&self) -> String {
        let mut text = String::new();
        let blocked = self.waiting.iter().map(|(_, step)| step);
        for step in self.steps.iter().chain(blocked) {
            let field = |text: &str| text.replace(['\t', '\n', '\r'], " ");
            let optional = |text: &Option<String>| text.as_deref().map(field).unwrap_or_default();
            text.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                step.thread,
                if step.blocked {
                    "blocked"
                } else {
                    step.op.access.label()
                },
                optional(&step.object),
                field(&step.op.operation),
                optional(&step.op.ordering),
                optional(&step.op.value),
                step.location.file(),
                step.location.line(),
            ));
        }
        text
    }

    fn write(&mut self) {
        if let Some(settings) = settings() {
            // Nothing to do if it cannot be written: the verdict stands without it.
            let _ = std::fs::write(&settings.file, self.render());
            self.written = true;
        }
    }
}

fn recorder() -> std::sync::MutexGuard<'static, Recorder> {
    RECORDER.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Marks the main thread's first operation of each execution, and its end.
struct ExecutionMark;

impl ExecutionMark {
    fn begin() -> ExecutionMark {
        recorder().begin_execution();
        ExecutionMark
    }
}

impl Drop for ExecutionMark {
    fn drop(&mut self) {
        // The main thread's locals are dropped when its model returns: the execution
        // ended without a panic.
        let mut recorder = recorder();
        if settings().is_some_and(|settings| settings.keep == Keep::First) && recorder.recording() {
            recorder.write();
        }
    }
}

loom::thread_local! {
    static EXECUTION: ExecutionMark = ExecutionMark::begin();
}

/// The loom thread running now: 0 is the model's main thread, then 1, 2, … in the
/// order they were spawned.
fn current_thread() -> usize {
    let id = format!("{:?}", loom::thread::current().id());
    id.trim_start_matches("ThreadId(")
        .trim_end_matches(')')
        .parse()
        .unwrap_or(0)
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let earlier = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // `try_lock`: a panic while the recorder is held must not wait for itself.
            if let Ok(mut recorder) = RECORDER.try_lock()
                && recorder.recording()
            {
                recorder.write();
            }
            earlier(info);
        }));
    });
}

/// The thread running now, after starting a new execution if this is its first step.
fn enter() -> usize {
    install_panic_hook();
    let thread = current_thread();
    if thread == 0 {
        // After the main thread's locals are gone (a destructor running at its very
        // end), the execution is the one already begun.
        let _ = EXECUTION.try_with(|_| ());
    }
    thread
}

/// Notes an operation that has just happened (or, for an access loom checks for races,
/// is about to: loom stops the model inside it).
pub(crate) fn record(op: Op, location: &'static Location<'static>) {
    let thread = enter();
    let mut recorder = recorder();
    if recorder.recording() {
        let step = recorder.step(thread, op, location);
        recorder.steps.push(step);
    }
}

/// The number the next spawned thread will have, for a spawn noted before it happens
/// (the new thread may run before `spawn` returns).
pub(crate) fn next_thread() -> usize {
    enter();
    let mut recorder = recorder();
    recorder.spawned += 1;
    recorder.spawned
}

/// Notes that the running thread may block in `op` until `finished` is called.
pub(crate) fn waiting(op: Op, location: &'static Location<'static>) {
    let thread = enter();
    let mut recorder = recorder();
    if recorder.recording() {
        let mut step = recorder.step(thread, op, location);
        step.blocked = true;
        recorder.waiting.retain(|(waiter, _)| *waiter != thread);
        recorder.waiting.push((thread, step));
    }
}

/// The running thread is no longer blocked; `op` is what it did.
pub(crate) fn finished(op: Op, location: &'static Location<'static>) {
    let thread = enter();
    let mut recorder = recorder();
    recorder.waiting.retain(|(waiter, _)| *waiter != thread);
    if recorder.recording() {
        let step = recorder.step(thread, op, location);
        recorder.steps.push(step);
    }
}
