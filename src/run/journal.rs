//! The progress journal that makes a run resumable.
//!
//! A run writing to `OUT` keeps its rows in `.OUT.partial` and a journal in `.OUT.journal`, both
//! beside `OUT`. The journal is JSON lines: a `start` entry with the run's fingerprint (a hash of
//! everything that decides the output: inputs, their sizes and times, options, version), then one
//! `commit` entry per finished chunk saying how many input records were consumed and how long the
//! partial output was at that point, then `done` just before the partial output is renamed into
//! place.
//!
//! The order of writes is what makes this safe against `SIGKILL` or a power cut at any moment: the
//! rows of a chunk are written and fsynced first, the commit entry after them (and fsynced). So the
//! last complete commit never points past data that is on disk; on resume the partial output is
//! cut back to that length (dropping any rows written after it), and reading restarts after the
//! committed number of records. A torn last line is ignored.
//!
//! The journal is locked while a run holds it, so two runs cannot write the same output at once
//! (where the filesystem supports locks; where it does not, the run goes on unguarded).

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bumped when the journal's meaning changes, so an old journal is never misread.
const VERSION: u32 = 1;

/// A committed point: everything it counts is in the first `bytes` bytes of the partial output.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Input records consumed (articles, articles of other shards, and skipped records).
    pub records: u64,
    /// Articles processed (of this shard).
    pub articles: u64,
    /// Articles left to other shards.
    pub other_shards: u64,
    /// Rows written.
    pub quotes: u64,
    /// Skipped records by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Length of the partial output.
    pub bytes: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "entry", rename_all = "snake_case")]
enum Entry {
    Start { version: u32, fingerprint: String },
    Commit(Checkpoint),
    Done,
}

/// What an existing journal says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// The last committed point, if any chunk was committed.
    pub checkpoint: Option<Checkpoint>,
    /// The run finished writing and was about to (or did) move its output into place.
    pub done: bool,
}

/// An open, locked journal.
pub struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    /// Where the journal for `output` lives: `.NAME.journal` beside it.
    pub fn path_for(output: &Path) -> PathBuf {
        beside(output, "journal")
    }

    /// Starts a new journal at `path`, replacing any old one.
    pub fn create(path: &Path, fingerprint: &str) -> io::Result<Journal> {
        let mut journal = Journal::open_locked(path)?;
        journal.file.set_len(0)?;
        journal.file.seek(SeekFrom::Start(0))?;
        journal.append(&Entry::Start {
            version: VERSION,
            fingerprint: fingerprint.to_string(),
        })?;
        Ok(journal)
    }

    /// Opens the journal at `path` to continue its run. `Ok(None)` when there is none; an error
    /// when it belongs to a run with another fingerprint (other inputs or options).
    pub fn resume(path: &Path, fingerprint: &str) -> io::Result<Option<(Journal, State)>> {
        if !path.exists() {
            return Ok(None);
        }
        let mut journal = Journal::open_locked(path)?;
        let mut bytes = Vec::new();
        journal.file.read_to_end(&mut bytes)?;
        let (state, found, valid) = parse(&bytes);
        match found {
            Some(found) if found == fingerprint => {}
            Some(found) => {
                return Err(io::Error::other(format!(
                    "{} belongs to a run with other inputs or options (fingerprint {}…, this run \
                     {}…), so --resume would mix two runs' rows; run the same command as before, \
                     or leave out --resume to start over",
                    path.display(),
                    &found[..found.len().min(12)],
                    &fingerprint[..fingerprint.len().min(12)]
                )));
            }
            None => {
                return Err(io::Error::other(format!(
                    "{} is not a quotestance journal of this version; leave out --resume to start \
                     over",
                    path.display()
                )));
            }
        }
        // Drop a torn tail so new entries follow the last good one.
        journal.file.set_len(valid)?;
        journal.file.seek(SeekFrom::End(0))?;
        Ok(Some((journal, state)))
    }

    fn open_locked(path: &Path) -> io::Result<Journal> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "{} is locked: another quotestance run is writing the same output",
                        path.display()
                    ),
                ));
            }
            // Some network filesystems (Lustre without `flock`, some FUSE mounts) cannot lock at
            // all; refusing to run there would be worse than running without the guard.
            Err(TryLockError::Error(_)) => {}
        }
        Ok(Journal {
            file,
            path: path.to_path_buf(),
        })
    }

    /// Records a committed point. Call only after the partial output is synced up to
    /// `checkpoint.bytes`.
    pub fn commit(&mut self, checkpoint: &Checkpoint) -> io::Result<()> {
        self.append(&Entry::Commit(checkpoint.clone()))
    }

    /// Records that the output is complete and about to be moved into place.
    pub fn done(&mut self) -> io::Result<()> {
        self.append(&Entry::Done)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn append(&mut self, entry: &Entry) -> io::Result<()> {
        let mut line = serde_json::to_vec(entry).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}

/// Reads journal bytes: the state, the fingerprint of the start entry, and the length of the
/// valid prefix (complete, parseable lines).
fn parse(bytes: &[u8]) -> (State, Option<String>, u64) {
    let mut state = State::default();
    let mut fingerprint = None;
    let mut valid = 0u64;
    let mut rest = bytes;
    while let Some(end) = rest.iter().position(|&b| b == b'\n') {
        let Ok(entry) = serde_json::from_slice::<Entry>(&rest[..end]) else {
            break;
        };
        match entry {
            Entry::Start {
                version,
                fingerprint: f,
            } => {
                if fingerprint.is_some() || version != VERSION {
                    break;
                }
                fingerprint = Some(f);
            }
            Entry::Commit(c) if fingerprint.is_some() => state.checkpoint = Some(c),
            Entry::Done if fingerprint.is_some() => state.done = true,
            _ => break,
        }
        valid += end as u64 + 1;
        rest = &rest[end + 1..];
    }
    (state, fingerprint, valid)
}

/// `.NAME.SUFFIX` in the same folder as `path`: hidden, so that a folder walked as input skips it.
pub fn beside(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// A hex SHA-256 over the settings that decide a run's output and the identity (path, size,
/// modification time) of every input file. Contents are not hashed: that would mean reading the
/// whole corpus before starting; a file rewritten in place with the same size and time is the one
/// change this misses.
pub fn fingerprint(settings: &[(&str, String)], files: &[PathBuf]) -> io::Result<String> {
    let mut hash = Sha256::new();
    hash.update(format!("quotestance {}\n", env!("CARGO_PKG_VERSION")));
    for (key, value) in settings {
        hash.update(format!("{key}={value:?}\n"));
    }
    for file in files {
        let meta = std::fs::metadata(file)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", file.display())))?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        hash.update(format!(
            "file={:?} size={} modified={modified}\n",
            file.display().to_string(),
            meta.len()
        ));
    }
    Ok(hex::encode(hash.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint(records: u64, bytes: u64) -> Checkpoint {
        Checkpoint {
            records,
            bytes,
            ..Checkpoint::default()
        }
    }

    #[test]
    fn resume_returns_the_last_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".out.csv.journal");
        {
            let mut j = Journal::create(&path, "abc").unwrap();
            j.commit(&checkpoint(10, 100)).unwrap();
            j.commit(&checkpoint(20, 250)).unwrap();
        }
        let (_, state) = Journal::resume(&path, "abc").unwrap().unwrap();
        assert_eq!(state.checkpoint, Some(checkpoint(20, 250)));
        assert!(!state.done);
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        {
            let mut j = Journal::create(&path, "abc").unwrap();
            j.commit(&checkpoint(10, 100)).unwrap();
        }
        let good = std::fs::metadata(&path).unwrap().len();
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"entry\":\"commit\",\"records\":2").unwrap();
        drop(f);
        {
            let (mut j, state) = Journal::resume(&path, "abc").unwrap().unwrap();
            assert_eq!(state.checkpoint, Some(checkpoint(10, 100)));
            assert_eq!(std::fs::metadata(&path).unwrap().len(), good);
            j.commit(&checkpoint(30, 300)).unwrap();
        }
        let (_, state) = Journal::resume(&path, "abc").unwrap().unwrap();
        assert_eq!(state.checkpoint, Some(checkpoint(30, 300)));
    }

    #[test]
    fn another_fingerprint_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        drop(Journal::create(&path, "abc").unwrap());
        let e = Journal::resume(&path, "xyz").err().unwrap();
        assert!(e.to_string().contains("other inputs or options"), "{e}");
    }

    #[test]
    fn a_held_journal_cannot_be_taken() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let _held = Journal::create(&path, "abc").unwrap();
        let e = Journal::create(&path, "abc").err().unwrap();
        assert!(e.to_string().contains("another quotestance run"), "{e}");
    }

    #[test]
    fn no_journal_is_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            Journal::resume(&dir.path().join("none"), "abc")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn fingerprint_changes_with_settings_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.jsonl");
        std::fs::write(&file, "{}\n").unwrap();
        let files = vec![file.clone()];
        let a = fingerprint(&[("format", "csv".into())], &files).unwrap();
        assert_eq!(a, fingerprint(&[("format", "csv".into())], &files).unwrap());
        assert_ne!(
            a,
            fingerprint(&[("format", "jsonl".into())], &files).unwrap()
        );
        std::fs::write(&file, "{}\n{}\n").unwrap();
        assert_ne!(a, fingerprint(&[("format", "csv".into())], &files).unwrap());
    }
}
