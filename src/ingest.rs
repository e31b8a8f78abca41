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
}

/// A file (or `<stdin>`) and a 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
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
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            id_field: "id".into(),
            text_field: "text".into(),
            max_article_bytes: 5_000_000,
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
    File { path: PathBuf, format: Format },
    Skip { path: PathBuf, reason: String },
}

/// The articles of a list of inputs, in order: inputs as given, folders walked in path order.
pub struct Corpus {
    pending: VecDeque<Pending>,
    current: Option<Reader>,
    options: ReadOptions,
    bytes_read: Arc<AtomicU64>,
}

impl Corpus {
    /// Opens the inputs. Fails only when an input does not exist or a folder cannot be listed;
    /// problems inside files are reported record by record.
    pub fn open(inputs: &[Input], options: ReadOptions) -> io::Result<Corpus> {
        let mut pending = VecDeque::new();
        for input in inputs {
            match input {
                Input::Stdin => pending.push_back(Pending::Stdin),
                Input::Path(path) => {
                    let meta = std::fs::metadata(path).map_err(|e| {
                        io::Error::new(e.kind(), format!("{}: {e}", path.display()))
                    })?;
                    if meta.is_dir() {
                        let mut files = Vec::new();
                        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                            let entry = entry.map_err(|e| {
                                io::Error::other(format!("{}: {e}", path.display()))
                            })?;
                            if !entry.file_type().is_file()
                                || entry.file_name().to_string_lossy().starts_with('.')
                            {
                                continue;
                            }
                            files.push(entry.into_path());
                        }
                        files.sort();
                        for file in files {
                            match Format::of(&file) {
                                Some(format) => pending.push_back(Pending::File { path: file, format }),
                                None => pending.push_back(Pending::Skip { path: file, reason: "skipped: not a .jsonl, .ndjson, .csv or .txt file (optionally .gz)".into() }),
                            }
                        }
                    } else {
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
                Pending::File { path, .. } | Pending::Skip { path, .. } => {
                    total += std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
                }
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
            Pending::Skip { path, reason } => {
                if let Ok(meta) = std::fs::metadata(&path) {
                    self.bytes_read.fetch_add(meta.len(), Ordering::Relaxed);
                }
                return Some(Err(RecordError {
                    location: Location {
                        path: path.display().to_string(),
                        line: 0,
                    },
                    message: reason,
                    reason: SkipReason::UnsupportedFile,
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
            },
            Format::Csv => {
                let reader = csv::ReaderBuilder::new().flexible(true).from_reader(raw);
                Reader::Csv {
                    path: display,
                    stem,
                    reader,
                    columns: None,
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
    },
    Csv {
        path: String,
        stem: String,
        reader: csv::Reader<Box<dyn Read + Send>>,
        columns: Option<Result<(Option<usize>, usize), String>>,
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
            } => loop {
                *line += 1;
                let bytes = match read_line_bounded(lines, options.max_article_bytes) {
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
                        return Some(Err(err));
                    }
                };
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return Some(parse_json_record(&bytes, path, stem, *line, options));
            },
            Reader::Csv {
                path,
                stem,
                reader,
                columns,
            } => {
                if columns.is_none() {
                    *columns = Some(match reader.headers() {
                        Ok(headers) => {
                            let find = |name: &str| {
                                headers
                                    .iter()
                                    .position(|h| h.trim_start_matches('\u{feff}') == name)
                            };
                            match find(&options.text_field) {
                                Some(text) => Ok((find(&options.id_field), text)),
                                None => Err(format!(
                                    "no {:?} column in the header (use --text-field)",
                                    options.text_field
                                )),
                            }
                        }
                        Err(e) => Err(format!("cannot read the CSV header: {e}")),
                    });
                    if let Some(Err(message)) = columns.clone() {
                        let reason = if message.starts_with("no ") {
                            SkipReason::MissingField
                        } else {
                            SkipReason::BadCsv
                        };
                        let err = error(path, 1, reason, format!("{message}; file skipped"));
                        *reader = csv::ReaderBuilder::new().from_reader(Box::new(io::empty()));
                        return Some(Err(err));
                    }
                }
                let Some(Ok((id_col, text_col))) = columns.clone() else {
                    return None;
                };
                let mut record = csv::ByteRecord::new();
                match reader.read_byte_record(&mut record) {
                    Ok(false) => None,
                    Ok(true) => {
                        let line = record.position().map_or(0, |p| p.line());
                        Some(csv_record(
                            &record, id_col, text_col, path, stem, line, options,
                        ))
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
                match String::from_utf8(bytes) {
                    Ok(text) => Some(Ok(Article {
                        id: stem.clone(),
                        text,
                        source: Location {
                            path: path.clone(),
                            line: 1,
                        },
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
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        error(
            path,
            line,
            SkipReason::MalformedJson,
            format!("malformed JSON: {e}"),
        )
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err(error(
            path,
            line,
            SkipReason::NotAnObject,
            "not a JSON object",
        ));
    };
    let article_text = match map.get(&options.text_field) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(error(
                path,
                line,
                SkipReason::WrongFieldType,
                format!(
                    "field {:?} is {}, not a string",
                    options.text_field,
                    json_type(other)
                ),
            ));
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
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Null) | None => format!("{stem}:{line}"),
        Some(other) => {
            return Err(error(
                path,
                line,
                SkipReason::WrongFieldType,
                format!(
                    "field {:?} is {}, not a string or number",
                    options.id_field,
                    json_type(other)
                ),
            ));
        }
    };
    Ok(Article {
        id,
        text: article_text,
        source: Location {
            path: path.to_string(),
            line,
        },
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
    id_col: Option<usize>,
    text_col: usize,
    path: &str,
    stem: &str,
    line: u64,
    options: &ReadOptions,
) -> Result<Article, RecordError> {
    let Some(text) = record.get(text_col) else {
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
    let id = match id_col.and_then(|k| record.get(k)) {
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
    Ok(Article {
        id,
        text: text.to_string(),
        source: Location {
            path: path.to_string(),
            line,
        },
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
}
