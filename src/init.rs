//! `zhenggai init`: a commented example round manifest and unit file to start from (in Chinese).

use std::io;
use std::path::{Path, PathBuf};

const ROUND: &str = include_str!("../assets/init/round.yaml");
const UNIT: &str = include_str!("../assets/init/units/示例单位.yaml");

/// Writes `round.yaml` and `units/示例单位.yaml` into `dir`; refuses to overwrite existing files.
pub fn write_example(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let files = [
        (dir.join("round.yaml"), ROUND),
        (dir.join("units").join("示例单位.yaml"), UNIT),
    ];
    for (path, _) in &files {
        if path.exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} 已存在，未覆盖；请换一个文件夹", path.display()),
            ));
        }
    }
    let mut written = Vec::new();
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
        }
        std::fs::write(&path, text).map_err(|e| with_path(e, &path))?;
        written.push(path);
    }
    Ok(written)
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("无法写入 {}：{error}", path.display()),
    )
}
