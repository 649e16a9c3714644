//! Linux alone, through safe crates: the test's user, PID and network namespaces once
//! created (their id maps), Landlock (files, TCP, signals, through the `landlock`
//! crate) and the system calls a test may not make (a seccomp filter, through
//! `seccompiler`). This file has no `unsafe`; `unix.rs` makes the namespaces and forks.

use crate::os::Confinement;
use std::collections::BTreeMap;

use anyhow::Context;

use landlock::{
    ABI, Access, AccessFs, AccessNet, BitFlags, CompatLevel, Compatible, Ruleset, RulesetAttr,
    RulesetCreatedAttr, Scope, path_beneath_rules,
};
use seccompiler::{
    SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule,
    TargetArch,
};

/// The namespaces a test gets: its own users (so that it may have the others without
/// privilege), process ids (it and everything it starts die with the sandbox's init,
/// and it sees no process outside), network (no interface but a loopback that is down)
/// and System V IPC.
pub const NAMESPACES: libc::c_int = libc::CLONE_NEWUSER
    | libc::CLONE_NEWPID
    | libc::CLONE_NEWNET
    | libc::CLONE_NEWIPC
    | libc::CLONE_NEWNS;

/// Maps the sandbox's user and group to themselves inside its new user namespace (root
/// to an ordinary user), so that the test, once it has executed, holds no capability
/// even inside its own namespaces.
pub fn write_id_maps(uid: u32, gid: u32) -> anyhow::Result<()> {
    let inside = |id: u32| if id == 0 { 1000 } else { id };
    let write = |file: &str, content: String| {
        std::fs::write(file, content)
            .with_context(|| format!("cannot write {file} for the test's namespace"))
    };
    write("/proc/self/setgroups", "deny".into())?;
    write("/proc/self/uid_map", format!("{} {uid} 1", inside(uid)))?;
    write("/proc/self/gid_map", format!("{} {gid} 1", inside(gid)))
}

/// The file rights the ruleset handles: every file-system right of Landlock's first
/// ABI, moving files between folders (ABI 2: without it, a kernel refuses every such
/// move, which the compiler makes) and truncation (ABI 3). A kernel without one of
/// them enforces the others.
fn handled_files() -> BitFlags<AccessFs> {
    AccessFs::from_all(ABI::V2) | AccessFs::Truncate
}

/// Restricts this process (and what it executes) to the confinement's files; where the kernel can, also to no TCP at all (ABI 4) and to
/// signalling only processes inside its own domain (ABI 6). A kernel without Landlock
/// leaves these unconfined, which `check`'s footnote says (`unenforced`).
pub fn confine_files(confinement: &Confinement) -> anyhow::Result<()> {
    const FAIL: &str = "cannot confine the test's file access";
    Ruleset::default()
        .handle_access(handled_files())
        .context(FAIL)?
        .handle_access(AccessNet::from_all(ABI::V4))
        .context(FAIL)?
        .scope(Scope::from_all(ABI::V6))
        .context(FAIL)?
        .create()
        .context(FAIL)?
        .add_rules(path_beneath_rules(
            &confinement.readable,
            AccessFs::from_read(ABI::V1),
        ))
        .context(FAIL)?
        .add_rules(path_beneath_rules(&confinement.writable, handled_files()))
        .context(FAIL)?
        .add_rules(path_beneath_rules(
            &confinement.write_only,
            handled_files() & !(AccessFs::ReadFile | AccessFs::Execute),
        ))
        .context(FAIL)?
        .restrict_self()
        .context(FAIL)?;
    Ok(())
}

/// Whether this kernel's Landlock enforces what `ask` adds to a ruleset.
fn landlock_enforces(ask: impl FnOnce(Ruleset) -> Result<Ruleset, landlock::RulesetError>) -> bool {
    ask(Ruleset::default().set_compatibility(CompatLevel::HardRequirement))
        .and_then(|ruleset| ruleset.create())
        .is_ok()
}

/// What this kernel's Landlock cannot confine, in words for `check`'s footnote.
pub fn landlock_gaps() -> Vec<&'static str> {
    if !landlock_enforces(|ruleset| ruleset.handle_access(AccessFs::from_all(ABI::V1))) {
        return vec!["files outside their scratch folder (the kernel has no Landlock)"];
    }
    let mut gaps = Vec::new();
    if !landlock_enforces(|ruleset| ruleset.handle_access(AccessNet::from_all(ABI::V4))) {
        gaps.push("TCP where there is no network namespace (Landlock before 6.7)");
    }
    if !landlock_enforces(|ruleset| ruleset.scope(Scope::from_all(ABI::V6))) {
        gaps.push("signals where there is no PID namespace (Landlock before 6.12)");
    }
    gaps
}

/// The architecture's name for seccomp; `None` where the filter cannot be built.
fn architecture() -> Option<TargetArch> {
    TargetArch::try_from(std::env::consts::ARCH).ok()
}

/// Whether this system can keep a test from making the calls `forbid_calls` names.
pub fn has_seccomp() -> bool {
    architecture().is_some()
}

/// System calls no test of a concurrency exercise makes, refused with `EPERM`: starting
/// a program (but for `execve` of `allowed_path`, the one the sandbox makes next:
/// the address of its path is known only to this process, and the test's own memory is
/// new after it), new processes (threads are made as ever), sockets of any kind
/// (tokio's wake-up pairs are `socketpair`s), io_uring (which makes system calls of its
/// own), reading or writing other processes, new namespaces, mounts, the kernel's
/// keyrings, BPF and performance counters, every call of the x32 ABI, and signals to
/// every process at once (`kill(-1)`) or, given as `runner`, to the runner and its
/// process group.
pub fn forbid_calls(
    allowed_path: *const libc::c_char,
    runner: Option<(libc::pid_t, libc::pid_t)>,
) -> anyhow::Result<()> {
    let Some(arch) = architecture() else {
        return Ok(());
    };
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = [
        libc::SYS_execveat,
        libc::SYS_socket,
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
    ]
    .into_iter()
    .map(|call| (call, Vec::new()))
    .collect();
    #[cfg(target_arch = "x86_64")]
    for call in [libc::SYS_fork, libc::SYS_vfork] {
        rules.insert(call, Vec::new());
    }
    rules.extend(calls_with_arguments(allowed_path, runner)?);
    apply(rules, libc::EPERM, arch)?;
    #[cfg(target_arch = "x86_64")]
    seccompiler::apply_filter(&no_x32_calls()).context("cannot apply the test's filter")?;
    // `clone3` keeps its flags in memory, out of the filter's sight: refused as if the
    // kernel lacked it, so that the C library makes threads with `clone`.
    apply([(libc::SYS_clone3, Vec::new())].into(), libc::ENOSYS, arch)
}

/// The calls `forbid_calls` refuses for some arguments only: `execve` of another path,
/// `clone` of a process rather than a thread, and the signals.
fn calls_with_arguments(
    allowed_path: *const libc::c_char,
    runner: Option<(libc::pid_t, libc::pid_t)>,
) -> anyhow::Result<BTreeMap<i64, Vec<SeccompRule>>> {
    let rule = |length, comparison, value| {
        SeccompCondition::new(0, length, comparison, value)
            .and_then(|condition| SeccompRule::new(vec![condition]))
            .context(BUILD_FAIL)
    };
    let first_argument_is = |value: libc::pid_t| {
        rule(
            SeccompCmpArgLen::Dword,
            SeccompCmpOp::Eq,
            value as u32 as u64,
        )
    };
    let mut rules = BTreeMap::new();
    rules.insert(
        libc::SYS_execve,
        vec![rule(
            SeccompCmpArgLen::Qword,
            SeccompCmpOp::Ne,
            allowed_path as u64,
        )?],
    );
    // New processes, as opposed to threads: a test has no use for them, and each would
    // bring a memory limit of its own.
    rules.insert(
        libc::SYS_clone,
        vec![rule(
            SeccompCmpArgLen::Qword,
            SeccompCmpOp::MaskedEq(libc::CLONE_THREAD as u64),
            0,
        )?],
    );
    let mut kill = vec![first_argument_is(-1)?];
    if let Some((pid, group)) = runner {
        kill.extend([first_argument_is(pid)?, first_argument_is(-group)?]);
        for call in [libc::SYS_tkill, libc::SYS_tgkill, libc::SYS_pidfd_open] {
            rules.insert(call, vec![first_argument_is(pid)?]);
        }
    }
    rules.insert(libc::SYS_kill, kill);
    Ok(rules)
}

/// A filter that refuses, with `EPERM`, every system call of the x32 ABI: the same
/// calls under other numbers (with bit 30 set), which the filters above, keyed by
/// number, would let through on kernels that have that ABI.
#[cfg(target_arch = "x86_64")]
fn no_x32_calls() -> seccompiler::BpfProgram {
    use seccompiler::sock_filter;
    const LOAD_WORD: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
    const JUMP_IF_EQUAL: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
    const JUMP_IF_AT_LEAST: u16 = 0x35; // BPF_JMP | BPF_JGE | BPF_K
    const RETURN: u16 = 0x06; // BPF_RET | BPF_K
    const ARCH_X86_64: u32 = 62 | 0x8000_0000 | 0x4000_0000;
    const X32_BIT: u32 = 0x4000_0000;
    let step = |code, jt, jf, k| sock_filter { code, jt, jf, k };
    vec![
        // seccomp_data: the call's number at offset 0, the architecture at 4.
        step(LOAD_WORD, 0, 0, 4),
        step(JUMP_IF_EQUAL, 0, 3, ARCH_X86_64),
        step(LOAD_WORD, 0, 0, 0),
        step(JUMP_IF_AT_LEAST, 0, 1, X32_BIT),
        step(RETURN, 0, 0, 0x0005_0000 | libc::EPERM as u32), // SECCOMP_RET_ERRNO
        step(RETURN, 0, 0, 0x7fff_0000),                      // SECCOMP_RET_ALLOW
    ]
}

/// Applies a filter that refuses the calls `rules` match with `errno`.
fn apply(
    rules: BTreeMap<i64, Vec<SeccompRule>>,
    errno: libc::c_int,
    arch: TargetArch,
) -> anyhow::Result<()> {
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(errno as u32),
        arch,
    )
    .context(BUILD_FAIL)?;
    let program: seccompiler::BpfProgram = filter.try_into().context(BUILD_FAIL)?;
    seccompiler::apply_filter(&program).context("cannot apply the test's filter")
}

const BUILD_FAIL: &str = "cannot build the test's filter";
