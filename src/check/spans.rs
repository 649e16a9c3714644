//! When each of a check's tasks ran, on tokio's clock (the paused clock in the checks):
//! a check that drives tasks itself and finds that they ran one after another shows each
//! task's span, for example `fetch 2 0.5–0.9 s`.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// The spans of named tasks, counted from when the `Spans` was made. Make it on the
/// runtime whose clock it reads.
#[derive(Debug)]
pub struct Spans {
    start: Instant,
    spans: Mutex<Vec<Span>>,
}

#[derive(Debug, Clone)]
struct Span {
    name: String,
    began: Duration,
    /// `None` while the task runs.
    ended: Option<Duration>,
}

impl Default for Spans {
    fn default() -> Self {
        Spans::new()
    }
}

impl Spans {
    pub fn new() -> Spans {
        Spans {
            start: Instant::now(),
            spans: Mutex::new(Vec::new()),
        }
    }

    /// Awaits `task`, noting when it began and when it ended as `name`.
    pub async fn run<F: Future>(&self, name: impl Into<String>, task: F) -> F::Output {
        let index = {
            let mut spans = self.spans.lock().unwrap_or_else(PoisonError::into_inner);
            spans.push(Span {
                name: name.into(),
                began: self.start.elapsed(),
                ended: None,
            });
            spans.len() - 1
        };
        let output = task.await;
        let ended = self.start.elapsed();
        self.spans.lock().unwrap_or_else(PoisonError::into_inner)[index].ended = Some(ended);
        output
    }
}

/// `one 0.0–1.0 s, two 1.0–2.0 s`, in the order the tasks began; a task still running
/// ends in `…`.
impl fmt::Display for Spans {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut spans = self
            .spans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        spans.sort_by_key(|span| span.began);
        let shown: Vec<String> = spans
            .iter()
            .map(|span| {
                let ended = span.ended.map_or("…".to_string(), |ended| {
                    format!("{:.1}", ended.as_secs_f64())
                });
                format!("{} {:.1}–{ended} s", span.name, span.began.as_secs_f64())
            })
            .collect();
        f.write_str(&shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::sleep;

    fn paused() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap()
    }

    #[test]
    fn tasks_awaited_in_turn_show_one_span_after_the_other() {
        let shown = paused().block_on(async {
            let spans = Spans::new();
            spans.run("task_one", sleep(Duration::from_secs(1))).await;
            spans.run("task_two", sleep(Duration::from_secs(1))).await;
            spans.to_string()
        });
        assert_eq!(shown, "task_one 0.0–1.0 s, task_two 1.0–2.0 s");
    }

    #[test]
    fn tasks_awaited_together_show_overlapping_spans() {
        let shown = paused().block_on(async {
            let spans = Spans::new();
            let one = spans.run("task_one", sleep(Duration::from_millis(1500)));
            let two = spans.run("task_two", sleep(Duration::from_secs(1)));
            futures::join!(one, two);
            spans.to_string()
        });
        assert_eq!(shown, "task_one 0.0–1.5 s, task_two 0.0–1.0 s");
    }
}
