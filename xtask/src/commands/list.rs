//! `cargo xtask list`: every exercise by chapter, marking the passed ones and the
//! current one, from the progress cache alone (nothing is built).

use crate::Exit;
use crate::engine::discover_kit;
use crate::model::progress::Progress;
use crate::report::list;

pub fn list() -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    let progress = Progress::load(&kit);
    list::print(&kit, &progress);
    Ok(Exit::Success)
}
