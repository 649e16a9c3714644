//! Listing and reading folders without trusting them, as a student's submission must
//! be read: no symbolic link is followed, to a file or a folder; only regular files are
//! opened, never a named pipe, socket or device, and never more than a cap is read; a
//! listing stops after so many entries and so many levels, and says what it left out.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How far a listing goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries of every kind (files, folders, links) looked at before the listing stops.
    pub entries: usize,
    /// How many levels of folders below the root are listed.
    pub depth: usize,
}

impl Limits {
    /// For the kit's own trees, which the runner trusts (links are still not followed).
    pub const NONE: Limits = Limits {
        entries: usize::MAX,
        depth: usize::MAX,
    };
}

/// Every regular file below `root`, and what else was met, without following links.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// Regular files, sorted.
    pub files: Vec<PathBuf>,
    /// Entries that are neither a folder nor a regular file, sorted, with what each
    /// is: never followed, never opened.
    pub others: Vec<(PathBuf, Kind)>,
    /// What the limits left out, in words; empty when the listing is whole.
    pub cut: Vec<String>,
}

/// Lists `root`, leaving out the top-level entries that `left_out` names. A folder
/// below the root that cannot be listed is one of the listing's `cut`; the root
/// itself, an error.
pub fn list(
    root: &Path,
    left_out: impl Fn(&str) -> bool,
    limits: Limits,
) -> anyhow::Result<Listing> {
    let mut listing = Listing::default();
    let mut seen = 0usize;
    let mut too_deep: Option<PathBuf> = None;
    let shown = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let mut pending = vec![(root.to_path_buf(), 0usize)];
    while let Some((folder, depth)) = pending.pop() {
        let budget = limits.entries.saturating_sub(seen);
        let (entries, more) = match entries_of(&folder, budget) {
            Ok(found) => found,
            Err(err) if depth == 0 => {
                return Err(
                    anyhow::Error::new(err).context(format!("cannot list {}", root.display()))
                );
            }
            Err(err) => {
                listing
                    .cut
                    .push(format!("{} cannot be listed: {err}", shown(&folder)));
                continue;
            }
        };
        let mut folders = Vec::new();
        for (path, kind) in entries {
            seen += 1;
            if depth == 0 && left_out(&path.file_name().unwrap_or_default().to_string_lossy()) {
                continue;
            }
            match kind {
                Kind::Folder if depth + 1 > limits.depth => {
                    too_deep.get_or_insert(path);
                }
                Kind::Folder => folders.push((path, depth + 1)),
                Kind::File => listing.files.push(path),
                other => listing.others.push((path, other)),
            }
        }
        pending.extend(folders.into_iter().rev());
        if more {
            let entries = limits.entries;
            listing.cut.push(format!(
                "the listing stopped after {entries} files and folders"
            ));
            break;
        }
    }
    if let Some(first) = too_deep {
        listing.cut.push(format!(
            "folders more than {} levels deep are not listed, the first {}",
            limits.depth,
            shown(&first)
        ));
    }
    listing.files.sort();
    listing.others.sort();
    Ok(listing)
}

/// What an entry of a folder is, as the entry itself says: a link is a link, whatever
/// it points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Folder,
    File,
    Link,
    Pipe,
    Socket,
    Device,
    /// None of these (a kind of file some system has and the others lack).
    Unknown,
}

impl Kind {
    pub fn of(file_type: fs::FileType) -> Kind {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return Kind::Pipe;
            }
            if file_type.is_socket() {
                return Kind::Socket;
            }
            if file_type.is_block_device() || file_type.is_char_device() {
                return Kind::Device;
            }
        }
        if file_type.is_symlink() {
            Kind::Link
        } else if file_type.is_dir() {
            Kind::Folder
        } else if file_type.is_file() {
            Kind::File
        } else {
            Kind::Unknown
        }
    }

    /// What was not done with it: a link is not followed, anything else not opened.
    pub fn left(self) -> &'static str {
        match self {
            Kind::Link => "not followed",
            _ => "not read",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Folder => "a folder",
            Kind::File => "a regular file",
            Kind::Link => "a symbolic link",
            Kind::Pipe => "a named pipe",
            Kind::Socket => "a socket",
            Kind::Device => "a device",
            Kind::Unknown => "not a regular file",
        })
    }
}

/// The entries of `folder`, sorted, at most `budget` of them; `true` when it holds more.
fn entries_of(folder: &Path, budget: usize) -> std::io::Result<(Vec<(PathBuf, Kind)>, bool)> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(folder)? {
        if entries.len() == budget {
            return Ok((sorted(entries), true));
        }
        let entry = entry?;
        // The entry's own type: a link is a link, whatever it points to.
        let kind = Kind::of(entry.file_type()?);
        entries.push((entry.path(), kind));
    }
    Ok((sorted(entries), false))
}

fn sorted(mut entries: Vec<(PathBuf, Kind)>) -> Vec<(PathBuf, Kind)> {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// Why a file of an untrusted folder was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    Missing,
    /// `at` (the file, or a folder on the way to it, relative to the root) is of this
    /// kind: not followed, not opened.
    NotPlain {
        at: String,
        kind: Kind,
    },
    /// Larger than the cap, in bytes.
    TooLarge(u64),
    Failed(String),
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unread::Missing => write!(f, "missing"),
            Unread::NotPlain { at, kind } => write!(f, "{at} is {kind}, {}", kind.left()),
            Unread::TooLarge(cap) => write!(f, "larger than {}", size(*cap)),
            Unread::Failed(err) => write!(f, "unreadable ({err})"),
        }
    }
}

/// A cap in words: `1 MiB`, `4096 bytes`.
pub fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// The regular file `relative` (`/`-separated) under `root`, when neither it nor a
/// folder between it and `root` is a link, and it holds at most `cap` bytes.
pub fn read_inside(root: &Path, relative: &str, cap: u64) -> Result<Vec<u8>, Unread> {
    let parts: Vec<&str> = relative.split('/').collect();
    let mut path = root.to_path_buf();
    for (index, part) in parts.iter().enumerate() {
        path.push(part);
        let is_file = index + 1 == parts.len();
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(Unread::Missing),
            Err(err) => return Err(Unread::Failed(err.to_string())),
        };
        let expected = if is_file {
            meta.is_file()
        } else {
            meta.is_dir()
        };
        if !expected {
            let at = parts[..=index].join("/");
            return Err(Unread::NotPlain {
                at,
                kind: Kind::of(meta.file_type()),
            });
        }
    }
    read_regular(&path, cap).map_err(|unread| match unread {
        // The file was swapped since it was looked at.
        Unread::NotPlain { kind, .. } => Unread::NotPlain {
            at: relative.to_string(),
            kind,
        },
        other => other,
    })
}

/// The text of a file that a test process wrote (its harness log, a model's
/// recording): nothing unless it is a regular file of at most `cap` bytes, never a link
/// to a device or a pipe put in its place.
pub fn read_written_by_a_test(path: &Path, cap: u64) -> String {
    read_regular(path, cap)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// Reads the file at `path` if it is a regular file of at most `cap` bytes. It is opened
/// without following a link and without waiting (a file swapped for a named pipe since
/// it was looked at opens at once), then its type is checked on the open file, and no
/// more than `cap + 1` bytes are ever read.
fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, Unread> {
    let file = open_without_following(path).map_err(|err| {
        if is_a_link_error(&err) {
            Unread::NotPlain {
                at: path.display().to_string(),
                kind: Kind::Link,
            }
        } else {
            Unread::Failed(err.to_string())
        }
    })?;
    let meta = file
        .metadata()
        .map_err(|err| Unread::Failed(err.to_string()))?;
    if !meta.is_file() {
        return Err(Unread::NotPlain {
            at: path.display().to_string(),
            kind: Kind::of(meta.file_type()),
        });
    }
    if meta.len() > cap {
        return Err(Unread::TooLarge(cap));
    }
    let mut bytes = Vec::new();
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| Unread::Failed(err.to_string()))?;
    if bytes.len() as u64 > cap {
        return Err(Unread::TooLarge(cap));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_without_following(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(unix)]
fn is_a_link_error(err: &std::io::Error) -> bool {
    // Linux and macOS say ELOOP for a link opened with O_NOFOLLOW; FreeBSD says EMLINK.
    matches!(err.raw_os_error(), Some(libc::ELOOP | libc::EMLINK))
}

#[cfg(windows)]
fn open_without_following(path: &Path) -> std::io::Result<fs::File> {
    use std::os::windows::fs::OpenOptionsExt;
    /// `FILE_FLAG_OPEN_REPARSE_POINT`: open a link (a reparse point) itself, whose
    /// type the open file then shows, rather than what it points to.
    const OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(OPEN_REPARSE_POINT)
        .open(path)
}

#[cfg(windows)]
fn is_a_link_error(_: &std::io::Error) -> bool {
    false
}

#[cfg(not(any(unix, windows)))]
fn open_without_following(path: &Path) -> std::io::Result<fs::File> {
    fs::File::open(path)
}

#[cfg(not(any(unix, windows)))]
fn is_a_link_error(_: &std::io::Error) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("threadlings-listing-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("a/b")).unwrap();
        fs::write(dir.join("top.txt"), "top").unwrap();
        fs::write(dir.join("a/b/deep.rs"), "fn deep() {}").unwrap();
        dir
    }

    fn relative(root: &Path, paths: &[PathBuf]) -> Vec<String> {
        paths
            .iter()
            .map(|path| {
                path.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn a_listing_holds_every_regular_file_sorted() {
        let root = scratch("whole");
        let listing = list(&root, |_| false, Limits::NONE).unwrap();
        assert_eq!(relative(&root, &listing.files), ["a/b/deep.rs", "top.txt"]);
        assert!(listing.others.is_empty() && listing.cut.is_empty());
        let left_out = list(&root, |name| name == "a", Limits::NONE).unwrap();
        assert_eq!(relative(&root, &left_out.files), ["top.txt"]);
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_listing_stops_at_its_limits_and_says_so() {
        let root = scratch("limits");
        let shallow = Limits {
            entries: 100,
            depth: 1,
        };
        let listing = list(&root, |_| false, shallow).unwrap();
        assert_eq!(relative(&root, &listing.files), ["top.txt"]);
        assert_eq!(listing.cut.len(), 1);
        assert!(
            listing.cut[0].contains("more than 1 levels deep"),
            "{:?}",
            listing.cut
        );
        let few = Limits {
            entries: 2,
            depth: 10,
        };
        let listing = list(&root, |_| false, few).unwrap();
        assert!(
            listing.cut[0].contains("stopped after 2"),
            "{:?}",
            listing.cut
        );
        assert_eq!(
            relative(&root, &listing.files),
            ["top.txt"],
            "the two are `a` and `top.txt`"
        );
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_regular_file_is_read_up_to_its_cap() {
        let root = scratch("cap");
        assert_eq!(
            read_inside(&root, "a/b/deep.rs", 100),
            Ok(b"fn deep() {}".to_vec())
        );
        assert_eq!(
            read_inside(&root, "a/b/deep.rs", 4),
            Err(Unread::TooLarge(4))
        );
        assert_eq!(read_inside(&root, "a/b/gone.rs", 100), Err(Unread::Missing));
        let folder = read_inside(&root, "a/b", 100);
        assert_eq!(
            folder,
            Err(Unread::NotPlain {
                at: "a/b".into(),
                kind: Kind::Folder
            })
        );
        let _ = fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    mod unix {
        use std::os::unix::fs::symlink;

        use super::*;

        #[test]
        fn links_are_listed_never_followed() {
            let root = scratch("links");
            symlink(".", root.join("loop")).unwrap();
            symlink("..", root.join("a/up")).unwrap();
            symlink("/dev/zero", root.join("zero")).unwrap();
            symlink("top.txt", root.join("a/same.txt")).unwrap();
            let listing = list(&root, |_| false, Limits::NONE).unwrap();
            assert_eq!(relative(&root, &listing.files), ["a/b/deep.rs", "top.txt"]);
            let others: Vec<PathBuf> = listing
                .others
                .iter()
                .map(|(path, _)| path.clone())
                .collect();
            let named = relative(&root, &others);
            assert_eq!(named, ["a/same.txt", "a/up", "loop", "zero"]);
            assert!(listing.others.iter().all(|(_, kind)| *kind == Kind::Link));
            let _ = fs::remove_dir_all(&root);
        }

        #[test]
        fn a_file_under_a_linked_folder_or_itself_a_link_is_not_read() {
            let root = scratch("linked");
            symlink("a", root.join("linked")).unwrap();
            symlink("b/deep.rs", root.join("a/link.rs")).unwrap();
            symlink("/dev/zero", root.join("zero")).unwrap();
            let link = |at: &str| {
                Err(Unread::NotPlain {
                    at: at.into(),
                    kind: Kind::Link,
                })
            };
            assert_eq!(
                read_inside(&root, "linked/b/deep.rs", 1 << 20),
                link("linked")
            );
            assert_eq!(read_inside(&root, "a/link.rs", 1 << 20), link("a/link.rs"));
            assert_eq!(read_inside(&root, "zero", 1 << 20), link("zero"));
            // Opened directly, as if swapped in after the look: refused all the same.
            let opened = read_regular(&root.join("zero"), 1 << 20);
            assert!(
                matches!(
                    opened,
                    Err(Unread::NotPlain {
                        kind: Kind::Link,
                        ..
                    })
                ),
                "{opened:?}"
            );
            let _ = fs::remove_dir_all(&root);
        }

        /// Folders with long names, nested until their path is longer than the system
        /// lets a program name: the deepest cannot be listed. (Linux's limit is 4096
        /// bytes; macOS's 1024 would need other steps.)
        #[cfg(target_os = "linux")]
        #[test]
        fn a_folder_that_cannot_be_listed_is_left_out_and_said() {
            let root = scratch("unlistable");
            // Ten folders, then ten more made from inside them: a program cannot name
            // the deepest from the root in one path.
            let ten: PathBuf = std::iter::repeat_n("n".repeat(250), 10).collect();
            fs::create_dir_all(root.join(&ten)).unwrap();
            let made = std::process::Command::new("mkdir")
                .arg("-p")
                .arg(&ten)
                .current_dir(root.join(&ten))
                .status()
                .unwrap();
            assert!(made.success());
            let listing = list(&root, |_| false, Limits::NONE).unwrap();
            assert_eq!(relative(&root, &listing.files), ["a/b/deep.rs", "top.txt"]);
            assert_eq!(listing.cut.len(), 1, "{:?}", listing.cut);
            assert!(
                listing.cut[0].contains("cannot be listed"),
                "{:?}",
                listing.cut
            );
            let missing = list(&root.join("missing"), |_| false, Limits::NONE);
            assert!(format!("{:#}", missing.unwrap_err()).starts_with("cannot list"));
            let _ = fs::remove_dir_all(&root);
        }

        /// A named pipe no one writes: reading it would wait forever.
        #[test]
        fn a_named_pipe_is_never_read() {
            let root = scratch("pipe");
            let pipe = root.join("pipe.rs");
            let made = std::process::Command::new("mkfifo")
                .arg(&pipe)
                .status()
                .unwrap();
            assert!(made.success());
            let not_plain = Err(Unread::NotPlain {
                at: "pipe.rs".into(),
                kind: Kind::Pipe,
            });
            assert_eq!(read_inside(&root, "pipe.rs", 1 << 20), not_plain);
            let opened = read_regular(&pipe, 1 << 20);
            assert!(
                matches!(
                    opened,
                    Err(Unread::NotPlain {
                        kind: Kind::Pipe,
                        ..
                    })
                ),
                "{opened:?}"
            );
            let listing = list(&root, |_| false, Limits::NONE).unwrap();
            assert_eq!(listing.others, [(pipe, Kind::Pipe)]);
            let _ = fs::remove_dir_all(&root);
        }
    }
}
