//! Helpers that let a check observe concurrent behaviour deterministically, without
//! timing a computation or sleeping for ordering. One module per concern, each
//! re-exported here, so that a check names every helper `threadlings::check::NAME`:
//!
//! - `anonymous`: running a check's body on a thread with no name, so that the code
//!   under test cannot tell which check runs it ([`anonymously`]).
//! - `rendezvous`: [`Rendezvous`], proof that threads ran at the same time, and
//!   [`PATIENCE`], how long a check waits for what should happen at once.
//! - `interleavings`: [`Interleavings`], proof that a check's worker threads got in
//!   between one another's calls often enough for a race to show, however busy the
//!   machine.
//! - `panics`: the payload and text of a panic, and keeping the panics a check causes
//!   on purpose out of the output.
//! - `endings`: how a call or a thread ended within some patience (returned, panicked or
//!   still running), and whether a panic reached the caller unchanged.
//! - `threads`: whether a call waited for the threads it started, whether a thread
//!   parked or polled while it had nothing to do, and [`SILENCE`], how long a quiet
//!   channel stays open to tell a hang-up from a timeout.
//! - `memory`: an allocator that counts live bytes and [`Bulky`] allocations, and
//!   [`DropCounter`].
//! - `order`: jobs that finish last to first ([`FinishInReverse`]), so that results
//!   handed back in the order they finished are seen for what they are.
//! - `pools`: rayon pools of the check's size, and where a callback ran.
//! - `runtime`: a tokio runtime on a paused clock that counts its wake-ups, and a task
//!   that answers only while the runtime has a thread free.
//! - `spans`: when each of a check's tasks ran on tokio's clock, to show a check's tasks
//!   running one after another.
//! - `polls`: how long a future's polls held their thread, and polling by hand.
//! - `loom_models` (with the `loom` feature): a model whose interleavings may take only
//!   so many steps, which fails a poller; and `Payload`, data whose every access loom
//!   sees however the code under test keeps it.

mod anonymous;
mod endings;
mod interleavings;
#[cfg(feature = "loom")]
mod loom_models;
mod memory;
mod order;
mod panics;
mod polls;
mod pools;
mod rendezvous;
mod runtime;
mod spans;
mod threads;

pub use anonymous::{Clock, anonymously, anonymously_async};
pub use endings::{
    Ending, assert_passes_the_panic_on, ending_within, joins_within, panic_reaching_the_caller,
    returns_within,
};
pub use interleavings::{INTERLEAVINGS, Interleavings, Worker};
#[cfg(feature = "loom")]
pub use loom_models::{Payload, model_within_steps};
pub use memory::{
    BULKY_SIZE, Bulky, CountingAllocator, DropCounter, live_bulky_allocations, live_bytes,
};
pub use order::FinishInReverse;
pub use panics::{
    DeliberatePanic, panic_text, quiet_deliberate_panics, quiet_panics_on_this_thread,
};
pub use polls::{HELD_TOO_LONG, WakeCounter, poll_once, thread_time};
pub use pools::{PoolWitness, rayon_global_pool_of_one, two_thread_pool};
pub use rendezvous::{PATIENCE, Rendezvous};
pub use runtime::{Responder, Wakeups, paused_runtime, run_paused, run_paused_within};
pub use spans::Spans;
pub use threads::{
    FALL_ASLEEP, LINGER, SILENCE, ThreadEnds, leave_wake_up_token, parked_since_token_left,
    set_when_this_thread_ends,
};
