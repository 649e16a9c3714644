//! `cargo xtask handout OUT`: writes the students' copy of the kit. It has no
//! solutions (nor the instructor's tooling that checks them); `next`, `watch`, `hint`,
//! `cargo test` and the IDE work on it as on the full copy, and what students hand
//! in from it is graded against the instructor's full copy.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::Exit;
use crate::engine::discover_kit;
use crate::model::catalog::CATALOG_PATH;
use crate::model::handout::{HANDOUT_PATH, Handout, LEFT_OUT, SolutionCommand, trim_hints};
use crate::model::kit::{files_of_checkout, slashed};

#[derive(Debug, Clone, clap::Args)]
pub struct HandoutRequest {
    /// The folder to write the copy to; it must not exist yet.
    pub out: PathBuf,
    /// What `cargo xtask solution` does in the copy.
    #[arg(long, value_enum, default_value = "disabled")]
    pub solution: SolutionCommand,
    /// How many hint levels of each exercise the copy keeps; all when left out.
    #[arg(long, value_name = "N")]
    pub hints: Option<usize>,
}

pub fn handout(request: &HandoutRequest) -> anyhow::Result<Exit> {
    let kit = discover_kit()?;
    if request.out.exists() {
        bail!(
            "{} exists already: name a folder for the new copy",
            request.out.display()
        );
    }
    let out =
        std::path::absolute(&request.out).with_context(|| request.out.display().to_string())?;
    if out.starts_with(&kit.root) && !out.starts_with(kit.root.join("target")) {
        bail!("the copy cannot go inside the kit (but under target/)");
    }
    let mut copied = 0;
    for file in kit_files(&kit.root)? {
        let relative = slashed(file.strip_prefix(&kit.root).expect("under the root"));
        if is_left_out(&relative) {
            continue;
        }
        let to = out.join(&relative);
        std::fs::create_dir_all(to.parent().expect("a file has a folder"))
            .with_context(|| format!("cannot create {}", to.display()))?;
        let content =
            std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        let content = match request.hints {
            Some(levels) if relative == CATALOG_PATH => {
                trim_hints(&content, levels).context(CATALOG_PATH)?
            }
            _ => content,
        };
        std::fs::write(&to, content).with_context(|| format!("cannot write {}", to.display()))?;
        copied += 1;
    }
    let settings = Handout {
        solution: request.solution,
        hint_levels: request.hints,
    };
    let text = format!(
        "# Written by `cargo xtask handout`: this is the students' copy of the kit.\n{}",
        toml::to_string(&settings).expect("settings serialize")
    );
    std::fs::write(out.join(HANDOUT_PATH), text)
        .with_context(|| format!("cannot write {HANDOUT_PATH}"))?;
    println!(
        "wrote the students' copy to {} ({copied} files, no solutions)",
        out.display()
    );
    Ok(Exit::Success)
}

fn is_left_out(relative: &str) -> bool {
    LEFT_OUT
        .iter()
        .any(|top| relative == *top || relative.starts_with(&format!("{top}/")))
}

/// The kit's files, without descending into the folders left out (`target/` is large).
fn kit_files(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    files_of_checkout(root, is_left_out)
}
