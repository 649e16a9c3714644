//! What Windows' exit codes for a crashed process mean. A process that crashes on
//! Windows ends with an `NTSTATUS` code as its exit code, where unix would name a
//! signal.

/// `STATUS_CONTROL_C_EXIT`: how a console program interrupted by Ctrl-C ends.
pub const CONTROL_C_EXIT: u32 = 0xC000_013A;

/// The meaning of an exit code that is a Windows status, in a few words; `None` for an
/// ordinary exit code.
pub fn meaning(code: u32) -> Option<&'static str> {
    Some(match code {
        0xC000_0005 => "an access violation: invalid memory access",
        0xC000_00FD => "a stack overflow",
        0xC000_0409 => "the process aborted (a fail-fast exit, as `std::process::abort` makes)",
        0xC000_001D => "an illegal instruction",
        0xC000_0094 => "an integer division by zero",
        0xC000_0095 => "an integer overflow",
        0xC000_0017 | 0xC000_012D => "out of memory",
        0xC000_0374 => "the heap was corrupted",
        0x8000_0003 => "a breakpoint",
        0xC000_0135 => "a DLL it needs was not found",
        0xC000_0139 => "an entry point of a DLL was not found",
        0xC000_0142 => "a DLL failed to initialize",
        CONTROL_C_EXIT => "interrupted by Ctrl-C",
        _ => return None,
    })
}

/// "exit code 3", or "exit code 0xC00000FD (a stack overflow)".
pub fn describe(code: u32) -> String {
    match meaning(code) {
        Some(meaning) => format!("exit code {code:#010X} ({meaning})"),
        None => format!("exit code {}", code as i32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crashes_are_described_in_windows_terms() {
        assert_eq!(
            describe(0xC000_0005),
            "exit code 0xC0000005 (an access violation: invalid memory access)"
        );
        assert_eq!(
            describe(0xC000_00FD),
            "exit code 0xC00000FD (a stack overflow)"
        );
        assert!(describe(0xC000_0409).contains("aborted"));
    }

    #[test]
    fn ordinary_exit_codes_stay_numbers() {
        assert_eq!(describe(0), "exit code 0");
        assert_eq!(describe(101), "exit code 101");
        assert_eq!(describe(u32::MAX), "exit code -1");
    }
}
