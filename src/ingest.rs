//! Streaming article readers: JSONL, CSV, plain text, folders, gzip, stdin.
//!
//! [`Corpus`] is an iterator of `Result<Article, RecordError>`: a broken record (malformed JSON, a
//! CSV row without the text field, invalid UTF-8, an over-long article, a binary file) becomes one
//! error naming its file and line, and reading goes on with the next record. Only one record is held
//! in memory at a time, and no line is read past the article size limit.

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
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
            Format::Jsonl => Reader::Jsonl {
                path: display,
                stem,
                lines: BufReader::with_capacity(1 << 16, raw),
                line: 0,
                found: false,
            },
            Format::Csv => {
                let faults = Arc::new(std::sync::Mutex::new(VecDeque::new()));
                let checked = QuoteChecker::new(raw, Arc::clone(&faults));
                let reader = csv::ReaderBuilder::new()
                    .flexible(true)
                    .from_reader(Box::new(checked) as Box<dyn Read + Send>);
                Reader::Csv {
                    path: display,
                    stem,
                    reader,
                    columns: None,
                    faults,
                }
            }
            Format::Text => Reader::Text {
                path: display,
                stem,
                raw: Some(raw),
            },
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

enum Reader {
    Jsonl {
        path: String,
        stem: String,
        lines: BufReader<Box<dyn Read + Send>>,
        line: u64,
        /// Whether a non-blank line was seen (a file without one is reported as empty).
        found: bool,
    },
    Csv {
        path: String,
        stem: String,
        reader: csv::Reader<Box<dyn Read + Send>>,
        columns: Option<Result<CsvColumns, String>>,
        /// Byte offsets where the quoting of the file goes wrong (see [`QuoteChecker`]).
        faults: Arc<std::sync::Mutex<VecDeque<u64>>>,
    },
    Text {
        path: String,
        stem: String,
        raw: Option<Box<dyn Read + Send>>,
    },
}

fn error(path: &str, line: u64, reason: SkipReason, message: impl Into<String>) -> RecordError {
    RecordError {
        location: Location {
            path: path.to_string(),
            line,
        },
        message: message.into(),
        reason,
    }
}

impl Reader {
    fn next_record(&mut self, options: &ReadOptions) -> Option<Result<Article, RecordError>> {
        match self {
            Reader::Jsonl {
                path,
                stem,
                lines,
                line,
                found,
            } => loop {
                *line += 1;
                let mut bytes = match read_line_bounded(lines, options.max_article_bytes) {
                    Ok(Line::Eof) if !*found => {
                        *found = true;
                        return Some(Err(error(
                            path,
                            0,
                            SkipReason::Empty,
                            "empty file: no articles in it",
                        )));
                    }
                    Ok(Line::Eof) => return None,
                    Ok(Line::TooLong(n)) => {
                        return Some(Err(error(
                            path,
                            *line,
                            SkipReason::TooLarge,
                            format!(
                                "record of {n} bytes or more is over the limit of {} bytes (--max-article-bytes)",
                                options.max_article_bytes
                            ),
                        )));
                    }
                    Ok(Line::Bytes(b)) => b,
                    Err(e) => {
                        // A read error (a corrupt .gz, say) ends this file.
                        let err = error(
                            path,
                            *line,
                            SkipReason::ReadError,
                            format!("read error, rest of file skipped: {e}"),
                        );
                        *lines = BufReader::new(Box::new(io::empty()));
                        *found = true;
                        return Some(Err(err));
                    }
                };
                if *line == 1 && bytes.starts_with(BOM) {
                    bytes.drain(..BOM.len());
                }
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                *found = true;
                return Some(parse_json_record(&bytes, path, stem, *line, options));
            },
            Reader::Csv {
                path,
                stem,
                reader,
                columns,
                faults,
            } => {
                if columns.is_none() {
                    let (found, reason) = csv_columns(reader, options);
                    *columns = Some(found);
                    if let Some(Err(message)) = columns.clone() {
                        let line = if reason == SkipReason::Empty { 0 } else { 1 };
                        let err = error(path, line, reason, format!("{message}; file skipped"));
                        *reader = csv::ReaderBuilder::new().from_reader(Box::new(io::empty()));
                        return Some(Err(err));
                    }
                }
                let Some(Ok(found)) = columns.as_ref() else {
                    return None;
                };
                let mut record = csv::ByteRecord::new();
                match reader.read_byte_record(&mut record) {
                    Ok(false) => None,
                    Ok(true) => {
                        let line = record.position().map_or(0, |p| p.line());
                        let start = record.position().map_or(0, |p| p.byte());
                        let end = reader.position().byte();
                        let mut faults = faults.lock().unwrap_or_else(|e| e.into_inner());
                        let broken = faults.iter().any(|&at| (start..end).contains(&at));
                        while faults.front().is_some_and(|&at| at < end) {
                            faults.pop_front();
                        }
                        if broken {
                            return Some(Err(error(
                                path,
                                line,
                                SkipReason::BadCsv,
                                "unbalanced quote mark: a quoted field is not closed, or a quote \
                                 mark inside it is not doubled; record skipped",
                            )));
                        }
                        if record.len() > found.width {
                            return Some(Err(error(
                                path,
                                line,
                                SkipReason::BadCsv,
                                format!(
                                    "row has {} fields but the header has {} (a field with a \
                                     comma that is not quoted?); record skipped",
                                    record.len(),
                                    found.width
                                ),
                            )));
                        }
                        Some(csv_record(&record, found, path, stem, line, options))
                    }
                    Err(e) => {
                        let line = e.position().map_or(0, |p| p.line());
                        let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                        if fatal {
                            *reader = csv::ReaderBuilder::new().from_reader(Box::new(io::empty()));
                        }
                        Some(Err(error(
                            path,
                            line,
                            SkipReason::BadCsv,
                            format!("bad CSV record: {e}"),
                        )))
                    }
                }
            }
            Reader::Text { path, stem, raw } => {
                let raw = raw.take()?;
                let mut bytes = Vec::new();
                let limit = options.max_article_bytes as u64;
                if let Err(e) = raw.take(limit + 1).read_to_end(&mut bytes) {
                    return Some(Err(error(
                        path,
                        1,
                        SkipReason::ReadError,
                        format!("read error: {e}"),
                    )));
                }
                if bytes.len() as u64 > limit {
                    return Some(Err(error(
                        path,
                        1,
                        SkipReason::TooLarge,
                        format!("file is over the limit of {limit} bytes (--max-article-bytes)"),
                    )));
                }
                if let Some(at) = bytes.iter().position(|&b| b == 0) {
                    let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64;
                    return Some(Err(error(
                        path,
                        line,
                        SkipReason::Binary,
                        "binary data (NUL byte), file skipped",
                    )));
                }
                if bytes.starts_with(BOM) {
                    bytes.drain(..BOM.len());
                }
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    return Some(Err(error(
                        path,
                        0,
                        SkipReason::Empty,
                        "empty file: no article in it",
                    )));
                }
                match String::from_utf8(bytes) {
                    Ok(text) => Some(Ok(Article {
                        id: stem.clone(),
                        text,
                        source: Location {
                            path: path.clone(),
                            line: 1,
                        },
                        fields: vec![String::new(); options.keep_fields.len()],
                    })),
                    Err(e) => {
                        let at = e.utf8_error().valid_up_to();
                        let line =
                            1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u64;
                        Some(Err(error(
                            path,
                            line,
                            SkipReason::InvalidUtf8,
                            format!("invalid UTF-8 at byte {at}, file skipped"),
                        )))
                    }
                }
            }
        }
    }
}

/// The UTF-8 byte-order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where a CSV file's id and text columns are, and how many columns its header has.
#[derive(Clone, Debug)]
struct CsvColumns {
    id: Option<usize>,
    text: usize,
    width: usize,
    /// The columns of `ReadOptions::keep_fields`, where the header has them.
    kept: Vec<Option<usize>>,
}

/// Reads the header of a CSV file; on failure, the message and its reason.
fn csv_columns(
    reader: &mut csv::Reader<Box<dyn Read + Send>>,
    options: &ReadOptions,
) -> (Result<CsvColumns, String>, SkipReason) {
    match reader.byte_headers() {
        Ok(headers) if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) => (
            Err("empty file: no header, no articles".into()),
            SkipReason::Empty,
        ),
        Ok(headers) => {
            let names: Vec<String> = headers
                .iter()
                .map(|h| {
                    String::from_utf8_lossy(h)
                        .trim_start_matches('\u{feff}')
                        .to_string()
                })
                .collect();
            let find = |name: &str| names.iter().position(|h| h == name);
            match find(&options.text_field) {
                Some(text) => (
                    Ok(CsvColumns {
                        id: find(&options.id_field),
                        text,
                        width: names.len(),
                        kept: options.keep_fields.iter().map(|f| find(f)).collect(),
                    }),
                    SkipReason::MissingField,
                ),
                None => (
                    Err(format!(
                        "no {:?} column in the header (use --text-field)",
                        options.text_field
                    )),
                    SkipReason::MissingField,
                ),
            }
        }
        Err(e) => (
            Err(format!("cannot read the CSV header: {e}")),
            SkipReason::BadCsv,
        ),
    }
}

/// Watches the bytes of a CSV file as the csv reader pulls them, following the same grammar
/// (comma, double quote, quotes doubled inside quoted fields), and records the byte offset of
/// every place where quoting goes wrong: a quoted field whose closing mark is followed by more
/// text (an undoubled quote mark inside it), or the end of the file inside a quoted field. The
/// csv crate reads both without complaint, and the rest of the file can then shift into the wrong
/// columns, so the records they fall in are reported instead.
struct QuoteChecker<R> {
    inner: R,
    offset: u64,
    state: QuoteState,
    faults: Arc<std::sync::Mutex<VecDeque<u64>>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote mark inside a quoted field: the closing one, or the first of a doubled pair.
    QuoteInQuoted,
}

impl<R: Read> QuoteChecker<R> {
    fn new(inner: R, faults: Arc<std::sync::Mutex<VecDeque<u64>>>) -> Self {
        QuoteChecker {
            inner,
            offset: 0,
            state: QuoteState::FieldStart,
            faults,
        }
    }

    fn fault(&self, at: u64) {
        self.faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back(at);
    }
}

impl<R: Read> Read for QuoteChecker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            if self.state == QuoteState::Quoted {
                self.fault(self.offset.saturating_sub(1));
                self.state = QuoteState::FieldStart;
            }
            return Ok(0);
        }
        for (k, &b) in buf[..n].iter().enumerate() {
            let at = self.offset + k as u64;
            self.state = match (self.state, b) {
                (QuoteState::FieldStart, b'"') => QuoteState::Quoted,
                (QuoteState::FieldStart | QuoteState::Unquoted, b',' | b'\n' | b'\r') => {
                    QuoteState::FieldStart
                }
                (QuoteState::FieldStart | QuoteState::Unquoted, _) => QuoteState::Unquoted,
                (QuoteState::Quoted, b'"') => QuoteState::QuoteInQuoted,
                (QuoteState::Quoted, _) => QuoteState::Quoted,
                (QuoteState::QuoteInQuoted, b'"') => QuoteState::Quoted,
                (QuoteState::QuoteInQuoted, b',' | b'\n' | b'\r') => QuoteState::FieldStart,
                (QuoteState::QuoteInQuoted, _) => {
                    self.fault(at);
                    QuoteState::Unquoted
                }
            };
        }
        self.offset += n as u64;
        Ok(n)
    }
}

enum Line {
    Eof,
    Bytes(Vec<u8>),
    TooLong(usize),
}

/// Reads one line (without its newline) of at most `limit` bytes; longer lines are consumed and
/// reported without being held in memory.
fn read_line_bounded(reader: &mut impl BufRead, limit: usize) -> io::Result<Line> {
    let mut buf = Vec::new();
    let n = reader
        .by_ref()
        .take(limit as u64 + 1)
        .read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(Line::Eof);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        return Ok(Line::Bytes(buf));
    }
    if buf.len() <= limit {
        return Ok(Line::Bytes(buf)); // last line without a newline
    }
    // Over the limit: skip to the end of the line.
    let mut skipped = buf.len();
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(k) => {
                reader.consume(k + 1);
                skipped += k;
                break;
            }
            None => {
                let len = chunk.len();
                reader.consume(len);
                skipped += len;
            }
        }
    }
    Ok(Line::TooLong(skipped))
}

fn parse_json_record(
    bytes: &[u8],
    path: &str,
    stem: &str,
    line: u64,
    options: &ReadOptions,
) -> Result<Article, RecordError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        error(
            path,
            line,
            SkipReason::InvalidUtf8,
            format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
        )
    })?;
    // Fields are kept as raw JSON, so that a numeric id stays exactly as written: a number
    // parsed to f64 would round 18446744073709551617 and turn 1e2 into 100.0.
    let raw: &serde_json::value::RawValue = serde_json::from_str(text).map_err(|e| {
        error(
            path,
            line,
            SkipReason::MalformedJson,
            format!("malformed JSON: {e}"),
        )
    })?;
    if !raw.get().starts_with('{') {
        return Err(error(
            path,
            line,
            SkipReason::NotAnObject,
            "not a JSON object",
        ));
    }
    let map: std::collections::HashMap<String, &serde_json::value::RawValue> =
        serde_json::from_str(raw.get()).map_err(|e| {
            error(
                path,
                line,
                SkipReason::MalformedJson,
                format!("malformed JSON: {e}"),
            )
        })?;
    let string = |value: &serde_json::value::RawValue| -> Option<String> {
        serde_json::from_str::<String>(value.get()).ok()
    };
    let wrong_type = |field: &str, value: &serde_json::value::RawValue, wanted: &str| {
        let found = serde_json::from_str::<serde_json::Value>(value.get())
            .map_or("not valid JSON", |v| json_type(&v));
        error(
            path,
            line,
            SkipReason::WrongFieldType,
            format!("field {field:?} is {found}, not {wanted}"),
        )
    };
    let article_text = match map.get(&options.text_field) {
        Some(value) => {
            string(value).ok_or_else(|| wrong_type(&options.text_field, value, "a string"))?
        }
        None => {
            return Err(error(
                path,
                line,
                SkipReason::MissingField,
                format!("no {:?} field (use --text-field)", options.text_field),
            ));
        }
    };
    let id = match map.get(&options.id_field) {
        None => format!("{stem}:{line}"),
        Some(value) => match value.get().as_bytes().first() {
            Some(b'"') => string(value)
                .ok_or_else(|| wrong_type(&options.id_field, value, "a string or number"))?,
            Some(b'-' | b'0'..=b'9') => value.get().to_string(),
            Some(b'n') => format!("{stem}:{line}"),
            _ => return Err(wrong_type(&options.id_field, value, "a string or number")),
        },
    };
    let fields = options
        .keep_fields
        .iter()
        .map(|field| match map.get(field) {
            None => String::new(),
            Some(value) => string(value).unwrap_or_else(|| match value.get() {
                "null" => String::new(),
                raw => raw.to_string(),
            }),
        })
        .collect();
    Ok(Article {
        id,
        text: article_text,
        source: Location {
            path: path.to_string(),
            line,
        },
        fields,
    })
}

fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn csv_record(
    record: &csv::ByteRecord,
    columns: &CsvColumns,
    path: &str,
    stem: &str,
    line: u64,
    options: &ReadOptions,
) -> Result<Article, RecordError> {
    let Some(text) = record.get(columns.text) else {
        return Err(error(
            path,
            line,
            SkipReason::MissingField,
            format!(
                "row has {} fields, no {:?} field",
                record.len(),
                options.text_field
            ),
        ));
    };
    if text.len() > options.max_article_bytes {
        return Err(error(
            path,
            line,
            SkipReason::TooLarge,
            format!(
                "record of {} bytes is over the limit of {} bytes (--max-article-bytes)",
                text.len(),
                options.max_article_bytes
            ),
        ));
    }
    let text = std::str::from_utf8(text).map_err(|e| {
        error(
            path,
            line,
            SkipReason::InvalidUtf8,
            format!(
                "invalid UTF-8 in field {:?} at byte {}",
                options.text_field,
                e.valid_up_to()
            ),
        )
    })?;
    let id = match columns.id.and_then(|k| record.get(k)) {
        Some(raw) if !raw.is_empty() => std::str::from_utf8(raw)
            .map_err(|_| {
                error(
                    path,
                    line,
                    SkipReason::InvalidUtf8,
                    "invalid UTF-8 in the id field",
                )
            })?
            .to_string(),
        _ => format!("{stem}:{line}"),
    };
    let fields = columns
        .kept
        .iter()
        .map(|k| {
            k.and_then(|k| record.get(k))
                .map(|raw| String::from_utf8_lossy(raw).into_owned())
                .unwrap_or_default()
        })
        .collect();
    Ok(Article {
        id,
        text: text.to_string(),
        source: Location {
            path: path.to_string(),
            line,
        },
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines() {
        let mut r = io::Cursor::new(b"short\nthis line is long\nend".to_vec());
        assert!(matches!(read_line_bounded(&mut r, 8).unwrap(), Line::Bytes(b) if b == b"short"));
        assert!(matches!(
            read_line_bounded(&mut r, 8).unwrap(),
            Line::TooLong(_)
        ));
        assert!(matches!(read_line_bounded(&mut r, 8).unwrap(), Line::Bytes(b) if b == b"end"));
        assert!(matches!(read_line_bounded(&mut r, 8).unwrap(), Line::Eof));
    }

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
