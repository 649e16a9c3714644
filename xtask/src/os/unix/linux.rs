//! Linux alone: file confinement by Landlock (5.13 and later), through the `landlock`
//! crate, which holds its system calls; this file has no `unsafe`.

use std::path::Path;

use landlock::{
    ABI, Access, AccessFs, BitFlags, CompatLevel, Compatible, Ruleset, RulesetAttr,
    RulesetCreatedAttr, path_beneath_rules,
};

/// The rights the ruleset handles: every file-system right of Landlock's first ABI,
/// and truncation where the kernel has it (ABI 3). A kernel without one of them
/// enforces the others.
fn handled() -> BitFlags<AccessFs> {
    AccessFs::from_all(ABI::V1) | AccessFs::Truncate
}

/// Restricts this process (and what it executes) to reading `readable` and reading and
/// writing `writable`. A kernel without Landlock leaves the files unconfined, which
/// `check`'s footnote says (`has_landlock`).
pub fn confine_files(readable: &[&Path], writable: &Path) -> Result<(), String> {
    let fail =
        |err: landlock::RulesetError| format!("cannot confine the test's file access: {err}");
    Ruleset::default()
        .handle_access(handled())
        .map_err(fail)?
        .create()
        .map_err(fail)?
        .add_rules(path_beneath_rules(readable, AccessFs::from_read(ABI::V1)))
        .map_err(fail)?
        .add_rules(path_beneath_rules([writable], handled()))
        .map_err(fail)?
        .restrict_self()
        .map_err(fail)?;
    Ok(())
}

/// Whether this kernel can confine a test's files.
pub fn has_landlock() -> bool {
    Ruleset::default()
        .set_compatibility(CompatLevel::HardRequirement)
        .handle_access(AccessFs::from_all(ABI::V1))
        .and_then(|ruleset| ruleset.create())
        .is_ok()
}
