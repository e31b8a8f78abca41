//! Streaming article readers: JSONL, CSV, plain text, folders, gzip, stdin.
//!
//! [`Corpus`] is an iterator of `Result<Article, RecordError>`: a broken record (malformed JSON, a
//! CSV row without the text field, invalid UTF-8, an over-long article, a binary file) becomes one
//! error naming its file and line, and reading goes on with the next record. Only one record is held
//! in memory at a time, and no line is read past the article size limit.

mod csv_rows;
pub mod dates;
mod jsonl;
mod text;

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::read::MultiGzDecoder;

/// One article to process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub id: String,
    pub text: String,
    /// Where the article came from, for messages.
    pub source: Location,
    /// The fields named in [`ReadOptions::keep_fields`], in that order, as written in the record
    /// (a JSON number as written, a missing or null field empty), for grouping results by them.
    pub fields: Vec<String>,
}

/// A file (or `<stdin>`) and a 1-based line number; line 0 stands for the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}", self.path),
            line => write!(f, "{}:{line}", self.path),
        }
    }
}

/// A record that could not be read. Reading continues after it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct RecordError {
    pub location: Location,
    pub message: String,
    /// Why, as one of a few fixed categories (for summaries that count skips by reason).
    pub reason: SkipReason,
}

/// Why a record was skipped, coarse enough to count: the message says the details.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// The file could not be opened.
    CannotOpen,
    /// A file in a folder that is not an article format.
    UnsupportedFile,
    /// Over `--max-article-bytes`.
    TooLarge,
    /// The file could not be read further (a corrupt `.gz`, an I/O error).
    ReadError,
    MalformedJson,
    NotAnObject,
    /// No text field or column.
    MissingField,
    /// The id or text field has the wrong JSON type.
    WrongFieldType,
    InvalidUtf8,
    /// A NUL byte in a text file.
    Binary,
    BadCsv,
    /// A file with no articles in it (no bytes, or white space only).
    Empty,
}

impl SkipReason {
    /// A stable snake_case name, used as the key in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::CannotOpen => "cannot_open",
            SkipReason::UnsupportedFile => "unsupported_file",
            SkipReason::TooLarge => "too_large",
            SkipReason::ReadError => "read_error",
            SkipReason::MalformedJson => "malformed_json",
            SkipReason::NotAnObject => "not_an_object",
            SkipReason::MissingField => "missing_field",
            SkipReason::WrongFieldType => "wrong_field_type",
            SkipReason::InvalidUtf8 => "invalid_utf8",
            SkipReason::Binary => "binary",
            SkipReason::BadCsv => "bad_csv",
            SkipReason::Empty => "empty",
        }
    }
}

/// How to read records.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// JSON field / CSV column holding the article id.
    pub id_field: String,
    /// JSON field / CSV column holding the article text.
    pub text_field: String,
    /// Records larger than this many bytes are skipped with an error.
    pub max_article_bytes: usize,
    /// Other JSON fields / CSV columns to keep with each article (`Article::fields`).
    pub keep_fields: Vec<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            id_field: "id".into(),
            text_field: "text".into(),
            max_article_bytes: 5_000_000,
            keep_fields: Vec::new(),
        }
    }
}

/// The format of one input, from its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Text,
}

impl Format {
    /// The format of `path` (after any `.gz`), or `None` for an extension quotestance does not read.
    pub fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = Path::new(name).extension()?.to_string_lossy().to_string();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }
}

/// One input named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    Path(PathBuf),
}

impl Input {
    pub fn parse(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

/// A file queued for reading.
#[derive(Debug)]
enum Pending {
    Stdin,
    File {
        path: PathBuf,
        format: Format,
    },
    Skip {
        path: PathBuf,
        reason: String,
        kind: SkipReason,
    },
}

/// The articles of a list of inputs, in order: inputs as given, folders walked in path order.
pub struct Corpus {
    pending: VecDeque<Pending>,
    current: Option<Reader>,
    options: ReadOptions,
    bytes_read: Arc<AtomicU64>,
}

impl Corpus {
    /// Opens the inputs. Fails when an input named here does not exist or cannot be read (a file
    /// that cannot be opened, a folder that cannot be listed): nothing has been processed yet, and
    /// a typo should not look like an empty corpus. Problems found inside folders (files or
    /// subfolders that cannot be read, dangling links, pipes) and inside files are reported record
    /// by record, and reading goes on.
    pub fn open(inputs: &[Input], options: ReadOptions) -> io::Result<Corpus> {
        let mut pending = VecDeque::new();
        for input in inputs {
            match input {
                Input::Stdin => pending.push_back(Pending::Stdin),
                Input::Path(path) => {
                    let named =
                        |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
                    let meta = std::fs::metadata(path).map_err(named)?;
                    if meta.is_dir() {
                        std::fs::read_dir(path).map_err(named)?;
                        pending.extend(walk(path));
                    } else {
                        File::open(path).map_err(named)?;
                        let format = Format::of(path).unwrap_or(Format::Text);
                        pending.push_back(Pending::File {
                            path: path.clone(),
                            format,
                        });
                    }
                }
            }
        }
        Ok(Corpus {
            pending,
            current: None,
            options,
            bytes_read: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Total size in bytes of the files to read (compressed size for `.gz`), when known.
    pub fn total_bytes(&self) -> Option<u64> {
        let mut total = 0;
        for p in &self.pending {
            match p {
                Pending::Stdin => return None,
                Pending::File { path, .. } => {
                    total += std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
                }
                Pending::Skip { .. } => {}
            }
        }
        Some(total)
    }

    /// Whether any input is standard input (which can be read only once, and arrives at the
    /// producer's pace).
    pub fn reads_stdin(&self) -> bool {
        self.pending.iter().any(|p| matches!(p, Pending::Stdin))
    }

    /// The files this corpus will read, in order (folders already walked), or `None` when an input
    /// is standard input. Used to fingerprint a run's inputs.
    pub fn files(&self) -> Option<Vec<PathBuf>> {
        self.pending
            .iter()
            .map(|p| match p {
                Pending::Stdin => None,
                Pending::File { path, .. } | Pending::Skip { path, .. } => Some(path.clone()),
            })
            .collect()
    }

    /// A counter of bytes read so far from the input files, for progress reporting.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes_read)
    }

    fn open_next(&mut self) -> Option<Result<(), RecordError>> {
        let next = self.pending.pop_front()?;
        let (display, raw, format): (String, Box<dyn Read + Send>, Format) = match next {
            Pending::Stdin => ("<stdin>".into(), Box::new(io::stdin()), Format::Jsonl),
            Pending::Skip { path, reason, kind } => {
                return Some(Err(RecordError {
                    location: Location {
                        path: path.display().to_string(),
                        line: 0,
                    },
                    message: reason,
                    reason: kind,
                }));
            }
            Pending::File { path, format } => {
                let display = path.display().to_string();
                let file = match File::open(&path) {
                    Ok(f) => f,
                    Err(e) => {
                        return Some(Err(RecordError {
                            location: Location {
                                path: display,
                                line: 0,
                            },
                            message: format!("cannot open: {e}"),
                            reason: SkipReason::CannotOpen,
                        }));
                    }
                };
                let counted = CountingReader {
                    inner: file,
                    count: Arc::clone(&self.bytes_read),
                };
                let gz = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
                let raw: Box<dyn Read + Send> = if gz {
                    Box::new(MultiGzDecoder::new(BufReader::new(counted)))
                } else {
                    Box::new(counted)
                };
                (display, raw, format)
            }
        };
        let stem = file_stem(&display);
        self.current = Some(match format {
            Format::Jsonl => Reader::Jsonl(jsonl::JsonlReader::new(display, stem, raw)),
            Format::Csv => Reader::Csv(csv_rows::CsvReader::new(display, stem, raw)),
            Format::Text => Reader::Text(text::TextReader::new(display, stem, raw)),
        });
        Some(Ok(()))
    }
}

impl Iterator for Corpus {
    type Item = Result<Article, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(reader) = self.current.as_mut() {
                match reader.next_record(&self.options) {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            match self.open_next()? {
                Ok(()) => continue,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Counts bytes read from the underlying file.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The files under `root` in path order, following symbolic links (as `rg -L` does: a linked
/// file or folder is part of the corpus). What cannot be read is queued as a skip with its reason,
/// so that it is reported in its place and never dropped silently: files of other formats,
/// pipes and devices, dangling links, link loops, unreadable files and folders. Hidden files
/// (a leading `.`, like the partial outputs and journals of runs writing into the folder) are
/// left out.
fn walk(root: &Path) -> Vec<Pending> {
    let mut found: Vec<Pending> = Vec::new();
    let path_of = |p: &Pending| match p {
        Pending::File { path, .. } | Pending::Skip { path, .. } => path.clone(),
        Pending::Stdin => PathBuf::new(),
    };
    for entry in walkdir::WalkDir::new(root).follow_links(true) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let reason = if e.loop_ancestor().is_some() {
                    "a symbolic link loop back to a folder above it; not followed".to_string()
                } else if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
                    && std::fs::metadata(&path).is_err()
                {
                    "a symbolic link to nothing (dangling); skipped".to_string()
                } else {
                    let cause = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    format!("cannot read: {cause}; skipped")
                };
                found.push(Pending::Skip {
                    path,
                    reason,
                    kind: SkipReason::CannotOpen,
                });
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.into_path();
        if !file_type.is_file() {
            found.push(Pending::Skip {
                path,
                reason: "not a regular file (a pipe, socket or device); skipped".into(),
                kind: SkipReason::UnsupportedFile,
            });
            continue;
        }
        found.push(match Format::of(&path) {
            Some(format) => Pending::File { path, format },
            None => Pending::Skip {
                path,
                reason: "skipped: not a .jsonl, .ndjson, .csv or .txt file (optionally .gz)".into(),
                kind: SkipReason::UnsupportedFile,
            },
        });
    }
    found.sort_by_key(|p| path_of(p));
    found
}

fn file_stem(display: &str) -> String {
    let name = Path::new(display)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| display.to_string());
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name.to_string(),
    }
}
/// The reader of the file being read: one per format.
enum Reader {
    Jsonl(jsonl::JsonlReader),
    Csv(csv_rows::CsvReader),
    Text(text::TextReader),
}

impl Reader {
    fn next_record(&mut self, options: &ReadOptions) -> Option<Result<Article, RecordError>> {
        match self {
            Reader::Jsonl(reader) => reader.next_record(options),
            Reader::Csv(reader) => reader.next_record(options),
            Reader::Text(reader) => reader.next_record(options),
        }
    }
}

pub(super) fn error(
    path: &str,
    line: u64,
    reason: SkipReason,
    message: impl Into<String>,
) -> RecordError {
    RecordError {
        location: Location {
            path: path.to_string(),
            line,
        },
        message: message.into(),
        reason,
    }
}

/// The UTF-8 byte-order mark some editors put at the start of a file.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/b.jsonl.gz")), Some(Format::Jsonl));
        assert_eq!(Format::of(Path::new("x.CSV")), Some(Format::Csv));
        assert_eq!(Format::of(Path::new("x.txt")), Some(Format::Text));
        assert_eq!(Format::of(Path::new("x.png")), None);
    }

    /// Kept fields come through as written: strings unquoted, numbers as written, a null or
    /// missing field (or CSV column) empty; in the order asked for.
    #[test]
    fn kept_fields_are_read_from_json_and_csv() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("a.jsonl");
        std::fs::write(
            &jsonl,
            "{\"id\":\"a\",\"text\":\"x\",\"domain\":\"sport\",\"year\":1999}\n\
             {\"id\":\"b\",\"text\":\"y\",\"domain\":null}\n",
        )
        .unwrap();
        let csv = dir.path().join("b.csv");
        std::fs::write(&csv, "id,year,text\nc,2001,z\n").unwrap();
        let options = ReadOptions {
            keep_fields: vec!["year".into(), "domain".into()],
            ..ReadOptions::default()
        };
        let inputs = [Input::Path(jsonl), Input::Path(csv)];
        let fields: Vec<(String, Vec<String>)> = Corpus::open(&inputs, options)
            .unwrap()
            .map(|a| a.map(|a| (a.id, a.fields)).unwrap())
            .collect();
        let want =
            |id: &str, f: &[&str]| (id.to_string(), f.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            fields,
            vec![
                want("a", &["1999", "sport"]),
                want("b", &["", ""]),
                want("c", &["2001", ""]),
            ]
        );
    }
}
