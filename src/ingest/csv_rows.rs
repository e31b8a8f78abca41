//! CSV with a header: the id and text columns found by name, each row one article, rows with
//! broken quoting reported instead of shifting the rest of the file.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::Arc;

use super::{Article, Location, ReadOptions, RecordError, SkipReason, error};

/// Reads a CSV file.
pub(super) struct CsvReader {
    path: String,
    stem: String,
    reader: csv::Reader<Box<dyn Read + Send>>,
    columns: Option<Result<CsvColumns, String>>,
    /// Byte offsets where the quoting of the file goes wrong (see [`QuoteChecker`]).
    faults: Arc<std::sync::Mutex<VecDeque<u64>>>,
}

impl CsvReader {
    pub(super) fn new(path: String, stem: String, raw: Box<dyn Read + Send>) -> CsvReader {
        let faults = Arc::new(std::sync::Mutex::new(VecDeque::new()));
        let checked = QuoteChecker::new(raw, Arc::clone(&faults));
        let reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(Box::new(checked) as Box<dyn Read + Send>);
        CsvReader {
            path,
            stem,
            reader,
            columns: None,
            faults,
        }
    }

    pub(super) fn next_record(
        &mut self,
        options: &ReadOptions,
    ) -> Option<Result<Article, RecordError>> {
        let CsvReader {
            path,
            stem,
            reader,
            columns,
            faults,
        } = self;
        {
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
    }
}

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
