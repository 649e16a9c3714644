//! The build's sandbox (what a build may read and write), and this runner's own
//! executable, which confines builds and test processes through hidden subcommands.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::Runner;
use crate::model::kit::Kit;
use crate::os::sandbox::BuildSandbox;

/// What a build may read besides the tree it builds: the kit's build files, library,
/// checks and runner (cargo reads the whole workspace's manifests), never its
/// `solutions/`, its `.git` or a class folder inside it.
const KIT_BUILD_FILES: [&str; 9] = [
    "Cargo.toml",
    "Cargo.lock",
    "src",
    "tests",
    "exercises",
    "xtask",
    ".cargo",
    "rust-toolchain",
    "rust-toolchain.toml",
];

impl Runner<'_> {
    pub(super) fn build_sandbox(&self, tree: &Path) -> anyhow::Result<BuildSandbox> {
        build_sandbox(self.kit, &self.runner_executable, tree)
    }
}

/// The sandbox of a build of `tree` (this runner's executable confines it): it reads
/// the kit's build files, the tree, the toolchain and cargo's home; it writes the
/// target directory (reading back only what cargo and trybuild build there, not the
/// other trees) and cargo's home.
pub fn build_sandbox(kit: &Kit, runner: &Path, tree: &Path) -> anyhow::Result<BuildSandbox> {
    let target = kit.target_dir();
    let scratch = kit.state_dir().join("build-tmp");
    std::fs::create_dir_all(&scratch)
        .with_context(|| format!("cannot create {}", scratch.display()))?;
    let home = |variable: &str, default: &str| {
        std::env::var_os(variable)
            .map(PathBuf::from)
            .or_else(|| std::env::home_dir().map(|home| home.join(default)))
    };
    let cargo_home = home("CARGO_HOME", ".cargo");
    let mut read: Vec<PathBuf> = KIT_BUILD_FILES
        .iter()
        .map(|file| kit.root.join(file))
        .collect();
    read.extend(home("RUSTUP_HOME", ".rustup"));
    // cargo reads the configuration of every folder above the one it builds in.
    read.extend(
        tree.ancestors()
            .chain(kit.root.ancestors())
            .map(|folder| folder.join(".cargo")),
    );
    // Made now: a folder the build makes inside the target directory would be one of
    // its files to write but not to read back.
    for folder in ["debug", "tests"] {
        let folder = target.join(folder);
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
    }
    let mut write: Vec<PathBuf> = ["debug", "tests", ".rustc_info.json"]
        .iter()
        .map(|inside| target.join(inside))
        .collect();
    write.extend(cargo_home);
    if tree.starts_with(&target) {
        write.push(tree.to_path_buf());
    } else {
        read.push(tree.to_path_buf());
    }
    Ok(BuildSandbox {
        runner: runner.to_path_buf(),
        read,
        write,
        write_only: vec![target],
        scratch,
    })
}

/// This runner's executable. Rebuilt while it runs (by `cargo xtask` in another
/// terminal, say), it is the new one at the same path: Linux names the old one
/// "PATH (deleted)".
pub fn own_executable() -> anyhow::Result<PathBuf> {
    let path = std::env::current_exe().context("cannot find the runner's own executable")?;
    let text = path.to_string_lossy();
    Ok(match text.strip_suffix(" (deleted)") {
        Some(original) => PathBuf::from(original),
        None => path,
    })
}
