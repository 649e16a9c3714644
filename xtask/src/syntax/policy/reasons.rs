//! What the policy refuses, and why: the sentences a student reads, and the paths,
//! macros and (under loom) synchronization types each one covers. A path newly found
//! harmful is a line here, with its test below.

pub(super) const PROCESS: &str =
    "process control could end the test before its harness reports, or fake that report.";
pub(super) const ENVIRONMENT: &str = "the environment and the arguments belong to the runner; reading them lets code forge the harness's report.";
pub(super) const FILES: &str = "an exercise has no business with files: code that can write them can forge the harness's report or read other students' work.";
pub(super) const NETWORK: &str = "an exercise has no business with the network.";
pub(super) const OS: &str =
    "it reaches the operating system directly, around std's safe interfaces.";
pub(super) const FFI: &str =
    "FFI and inline assembly reach the operating system around every other rule of the kit.";
pub(in crate::syntax) const LINKER: &str =
    "linker attributes place code where the program's normal flow, and the kit, cannot see it.";
pub(in crate::syntax) const MACROS: &str = "exported macros land in the checks' crate, where they would replace the checks' own `assert!` and `panic!`.";
pub(super) const INCLUDE: &str = "it pulls in files that are not part of the exercise.";
pub(in crate::syntax) const MODULE: &str =
    "only this file is graded, so its code must be in this file.";
pub(in crate::syntax) const TESTS: &str =
    "a test in the exercise file would be counted as one of the kit's checks.";
pub(super) const CHECKS: &str = "it reaches the checks' crate, of which this file is a module, rather than the exercise's own code.";
pub(super) const UNSAFE: &str =
    "this exercise needs no unsafe code, and unsafe code could write into the checks' memory.";
pub(super) const MACRO_VARIABLE: &str = "a path, macro name, attribute or import built from a macro's variables cannot be judged where it is written; write it out.";
pub(super) const MACRO_DEFINITION: &str = "the kit judges the code as it is written, and a macro of the file's own could assemble a path, attribute or module out of its sight; write the code out.";
pub(super) const EXTERN_CRATE: &str = "`extern crate` binds a crate under a name of its choosing, or brings in its macros; name the crate by its path.";
pub(super) const REBOUND: &str = "the kit knows the attributes it allows by this name, which must mean here what it means everywhere; choose another name.";
pub(super) const PRELUDE: &str = "std's prelude holds its built-in attribute macros (`test`, `global_allocator`, …), which an import could rename; its names are in scope already.";
pub(super) const UNSOUND: &str = "it is the shape of a known hole in the compiler's checks (rust-lang/rust#25860), through which safe code can reinterpret any memory and fake the harness's verdict; an exercise never needs a reference to a reference with two lifetimes of its own.";
pub(super) const NESTED: &str = "its brackets nest deeper than any exercise needs (more than 256 levels), deeper than the kit's readers of Rust can follow.";
pub(super) const WHICH_CHECK: &str = "it can tell the code which check is calling it (the checks' names are in their closures' types, their callers' locations and their backtraces), and an answer must behave the same under every check.";
pub(super) const INTERNAL: &str = "it is a hidden helper of a dependency's macro, which builds paths from what it is given; call the macro itself.";
pub(super) const GLOB: &str = "a glob import from there would bring in what the kit does not allow under names it cannot follow; import what you need by name.";
pub(super) const UNREADABLE: &str = "the compiler builds it, but the kit's reader of Rust cannot read it, so the kit cannot judge it; write it more plainly.";
pub(super) const TANGLED: &str =
    "its aliases are too tangled for the kit to follow; import each item once, by name.";
pub(super) const CHECK_HELPERS: &str = "the checks' helpers are for the checks: an exercise that uses them is judged by what it borrowed.";
pub(super) const LOOM: &str = "loom sees only its own types, so code built on std's (or on a crate built on them: tokio, futures, rayon) would pass the model check even when racy; import it from the shim instead (`threadlings::sync`, `threadlings::cell`, `threadlings::thread`, `threadlings::hint`), which is std's in a normal build and loom's under the model check.";

/// Paths an exercise may not name, with everything under them, and why.
pub(super) const BANNED: &[(&str, &str)] = &[
    ("threadlings::check", CHECK_HELPERS),
    ("std::process", PROCESS),
    ("tokio::process", PROCESS),
    ("std::env", ENVIRONMENT),
    ("core::env", ENVIRONMENT),
    ("std::option_env", ENVIRONMENT),
    ("core::option_env", ENVIRONMENT),
    ("std::fs", FILES),
    // `Path`'s own methods (`metadata`, `read_dir`, `read_link`, `exists`) reach the
    // file system without naming `std::fs`.
    ("std::path", FILES),
    ("tokio::fs", FILES),
    ("std::io::pipe", FILES),
    ("std::io::PipeReader", FILES),
    ("std::io::PipeWriter", FILES),
    ("std::net", NETWORK),
    ("tokio::net", NETWORK),
    ("std::os", OS),
    ("tokio::signal", OS),
    ("tokio::io::unix", OS),
    ("std::arch", FFI),
    ("core::arch", FFI),
    ("std::intrinsics", FFI),
    ("core::intrinsics", FFI),
    ("std::include", INCLUDE),
    ("core::include", INCLUDE),
    ("std::include_str", INCLUDE),
    ("core::include_str", INCLUDE),
    ("std::include_bytes", INCLUDE),
    ("core::include_bytes", INCLUDE),
    ("std::prelude", PRELUDE),
    ("core::prelude", PRELUDE),
    ("tokio::test", TESTS),
    ("std::any::type_name", WHICH_CHECK),
    ("core::any::type_name", WHICH_CHECK),
    ("std::any::type_name_of_val", WHICH_CHECK),
    ("core::any::type_name_of_val", WHICH_CHECK),
    ("std::panic::Location", WHICH_CHECK),
    ("core::panic::Location", WHICH_CHECK),
    ("std::backtrace", WHICH_CHECK),
    // The macros that turn what they are given into a path, each behind a public
    // macro that gives them only what it has checked (ARCHITECTURE.md, "Trusting a
    // test run"): tokio's `select_variant!` appends a path it is given to its own.
    ("tokio::select_variant", INTERNAL),
    ("tokio::count", INTERNAL),
    ("tokio::count_field", INTERNAL),
    ("tokio::select_priv_declare_output_enum", INTERNAL),
    ("tokio::select_priv_clean_pattern", INTERNAL),
    ("tokio::__task_local_inner", INTERNAL),
    ("loom::__thread_local_inner", INTERNAL),
    ("loom::__lazy_static_internal", INTERNAL),
];

/// What loom cannot see, refused under the loom check: std's synchronization, and the
/// crates whose types hold std's atomics and locks inside.
pub(super) const LOOM_BANNED: [&str; 15] = [
    "std::sync",
    "core::sync",
    "alloc::sync",
    "std::cell::UnsafeCell",
    "core::cell::UnsafeCell",
    "std::cell::Cell",
    "core::cell::Cell",
    "std::cell::OnceCell",
    "core::cell::OnceCell",
    "std::hint::spin_loop",
    "core::hint::spin_loop",
    "tokio",
    "futures",
    "rayon",
    "std::thread",
];

/// Under loom, what the shim itself takes from std.
pub(super) const LOOM_ALLOWED: [&str; 2] = [
    "std::sync::atomic::Ordering",
    "core::sync::atomic::Ordering",
];

/// Macros of std's prelude that reach what `BANNED` refuses when called without a
/// path, and the path the catalog allows them by.
pub(super) const BANNED_MACROS: [(&str, &str); 8] = [
    ("env", "std::env"),
    ("option_env", "std::option_env"),
    ("include", "std::include"),
    ("include_str", "std::include_str"),
    ("include_bytes", "std::include_bytes"),
    ("asm", "std::arch::asm"),
    ("global_asm", "std::arch::global_asm"),
    ("naked_asm", "std::arch::naked_asm"),
];

#[cfg(test)]
mod tests {
    use super::super::tests::{allowed, refusals, refused};
    use super::*;
    use crate::syntax::attributes;

    #[test]
    fn process_control_is_refused_however_the_path_is_written() {
        refused("fn f() { std::process::exit(0) }", 1, PROCESS);
        refused("fn f() { ::std::process::exit(0) }", 1, PROCESS);
        refused("fn f() {\n return ::std::process::exit(0); }", 2, PROCESS);
        refused(
            "fn f(a: u8) -> bool { a > ::std::process::exit(0) }",
            1,
            PROCESS,
        );
        refused("fn f() { r#std::r#process::exit(0) }", 1, PROCESS);
        refused("fn f() { std/* a */::/**/process :: exit(0) }", 1, PROCESS);
        refused(
            "fn f() { <std::process::Command>::new(\"x\"); }",
            1,
            PROCESS,
        );
        refused(
            "use std::process::{self as p};\nfn f() { p::exit(0) }",
            1,
            PROCESS,
        );
        refused(
            "fn f() { tokio::process::Command::new(\"sh\"); }",
            1,
            PROCESS,
        );
    }

    /// A wrong answer that keys off the check calling it: the name of the check is in
    /// the type of the closure it passes, in its caller's location under
    /// `#[track_caller]`, and in a backtrace.
    #[test]
    fn what_names_the_calling_check_is_refused() {
        refused(
            "pub fn run<F: FnOnce()>(f: F) { if std::any::type_name::<F>().contains(\"same_time\") {} f() }",
            1,
            WHICH_CHECK,
        );
        refused(
            "use std::any;\npub fn run<F: FnOnce()>(f: F) { any::type_name_of_val(&f); f() }",
            2,
            WHICH_CHECK,
        );
        refused(
            "#[track_caller]\npub fn run() -> u32 { std::panic::Location::caller().line() }",
            2,
            WHICH_CHECK,
        );
        refused(
            "use std::panic::Location as L;\npub fn run() { L::caller(); }",
            1,
            WHICH_CHECK,
        );
        refused(
            "pub fn run() { std::backtrace::Backtrace::force_capture(); }",
            1,
            WHICH_CHECK,
        );
    }

    #[test]
    fn paths_of_the_file_system_are_refused_with_their_methods() {
        refused(
            "pub fn f() -> bool { std::path::Path::new(\"/proc/1\").exists() }",
            1,
            FILES,
        );
        refused(
            "use std::path::Path;\npub fn f() -> bool { Path::new(\"/\").is_dir() }",
            1,
            FILES,
        );
    }

    #[test]
    fn the_environment_files_network_and_os_are_refused() {
        refused("fn f() { std::env::args(); }", 1, ENVIRONMENT);
        refused("const X: &str = env!(\"HOME\");", 1, ENVIRONMENT);
        refused("fn f() { option_env!(\"HOME\"); }", 1, ENVIRONMENT);
        refused("fn f() { std::fs::write(\"log\", \"ok\"); }", 1, FILES);
        refused(
            "async fn f() { tokio::fs::write(\"log\", \"ok\").await; }",
            1,
            FILES,
        );
        refused("use std::net::TcpStream;", 1, NETWORK);
        refused("use std::os::fd::FromRawFd;", 1, OS);
        refused("const S: &str = include_str!(\"/etc/passwd\");", 1, INCLUDE);
        refused(
            "#[doc = include_str!(\"../../solutions/x.rs\")]\nfn f() {}",
            1,
            INCLUDE,
        );
    }

    #[test]
    fn ffi_linker_attributes_modules_and_tests_are_refused() {
        refused("unsafe extern \"C\" { fn _exit(code: i32) -> !; }", 1, FFI);
        refused("extern crate std as s;", 1, EXTERN_CRATE);
        refused("use core::arch::asm;", 1, FFI);
        refused("fn f() { asm!(\"nop\"); }", 1, FFI);
        refused("#[unsafe(no_mangle)]\npub fn main() {}", 1, LINKER);
        refused("#[export_name = \"main\"]\npub fn m() {}", 1, LINKER);
        refused(
            "#[used]\n#[unsafe(link_section = \".init_array\")]\nstatic F: fn() = f;",
            1,
            LINKER,
        );
        refused("#[global_allocator]\nstatic A: A = A;", 1, LINKER);
        refused("mod other;", 1, MODULE);
        refused(
            "#[path = \"../../solutions/01_article/spawn_join.rs\"]\nmod s {}",
            1,
            MODULE,
        );
        refused("#[test]\nfn free_points() {}", 1, TESTS);
        refused("#[tokio::test]\nasync fn free_points() {}", 1, TESTS);
        refused(
            "#[cfg_attr(not(any()), test)]\nfn free_points() {}",
            1,
            attributes::NOT_ALLOWED,
        );
        refused(
            "#[no_implicit_prelude]\nmod m {}",
            1,
            attributes::NOT_ALLOWED,
        );
    }

    /// The dependencies whose exported macros were read for any that turns what it is
    /// given into a path, attribute, module or file read (ARCHITECTURE.md, "Trusting a
    /// test run"), in the versions read.
    const READ: [(&str, &str); 9] = [
        ("tokio", "1.54.1"),
        ("tokio-macros", "2.7.2"),
        ("futures", "0.3.34"),
        ("futures-util", "0.3.34"),
        ("futures-core", "0.3.34"),
        ("futures-macro", "0.3.34"),
        ("rayon", "1.12.0"),
        ("rayon-core", "1.13.0"),
        ("loom", "0.7.3"),
    ];

    /// A new version's macros are read again before `Cargo.lock` takes it: until then,
    /// this fails.
    #[test]
    fn the_dependencies_macros_were_read_in_the_locked_versions() {
        let lock = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock");
        let lock: toml::Table = std::fs::read_to_string(lock).unwrap().parse().unwrap();
        let locked: Vec<(String, String)> = lock["package"]
            .as_array()
            .unwrap()
            .iter()
            .map(|package| {
                let field = |key: &str| package[key].as_str().unwrap().to_string();
                (field("name"), field("version"))
            })
            .collect();
        for (name, version) in READ {
            let versions: Vec<&str> = locked
                .iter()
                .filter(|(locked, _)| locked == name)
                .map(|(_, version)| version.as_str())
                .collect();
            assert_eq!(
                versions,
                [version],
                "{name}'s macros were read in {version}: read those of the locked version, \
                 and the policy's list of refused macros, before taking it"
            );
        }
    }

    #[test]
    fn the_dependencies_hidden_macro_helpers_are_refused() {
        refused(
            "mod m { pub use std as _0; }\nfn f() { tokio::select_variant!(m, () ::process::exit)(0) }",
            2,
            INTERNAL,
        );
        refused("use tokio::count_field;", 1, INTERNAL);
        refused(
            "loom::__lazy_static_internal!(() static ref X: u8 = 0;);",
            1,
            INTERNAL,
        );
        refused("use loom::*;", 1, GLOB);
        allowed(
            "async fn f() { tokio::join!(async {}, async {}); tokio::select! { _ = async {} => {} } }",
        );
    }

    #[test]
    fn the_catalog_allows_single_items() {
        let source = "fn f() { std::env::var(\"X\"); }\nfn g() { std::env::args(); }";
        let found = refusals(source, &["std::env::var"], false);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].line, 2);
        let found = refusals(
            "const D: &str = env!(\"CARGO_MANIFEST_DIR\");",
            &["std::env"],
            false,
        );
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn under_loom_std_synchronization_is_refused_whatever_the_path() {
        let loom = |source: &str| refusals(source, &["unsafe"], true);
        for source in [
            "use std::sync::atomic::{AtomicBool, Ordering};",
            "use ::std::sync::atomic::AtomicBool;",
            "use std as s;\nuse s::sync::atomic::AtomicBool;",
            "use std::cell::UnsafeCell;",
            "fn f() { std::thread::spawn(|| {}); }",
            "use core::{cell::UnsafeCell, mem};",
            "const Q: char = '\"'; use std::sync::Mutex;",
        ] {
            let found = loom(source);
            assert!(
                found.iter().any(|refusal| refusal.why == LOOM),
                "{source}: {found:#?}"
            );
        }
        // A std atomic reached through a type that holds one, without naming std.
        let borrowed = loom("struct L { flag: threadlings::check::DropCounter }");
        assert!(!borrowed.is_empty(), "{borrowed:#?}");
        assert!(
            loom("use futures::channel::oneshot;")
                .iter()
                .any(|r| r.why == LOOM)
        );
        let shim = "use threadlings::sync::atomic::{AtomicBool, Ordering as O};\nuse std::sync::atomic::Ordering;\nuse threadlings::cell::UnsafeCell;\nfn f() { threadlings::hint::spin_loop(); }";
        assert!(loom(shim).is_empty(), "{:#?}", loom(shim));
        assert!(refusals("use std::sync::Mutex;", &[], false).is_empty());
    }
}
