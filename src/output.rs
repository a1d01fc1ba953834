//! The write stage: folder names made from user data, and writing a unit's files all or nothing.
//!
//! This module owns the two reliability rules of §8 of the design that touch the disk:
//!
//! - [`safe_dir_name`] turns `unit.org` into one safe path component on Linux, macOS and Windows.
//!   (Detecting two units that map to the same folder is the batch's job; compare the names
//!   case-insensitively, as Windows and macOS do.)
//! - [`write_files_atomically`] writes every file of a unit to a temporary name in the target folder and
//!   only renames them into place once all of them are written, so a failure leaves the previous run's
//!   files as they were and no temporary files behind.
//!
//! Files are not fsynced: the guarantee is against failures of this process (full disk, a file name
//! that is a folder, a file locked by Word), not against power loss.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The folder name used when `unit.org` leaves nothing usable.
pub const PLACEHOLDER_DIR_NAME: &str = "未命名单位";

/// The longest folder name [`safe_dir_name`] returns, in UTF-8 bytes (file systems allow 255; the rest
/// is left for temporary-name prefixes and suffixes).
pub const MAX_DIR_NAME_BYTES: usize = 200;

/// Why the output could not be written. Messages are for people and name the path and the OS error.
/// The operating system's reason, in Chinese first (the original kept in brackets for whoever helps).
pub fn io_reason(error: &io::Error) -> String {
    let chinese = match error.kind() {
        io::ErrorKind::PermissionDenied => "没有写入权限",
        io::ErrorKind::NotFound => "路径不存在",
        io::ErrorKind::AlreadyExists => "同名的文件已存在",
        io::ErrorKind::NotADirectory => "路径中有一段是文件而不是文件夹",
        io::ErrorKind::IsADirectory => "同名的文件夹已存在",
        io::ErrorKind::StorageFull => "磁盘已满",
        io::ErrorKind::ReadOnlyFilesystem => "磁盘是只读的",
        io::ErrorKind::InvalidFilename => "文件名不合法或过长",
        io::ErrorKind::ResourceBusy => {
            "文件正被其他程序占用（如 Word 或 WPS 打开着），请关闭后重试"
        }
        _ => "系统拒绝了这次操作",
    };
    format!("{chinese}（{error}）")
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("无法创建输出目录 {}：{}", path.display(), io_reason(source))]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("无法写入输出目录 {}：{}", dir.display(), io_reason(source))]
    Write {
        dir: PathBuf,
        /// The temporary file that was being written.
        file: PathBuf,
        source: io::Error,
    },
    #[error("无法将 {} 替换为新文件：{}", path.display(), io_reason(source))]
    Replace { path: PathBuf, source: io::Error },
    #[error("无法替换 {}：同名的文件夹已存在，请移走或改名后重试", path.display())]
    TargetIsDir { path: PathBuf },
    #[error("输出文件名“{name}”无效：文件名不能为空，也不能含路径分隔符或“..”")]
    InvalidFileName { name: String },
    #[error("输出文件名“{name}”重复")]
    DuplicateFileName { name: String },
}

/// A folder name from user data (`unit.org`): one path component, safe on Linux, macOS and Windows.
///
/// Replaced by `_`: path separators `/` `\`, control characters, invisible direction and format
/// characters, and the characters Windows forbids (`< > : " | ? *`). Removed: leading and trailing white
/// space (including the full-width space), leading dots (no hidden folders, no `..`) and trailing dots.
/// A Windows device name (CON, PRN, AUX, NUL, COM0–9, LPT0–9, COM¹²³/LPT¹²³, in any case, also with an extension such as
/// `CON.txt`) gets a `_` prefix. The result is at most [`MAX_DIR_NAME_BYTES`] bytes, cut at a character
/// boundary, and never empty, `.` or `..` ([`PLACEHOLDER_DIR_NAME`] instead). Chinese text is kept as is.
///
/// `..` inside a name (`a..b`) is harmless once separators are replaced, and is kept. The function is
/// idempotent: a name it returned comes back unchanged.
pub fn safe_dir_name(org: &str) -> String {
    let replaced: String = org
        .chars()
        .map(|c| if is_unsafe_char(c) { '_' } else { c })
        .collect();
    let trimmed = replaced.trim_start_matches(|c: char| c == '.' || c.is_whitespace());
    let cut = truncate_at_char_boundary(trimmed, MAX_DIR_NAME_BYTES);
    let name = cut.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    if name.is_empty() {
        return PLACEHOLDER_DIR_NAME.to_owned();
    }
    if is_windows_device_name(name) {
        // The prefix may push the name one byte over the limit; cut again (the device names are ASCII,
        // so the name is long only when there is an extension to cut from).
        let prefixed = format!("_{name}");
        let cut = truncate_at_char_boundary(&prefixed, MAX_DIR_NAME_BYTES);
        return cut
            .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
            .to_owned();
    }
    name.to_owned()
}

fn is_unsafe_char(c: char) -> bool {
    matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
        || c.is_control()
        // Bidirectional overrides and isolates, zero-width marks, BOM, line/paragraph separators:
        // they make a name display differently from what it is.
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn truncate_at_char_boundary(s: &str, max_bytes: usize) -> &str {
    if s.len() <= max_bytes {
        return s;
    }
    let mut end = max_bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// CON, PRN, AUX, NUL, COM0–9, LPT0–9 (and the superscript digits Windows also reserves), case-insensitive,
/// with or without an extension and with trailing spaces before it.
fn is_windows_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    let upper = stem.to_ascii_uppercase();
    if matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let mut chars = upper.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    (prefix == "COM" || prefix == "LPT")
        && matches!(rest.as_slice(), [c] if c.is_ascii_digit() || matches!(c, '¹' | '²' | '³'))
}

/// Writes `files` (file name, contents) into `dir`, all or nothing.
///
/// `dir` and its parents are created. Each file is first written to a temporary name in `dir`
/// (`.名字.tmp-<pid>-<counter>`); only when all of them are written are they renamed into place. If
/// anything fails, the temporary files are removed and files from an earlier run are left unchanged:
/// before the renames, a target that is a folder is refused; during the renames, each replaced file is
/// first moved to a backup name, and a failure (for example a file locked by another program on Windows)
/// moves the backups back. File names must be single path components (no separators, not `.` or `..`).
pub fn write_files_atomically(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), OutputError> {
    let mut seen = HashSet::new();
    for (name, _) in files {
        if !is_plain_file_name(name) {
            return Err(OutputError::InvalidFileName { name: name.clone() });
        }
        if !seen.insert(name.as_str()) {
            return Err(OutputError::DuplicateFileName { name: name.clone() });
        }
    }
    fs::create_dir_all(dir).map_err(|source| OutputError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;

    // Phase 1: temporary files.
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let tmp = dir.join(temp_name(name, "tmp"));
        let result = write_new(&tmp, bytes);
        // A temporary file this call created is removed on failure, even when writing it failed
        // part-way; a name that could not be created (it exists) is never touched.
        if !matches!(&result, Err(WriteNewError::Create(_))) {
            temps.push((tmp.clone(), dir.join(name)));
        }
        if let Err(WriteNewError::Create(source) | WriteNewError::Write(source)) = result {
            remove_all(temps.iter().map(|(tmp, _)| tmp));
            return Err(OutputError::Write {
                dir: dir.to_path_buf(),
                file: tmp,
                source,
            });
        }
    }

    // Phase 2: check the targets before touching any of them.
    for (_, target) in &temps {
        if fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
            remove_all(temps.iter().map(|(tmp, _)| tmp));
            return Err(OutputError::TargetIsDir {
                path: target.clone(),
            });
        }
    }

    // Phase 3: rename into place.
    rename_into_place(&temps)
}

/// Renames each temporary file onto its target, keeping backups of replaced files until all renames
/// succeeded. On failure the renamed files are rolled back, the remaining temporary files removed.
fn rename_into_place(temps: &[(PathBuf, PathBuf)]) -> Result<(), OutputError> {
    let mut placed: Vec<(&Path, Option<PathBuf>)> = Vec::with_capacity(temps.len());
    for (i, (tmp, target)) in temps.iter().enumerate() {
        match place(tmp, target) {
            Ok(backup) => placed.push((target.as_path(), backup)),
            Err(source) => {
                roll_back(&placed);
                remove_all(temps[i..].iter().map(|(tmp, _)| tmp));
                return Err(OutputError::Replace {
                    path: target.clone(),
                    source,
                });
            }
        }
    }
    // Success: the backups are no longer needed. A backup that cannot be removed is left behind
    // (a hidden `.name.bak-…` file); the new files are in place, so this is not an error.
    remove_all(placed.iter().filter_map(|(_, backup)| backup.as_ref()));
    Ok(())
}

fn is_plain_file_name(name: &str) -> bool {
    let mut components = Path::new(name).components();
    matches!(
        (components.next(), components.next()),
        (Some(Component::Normal(_)), None)
    ) && !name.contains(['/', '\\'])
}

/// `.名字.tmp-<pid>-<counter>`: hidden, unique within this process, and unlikely to clash with another.
fn temp_name(name: &str, kind: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // Keep the name short enough for the 255-byte limit of most file systems.
    let stem = truncate_at_char_boundary(name, 200);
    format!(".{stem}.{kind}-{}-{n}", std::process::id())
}

enum WriteNewError {
    /// The file could not be created; nothing is on disk.
    Create(io::Error),
    /// The file was created, but writing it failed.
    Write(io::Error),
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), WriteNewError> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(WriteNewError::Create)?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(WriteNewError::Write)
}

/// Moves an existing `target` to a backup name, then `tmp` to `target`. Returns the backup's path.
/// On failure nothing has changed (the backup, if made, is moved back).
fn place(tmp: &Path, target: &Path) -> io::Result<Option<PathBuf>> {
    let backup = match fs::symlink_metadata(target) {
        Ok(_) => {
            let file_name = target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let backup = target.with_file_name(temp_name(&file_name, "bak"));
            fs::rename(target, &backup)?;
            Some(backup)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Err(e) = fs::rename(tmp, target) {
        if let Some(backup) = &backup {
            let _ = fs::rename(backup, target);
        }
        return Err(e);
    }
    Ok(backup)
}

/// Undoes [`place`] for the files already renamed, last first: the old file comes back, or the new
/// file is removed where there was none.
fn roll_back(placed: &[(&Path, Option<PathBuf>)]) {
    for (target, backup) in placed.iter().rev() {
        match backup {
            Some(backup) => {
                let _ = fs::rename(backup, target);
            }
            None => {
                let _ = fs::remove_file(target);
            }
        }
    }
}

fn remove_all<'a>(paths: impl IntoIterator<Item = &'a PathBuf>) {
    for path in paths {
        let _ = fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        pairs
            .iter()
            .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
            .collect()
    }

    /// The folder's entries, sorted, with their contents ("<dir>" for folders).
    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                let content = if e.file_type().unwrap().is_dir() {
                    "<dir>".to_owned()
                } else {
                    fs::read_to_string(e.path()).unwrap()
                };
                (name, content)
            })
            .collect();
        out.sort();
        out
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn unsafe_names() {
        assert_eq!(safe_dir_name("县公安局"), "县公安局");
        assert_eq!(safe_dir_name("中共XX县委 政法委"), "中共XX县委 政法委");
        assert_eq!(safe_dir_name("a/b"), "a_b");
        assert_eq!(safe_dir_name("a\\b"), "a_b");
        assert_eq!(safe_dir_name("../etc/passwd"), "_etc_passwd");
        assert_eq!(safe_dir_name(".."), PLACEHOLDER_DIR_NAME);
        assert_eq!(safe_dir_name("."), PLACEHOLDER_DIR_NAME);
        assert_eq!(safe_dir_name("...."), PLACEHOLDER_DIR_NAME);
        assert_eq!(safe_dir_name(".hidden"), "hidden");
        assert_eq!(safe_dir_name("a..b"), "a..b");
        assert_eq!(safe_dir_name(""), PLACEHOLDER_DIR_NAME);
        assert_eq!(safe_dir_name("   "), PLACEHOLDER_DIR_NAME);
        assert_eq!(safe_dir_name("\u{3000}\u{3000}"), PLACEHOLDER_DIR_NAME); // full-width spaces
        assert_eq!(safe_dir_name("  县公安局.  "), "县公安局");
        assert_eq!(safe_dir_name("县公安局..."), "县公安局");
        assert_eq!(safe_dir_name("县\t公安\n局\u{7}\u{0}"), "县_公安_局__");
        assert_eq!(safe_dir_name("县\u{202E}局\u{200B}"), "县_局_");
        assert_eq!(safe_dir_name("a<b>c:d\"e|f?g*h"), "a_b_c_d_e_f_g_h");
        assert_eq!(safe_dir_name("C:\\Windows"), "C__Windows");
    }

    #[test]
    fn windows_device_names() {
        for name in [
            "CON",
            "con",
            "Prn",
            "AUX",
            "NUL",
            "COM1",
            "com9",
            "LPT1",
            "lpt9",
            "CON.txt",
            "nul.tar.gz",
            "CON .txt",
            "COM¹",
        ] {
            let safe = safe_dir_name(name);
            assert_eq!(safe, format!("_{name}"), "{name}");
        }
        // Not device names.
        for name in ["CONSOLE", "COM10", "LPT", "COMA", "XCON", "县CON", "NULL"] {
            assert_eq!(safe_dir_name(name), name);
        }
        // Trailing dots/spaces are removed first, so "CON." and "CON " are caught too.
        assert_eq!(safe_dir_name("CON."), "_CON");
        assert_eq!(safe_dir_name("aux "), "_aux");
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary() {
        let long: String = "县".repeat(300); // 900 bytes
        let safe = safe_dir_name(&long);
        assert!(safe.len() <= MAX_DIR_NAME_BYTES);
        assert_eq!(safe, "县".repeat(66)); // 198 bytes; a 67th would need 201
        let ascii = "a".repeat(300);
        assert_eq!(safe_dir_name(&ascii), "a".repeat(200));
        // A cut that ends in spaces or dots is trimmed again.
        let spaced = format!("{}{}", "a".repeat(198), " .b");
        assert_eq!(safe_dir_name(&spaced), "a".repeat(198));
        // A device name with a long extension stays within the limit.
        let device = format!("CON.{}", "x".repeat(300));
        let safe = safe_dir_name(&device);
        assert!(safe.len() <= MAX_DIR_NAME_BYTES && safe.starts_with("_CON."));
    }

    #[test]
    fn writes_all_files_and_replaces_old_content() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out").join("县公安局");
        write_files_atomically(
            &dir,
            &files(&[("整改工作方案.md", "旧"), ("反馈会讲话.md", "旧")]),
        )
        .unwrap();
        assert_eq!(
            listing(&dir),
            pairs(&[("反馈会讲话.md", "旧"), ("整改工作方案.md", "旧")])
        );
        write_files_atomically(
            &dir,
            &files(&[
                ("整改工作方案.md", "新方案"),
                ("整改进展情况报告.md", "新报告"),
            ]),
        )
        .unwrap();
        // Replaced, added, and the file not in this run left alone; no temporary or backup files.
        assert_eq!(
            listing(&dir),
            pairs(&[
                ("反馈会讲话.md", "旧"),
                ("整改工作方案.md", "新方案"),
                ("整改进展情况报告.md", "新报告"),
            ])
        );
        // Nothing to write is fine and creates the folder.
        let empty = tmp.path().join("empty");
        write_files_atomically(&empty, &[]).unwrap();
        assert!(listing(&empty).is_empty());
    }

    #[test]
    fn a_target_that_is_a_folder_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("县公安局");
        write_files_atomically(&dir, &files(&[("a.md", "旧a"), ("c.md", "旧c")])).unwrap();
        fs::create_dir(dir.join("b.md")).unwrap();
        let err = write_files_atomically(
            &dir,
            &files(&[("a.md", "新a"), ("b.md", "新b"), ("c.md", "新c")]),
        )
        .unwrap_err();
        assert!(matches!(err, OutputError::TargetIsDir { .. }), "{err:?}");
        assert!(err.to_string().contains("b.md"), "{err}");
        assert_eq!(
            listing(&dir),
            pairs(&[("a.md", "旧a"), ("b.md", "<dir>"), ("c.md", "旧c")])
        );
    }

    #[test]
    fn an_output_folder_under_a_file_fails_cleanly() {
        let tmp = tempfile::tempdir().unwrap();
        let blocker = tmp.path().join("out");
        fs::write(&blocker, "a file, not a folder").unwrap();
        let dir = blocker.join("县公安局");
        let err = write_files_atomically(&dir, &files(&[("a.md", "x")])).unwrap_err();
        assert!(matches!(err, OutputError::CreateDir { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.starts_with("无法创建输出目录 "), "{message}");
        assert!(message.contains("县公安局："), "{message}");
        assert_eq!(
            listing(tmp.path()),
            pairs(&[("out", "a file, not a folder")])
        );
    }

    #[test]
    fn a_failed_rename_restores_the_old_files() {
        // A rename that fails half-way (as a file locked by Word would on Windows), simulated with a
        // temporary file that has vanished: a.md is renamed, b.md fails, c.md is never reached.
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("a.md"), "旧a").unwrap();
        fs::write(dir.join("c.md"), "旧c").unwrap();
        fs::write(dir.join(".a.tmp"), "新a").unwrap();
        fs::write(dir.join(".c.tmp"), "新c").unwrap();
        let temps = [
            (dir.join(".a.tmp"), dir.join("a.md")),
            (dir.join(".b.tmp"), dir.join("b.md")),
            (dir.join(".c.tmp"), dir.join("c.md")),
        ];
        let err = rename_into_place(&temps).unwrap_err();
        assert!(matches!(err, OutputError::Replace { .. }), "{err:?}");
        assert!(err.to_string().contains("b.md"), "{err}");
        assert_eq!(listing(dir), pairs(&[("a.md", "旧a"), ("c.md", "旧c")]));

        // And a new file that had no predecessor is removed again.
        fs::write(dir.join(".d.tmp"), "新d").unwrap();
        let temps = [
            (dir.join(".d.tmp"), dir.join("d.md")),
            (dir.join(".e.tmp"), dir.join("e.md")),
        ];
        assert!(rename_into_place(&temps).is_err());
        assert_eq!(listing(dir), pairs(&[("a.md", "旧a"), ("c.md", "旧c")]));
    }

    proptest::proptest! {
        #[test]
        fn safe_names_are_one_safe_component(
            org in r"\PC*|[ ./\\:*?<>|\t\x{3000}\x{202E}县局]{0,8}|[ .]{0,3}(CON|nul|Aux|com[0-9]|LPT¹)[ .]{0,3}(\.[a-z .]{0,3})?"
        ) {
            let safe = safe_dir_name(&org);
            proptest::prop_assert!(!safe.is_empty() && safe.len() <= MAX_DIR_NAME_BYTES);
            proptest::prop_assert!(safe != "." && safe != "..");
            proptest::prop_assert!(!safe.chars().any(is_unsafe_char));
            proptest::prop_assert!(!safe.starts_with('.') && !safe.ends_with('.'));
            proptest::prop_assert!(!safe.starts_with(char::is_whitespace) && !safe.ends_with(char::is_whitespace));
            proptest::prop_assert!(!is_windows_device_name(&safe));
            let mut components = Path::new(&safe).components();
            proptest::prop_assert!(matches!(components.next(), Some(Component::Normal(_))));
            proptest::prop_assert!(components.next().is_none());
            proptest::prop_assert_eq!(safe_dir_name(&safe), safe.clone());
        }
    }

    #[test]
    fn bad_file_names_are_refused_before_writing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("x");
        for name in ["", ".", "..", "a/b", "../a", "a\\b", "/abs"] {
            let err = write_files_atomically(&dir, &files(&[(name, "x")])).unwrap_err();
            assert!(
                matches!(err, OutputError::InvalidFileName { .. }),
                "{name}: {err:?}"
            );
        }
        let err =
            write_files_atomically(&dir, &files(&[("a.md", "1"), ("a.md", "2")])).unwrap_err();
        assert!(
            matches!(err, OutputError::DuplicateFileName { .. }),
            "{err:?}"
        );
        assert!(!dir.exists());
    }

    #[test]
    fn write_error_message_names_the_folder_and_the_os_error() {
        let err = OutputError::Write {
            dir: PathBuf::from("out/县公安局"),
            file: PathBuf::from("out/县公安局/.a.md.tmp-1-0"),
            source: io::Error::from(io::ErrorKind::PermissionDenied),
        };
        assert_eq!(
            err.to_string(),
            "无法写入输出目录 out/县公安局：没有写入权限（permission denied）"
        );
    }
}
