//! Helpers shared by the integration test crates (each crate uses a subset).
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// A short article with a direct quote, a reported one and a partial quote.
pub const ARTICLE: &str = "Talks stall again\n\n“We are ready to talk tomorrow,” said Foreign Minister Anna Berg. She added that the offer would stand until Friday.\n\nThe opposition leader, Tom Hale, accused the government of “wasting a year”.";

pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// One JSONL article record.
pub fn jsonl_line(id: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "text": text }).to_string()
}

/// Writes `contents` to `dir/name`, creating folders on the way.
pub fn write(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(&path, contents).expect("write");
    path
}

/// Runs the binary with `args`, extraction only (`--skip-classify`: tests/model.rs covers
/// classification) and quiet, and returns stdout; fails the test on a non-zero exit.
pub fn run_ok(args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_quotestance"))
        .args(args)
        .args(["--quiet", "--skip-classify"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
