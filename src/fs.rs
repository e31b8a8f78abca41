//! The file helpers every stage shares: the one atomic writer, safetensors writing and sha256.
//! They sit at the bottom of the crate so that inference, training and output all use the same
//! code, and none of them imports another for a helper.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Whether `a` and `b` name the same file: the same device and inode when both exist (so links,
/// `./a/../a/x` and hard links are seen through), else the same absolute path once the folder
/// is resolved.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(x), Ok(y)) => {
            use std::os::unix::fs::MetadataExt;
            x.dev() == y.dev() && x.ino() == y.ino()
        }
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok(),
        (Err(_), Err(_)) => resolved(a).is_some_and(|x| resolved(b).is_some_and(|y| x == y)),
        _ => false,
    }
}

/// `path` with its folder made absolute and free of links, for a file that may not exist yet.
fn resolved(path: &Path) -> Option<PathBuf> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = std::fs::canonicalize(parent.unwrap_or(Path::new("."))).ok()?;
    Some(folder.join(path.file_name()?))
}

/// What an output path names.
pub(crate) enum Target {
    /// A regular file, or nothing yet: the (symlink-resolved) path to replace.
    Regular(PathBuf),
    /// A device, FIFO or socket.
    Special(PathBuf),
}

impl Target {
    pub(crate) fn of(path: &Path) -> io::Result<Target> {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => Err(io::Error::other(format!(
                "{} is a folder, not a file",
                path.display()
            ))),
            Ok(meta) if !meta.is_file() => Ok(Target::Special(path.to_path_buf())),
            // A symlink to a file: replace the file it points to, not the link.
            Ok(_) => Ok(Target::Regular(
                std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
            )),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Ok(Target::Regular(path.to_path_buf()))
            }
            // Callers name the output path (e.g. "cannot write PATH: Not a directory").
            Err(e) => Err(e),
        }
    }
}

pub(crate) fn named(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Syncs the folder holding `path`, so a rename survives a power cut. Best effort: not every
/// platform can open a folder.
pub(crate) fn sync_parent(path: &Path) {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

/// Writes `bytes` to `path` atomically (a temporary file beside it, synced, then renamed); a
/// device or FIFO is written in place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let path = match Target::of(path)? {
        Target::Special(path) => {
            let mut file = OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(|e| named(&path, e))?;
            return file.write_all(bytes).map_err(|e| named(&path, e));
        }
        Target::Regular(path) => path,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".quotestance.")
        .suffix(".partial")
        .tempfile_in(&dir)
        .map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create a file in {}: {e}", dir.display()),
            )
        })?;
    temp.write_all(bytes).map_err(|e| named(&path, e))?;
    temp.as_file().sync_all().map_err(|e| named(&path, e))?;
    let file = temp.persist(&path).map_err(|e| named(&path, e.error))?;
    make_readable(&file)
}

/// Temporary files are created private (0600); a finished output is an ordinary file (0644).
pub fn make_readable(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Serialises f32 tensors, each `(name, shape, values)`, as safetensors tagged with `format`.
pub fn f32_safetensors(
    tensors: &[(String, Vec<usize>, Vec<f32>)],
    format: &str,
) -> Result<Vec<u8>, safetensors::SafeTensorError> {
    let raw: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, _, values)| values.iter().flat_map(|v| v.to_le_bytes()).collect())
        .collect();
    let views = tensors
        .iter()
        .zip(&raw)
        .map(|((name, shape, _), raw)| {
            let view =
                safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), raw)?;
            Ok((name.clone(), view))
        })
        .collect::<Result<Vec<_>, safetensors::SafeTensorError>>()?;
    let metadata = HashMap::from([("format".to_string(), format.to_string())]);
    safetensors::tensor::serialize(views, Some(metadata))
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Lower-case hex sha256 of a file, read in 1 MiB pieces.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}
