//! Output rows and writers (CSV, JSONL), and atomic output files.
//!
//! Offsets in rows are Unicode code points into the article text, end exclusive, so that Python's
//! `text[start:end] == quote` holds. When the output is a file, rows go to a temporary file in the
//! same folder that is renamed into place only when the run finishes: a crash never leaves a
//! truncated file that looks complete.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::extract::quotes::{Quote, QuoteKind};
use crate::fs::{Target, make_readable, named, sync_parent};
use crate::ingest::Article;
use crate::run::journal::{Checkpoint, Journal, beside};

/// The column names, in order.
pub const COLUMNS: [&str; 12] = [
    "article_id",
    "quote_index",
    "start",
    "end",
    "kind",
    "speaker",
    "cue",
    "quote",
    "stance",
    "stance_score",
    "sentiment",
    "sentiment_score",
];

/// One output row: one quote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub article_id: String,
    pub quote_index: usize,
    pub start: usize,
    pub end: usize,
    pub kind: QuoteKind,
    pub speaker: String,
    pub cue: String,
    pub quote: String,
    pub stance: Option<String>,
    #[serde(serialize_with = "four_decimals")]
    pub stance_score: Option<f32>,
    pub sentiment: Option<String>,
    #[serde(serialize_with = "four_decimals")]
    pub sentiment_score: Option<f32>,
    /// In gold files only: 1 when the annotators hesitated over the stance (two acts in one
    /// quote, or they disagreed). Never written to output.
    #[serde(default, skip_serializing)]
    pub unsure: Option<u8>,
}

/// Scores in JSON with the four decimals of the CSV: the same number in both formats, and a
/// score that moves in its seventh digit with a different batch shape (floating-point sums in
/// another order) does not change the output.
fn four_decimals<S: serde::Serializer>(
    score: &Option<f32>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match score {
        Some(v) => {
            let rounded: f64 = format!("{v:.4}").parse().unwrap_or(f64::from(*v));
            serializer.serialize_some(&rounded)
        }
        None => serializer.serialize_none(),
    }
}

/// The rows of one article's quotes, with byte spans turned into code-point offsets.
pub fn rows(article: &Article, quotes: &[Quote]) -> Vec<Row> {
    let mut order: Vec<usize> = (0..quotes.len()).collect();
    order.sort_by_key(|&k| (quotes[k].span.start, quotes[k].span.end));
    let offsets = CharOffsets::new(&article.text);
    order
        .iter()
        .enumerate()
        .map(|(index, &k)| {
            let q = &quotes[k];
            Row {
                article_id: article.id.clone(),
                quote_index: index,
                start: offsets.char_index(q.span.start),
                end: offsets.char_index(q.span.end),
                kind: q.kind,
                speaker: q.speaker.clone(),
                cue: q.cue.clone(),
                quote: article.text[q.span.start..q.span.end].to_string(),
                stance: None,
                stance_score: None,
                sentiment: None,
                sentiment_score: None,
                unsure: None,
            }
        })
        .collect()
}

/// Byte offset -> code point index, by binary search over a sparse table of non-ASCII positions.
struct CharOffsets {
    /// (byte offset, extra bytes before it) for every multi-byte character.
    multibyte: Vec<(usize, usize)>,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let mut extra = 0;
        let mut multibyte = Vec::new();
        for (i, c) in text.char_indices() {
            let len = c.len_utf8();
            if len > 1 {
                extra += len - 1;
                multibyte.push((i + len, extra));
            }
        }
        CharOffsets { multibyte }
    }

    fn char_index(&self, byte: usize) -> usize {
        let k = self.multibyte.partition_point(|&(end, _)| end <= byte);
        let extra = if k == 0 { 0 } else { self.multibyte[k - 1].1 };
        byte - extra
    }
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Jsonl,
}

impl OutputFormat {
    /// The format's name, as the manifest and messages give it.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Csv => "csv",
            OutputFormat::Jsonl => "jsonl",
        }
    }
}

/// Where rows go: standard output, a special file, or a regular file made atomically.
pub enum Destination {
    Stdout(io::Stdout),
    /// A device or FIFO (`/dev/null`, `/dev/full`, a named pipe): written in place, since it cannot
    /// be replaced by a rename (and must not be: `/dev/full` is a test device, not a file to
    /// overwrite) and nothing will mistake it for a finished file.
    Special {
        file: File,
        path: PathBuf,
    },
    /// A regular file, written as a partial file beside it and renamed into place when complete.
    File(Partial),
}

/// How a journaled destination started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// From the beginning.
    Fresh,
    /// `--resume` found no journal, so from the beginning.
    NothingToResume,
    /// From the beginning, discarding the journal and partial output of an unfinished run
    /// (there was no `--resume`).
    Restarted,
    /// From a committed point of an interrupted run.
    Resumed(Checkpoint),
    /// The interrupted run had already finished writing; only the rename was left, and is done.
    AlreadyComplete(Checkpoint),
}

/// What the journal of an output file says about the run.
enum Journaled {
    /// The run had finished; only its journal was left.
    Complete(Checkpoint),
    Open(Start, Journal),
}

impl Destination {
    /// `-` is standard output; a device or FIFO is written in place; anything else is a file
    /// created by rename when [`RowWriter::finish`] succeeds.
    pub fn open(path: &str) -> io::Result<Destination> {
        match Destination::open_target(path, None)? {
            (Some(destination), _) => Ok(destination),
            (None, _) => Err(io::Error::other("no destination to write")),
        }
    }

    /// Like [`Destination::open`], and for a regular file also keeps a [`Journal`] beside it so an
    /// interrupted run can be resumed. With `resume`, continues the journal's run when there is one
    /// (refusing one with another fingerprint); otherwise starts over. `None` with
    /// [`Start::AlreadyComplete`]: there is nothing left to write.
    pub fn open_journaled(
        path: &str,
        fingerprint: &str,
        resume: bool,
    ) -> io::Result<(Option<Destination>, Start)> {
        Destination::open_target(path, Some((fingerprint, resume)))
    }

    fn open_target(
        path: &str,
        journal: Option<(&str, bool)>,
    ) -> io::Result<(Option<Destination>, Start)> {
        let resume = journal.is_some_and(|(_, r)| r);
        if path == "-" {
            if resume {
                return Err(io::Error::other(
                    "--resume needs an output file (-o FILE): standard output cannot be resumed",
                ));
            }
            return Ok((Some(Destination::Stdout(io::stdout())), Start::Fresh));
        }
        let path = match Target::of(Path::new(path))? {
            Target::Special(path) => {
                if resume {
                    return Err(io::Error::other(format!(
                        "--resume needs a regular output file; {} is a device or pipe",
                        path.display()
                    )));
                }
                let file = OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .map_err(|e| named(&path, e))?;
                return Ok((Some(Destination::Special { file, path }), Start::Fresh));
            }
            Target::Regular(path) => path,
        };
        let temp = beside(&path, "partial");
        let (start, journal_handle) = match journal {
            Some((fingerprint, resume)) => {
                match Self::open_journal(&path, &temp, fingerprint, resume)? {
                    Journaled::Complete(checkpoint) => {
                        return Ok((None, Start::AlreadyComplete(checkpoint)));
                    }
                    Journaled::Open(start, journal) => (start, Some(journal)),
                }
            }
            None => (Start::Fresh, None),
        };
        let committed = match &start {
            Start::Resumed(c) => c.bytes,
            _ => 0,
        };
        let mut partial = Partial {
            file: None,
            temp: temp.clone(),
            path,
            journal: journal_handle,
            resumed_at: committed,
            keep: false,
        };
        let mut file = Self::open_partial(&temp, committed)?;
        file.seek(SeekFrom::End(0))?;
        partial.file = Some(file);
        Ok((Some(Destination::File(partial)), start))
    }

    /// Opens the journal of the output `path` and says where the run starts.
    fn open_journal(
        path: &Path,
        temp: &Path,
        fingerprint: &str,
        resume: bool,
    ) -> io::Result<Journaled> {
        let journal_path = Journal::path_for(path);
        let found = if resume {
            Journal::resume(&journal_path, fingerprint)?
        } else {
            None
        };
        if let Some((journal, state)) = found {
            let checkpoint = state.checkpoint.clone().unwrap_or_default();
            if state.done && !temp.exists() && path.exists() {
                // Killed between the rename and removing the journal.
                drop(journal);
                remove_quietly(&journal_path);
                return Ok(Journaled::Complete(checkpoint));
            }
            return Ok(Journaled::Open(Start::Resumed(checkpoint), journal));
        }
        let start = if resume {
            Start::NothingToResume
        } else if journal_path.exists() {
            Start::Restarted
        } else {
            Start::Fresh
        };
        Ok(Journaled::Open(
            start,
            Journal::create(&journal_path, fingerprint)?,
        ))
    }

    /// The partial file, cut back to the last commit when resuming, or created empty.
    fn open_partial(temp: &Path, committed: u64) -> io::Result<File> {
        if committed == 0 {
            return OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(temp)
                .map_err(|e| {
                    io::Error::new(e.kind(), format!("cannot create {}: {e}", temp.display()))
                });
        }
        let file = OpenOptions::new()
            .write(true)
            .open(temp)
            .map_err(|e| named(temp, e))?;
        let len = file.metadata()?.len();
        if len < committed {
            return Err(io::Error::other(format!(
                "{} is {len} bytes but its journal says {committed} were committed; it was changed after the run stopped, so leave out --resume to start over",
                temp.display()
            )));
        }
        // Rows written after the last commit are dropped; they are written again.
        file.set_len(committed).map_err(|e| named(temp, e))?;
        Ok(file)
    }
}

fn remove_quietly(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// A partial output file beside its final path, with its journal. Dropped without
/// [`RowWriter::finish`] (an error, `--strict`), it removes both, so nothing partial is left;
/// a killed process leaves them for `--resume`.
pub struct Partial {
    file: Option<File>,
    temp: PathBuf,
    path: PathBuf,
    journal: Option<Journal>,
    resumed_at: u64,
    keep: bool,
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.keep {
            remove_quietly(&self.temp);
            if let Some(journal) = self.journal.take() {
                let path = journal.path().to_path_buf();
                drop(journal);
                remove_quietly(&path);
            }
        }
    }
}

enum Sink {
    Csv(Box<csv::Writer<Box<dyn Write + Send>>>),
    Jsonl(BufWriter<Box<dyn Write + Send>>),
}

/// Writes rows in CSV or JSONL.
pub struct RowWriter {
    sink: Sink,
    /// The kept article fields' column names, after the schema's ([`crate::run::fields`]).
    extra_columns: Vec<String>,
    partial: Option<Partial>,
    /// A second handle on the partial file, to sync and measure it.
    handle: Option<File>,
    /// Where the rows go, for messages.
    name: String,
}

impl RowWriter {
    /// A writer to `destination`; `extra_columns` (the kept article fields) follow the schema's.
    pub fn new(
        destination: Destination,
        format: OutputFormat,
        extra_columns: &[String],
    ) -> io::Result<RowWriter> {
        let mut header = true;
        let (writer, partial, handle, name): (Box<dyn Write + Send>, _, _, _) = match destination {
            Destination::Stdout(out) => (Box::new(out), None, None, "standard output".to_string()),
            Destination::Special { file, path } => {
                (Box::new(file), None, None, path.display().to_string())
            }
            Destination::File(mut partial) => {
                let file = partial
                    .file
                    .take()
                    .ok_or_else(|| io::Error::other("output file already taken"))?;
                let handle = file.try_clone()?;
                header = partial.resumed_at == 0;
                let name = partial.path.display().to_string();
                (Box::new(file), Some(partial), Some(handle), name)
            }
        };
        let sink = match format {
            OutputFormat::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(writer);
                if header {
                    let names = COLUMNS
                        .iter()
                        .copied()
                        .chain(extra_columns.iter().map(String::as_str));
                    w.write_record(names).map_err(io::Error::other)?;
                }
                Sink::Csv(Box::new(w))
            }
            OutputFormat::Jsonl => Sink::Jsonl(BufWriter::with_capacity(1 << 16, writer)),
        };
        Ok(RowWriter {
            sink,
            extra_columns: extra_columns.to_vec(),
            partial,
            handle,
            name,
        })
    }

    /// The path (or "standard output") rows go to, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Writes one row, with the values of its article's kept fields (one per extra column).
    pub fn write(&mut self, row: &Row, values: &[String]) -> io::Result<()> {
        if values.len() != self.extra_columns.len() {
            return Err(io::Error::other(format!(
                "{} kept field values for {} columns",
                values.len(),
                self.extra_columns.len()
            )));
        }
        match &mut self.sink {
            Sink::Csv(w) => {
                let fields = csv_fields(row);
                let record = fields
                    .iter()
                    .map(String::as_str)
                    .chain(values.iter().map(String::as_str));
                w.write_record(record).map_err(csv_io)
            }
            Sink::Jsonl(w) => {
                let mut line = serde_json::to_vec(row).map_err(io::Error::from)?;
                if !values.is_empty() {
                    // The row's object, then the kept fields as strings, in column order.
                    line.pop();
                    for (name, value) in self.extra_columns.iter().zip(values) {
                        line.push(b',');
                        serde_json::to_writer(&mut line, name).map_err(io::Error::from)?;
                        line.push(b':');
                        serde_json::to_writer(&mut line, value).map_err(io::Error::from)?;
                    }
                    line.push(b'}');
                }
                line.push(b'\n');
                w.write_all(&line)
            }
        }
    }

    /// Writes a CSV record read from another quotestance output, unchanged (for `merge`).
    pub fn write_csv_record(&mut self, record: &csv::ByteRecord) -> io::Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w.write_byte_record(record).map_err(csv_io),
            Sink::Jsonl(_) => Err(io::Error::other("a CSV record in JSON lines output")),
        }
    }

    /// Writes a JSON line (with its newline) read from another quotestance output, unchanged.
    pub fn write_json_line(&mut self, line: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Jsonl(w) => w.write_all(line),
            Sink::Csv(_) => Err(io::Error::other("a JSON line in CSV output")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w.flush(),
            Sink::Jsonl(w) => w.flush(),
        }
    }

    /// Makes everything written so far durable and, for a journaled file, records `progress` as
    /// the point a resumed run restarts from. Standard output and devices are just flushed, so a
    /// reader downstream sees each chunk's rows as soon as it is done.
    pub fn commit(&mut self, progress: &Checkpoint) -> io::Result<()> {
        self.flush()?;
        if let (Some(partial), Some(handle)) = (&mut self.partial, &self.handle)
            && let Some(journal) = &mut partial.journal
        {
            // Rows first, then the commit that points at them.
            handle.sync_data()?;
            let mut checkpoint = progress.clone();
            checkpoint.bytes = handle.metadata()?.len();
            journal.commit(&checkpoint)?;
        }
        Ok(())
    }

    /// Flushes everything; for a file, syncs it and renames it into place.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        let RowWriter {
            sink,
            partial,
            handle,
            ..
        } = self;
        drop(sink);
        let (Some(mut partial), Some(handle)) = (partial, handle) else {
            return Ok(());
        };
        handle.sync_all()?;
        if let Some(journal) = &mut partial.journal {
            journal.done()?;
        }
        std::fs::rename(&partial.temp, &partial.path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot move the output into place at {}: {e}",
                    partial.path.display()
                ),
            )
        })?;
        sync_parent(&partial.path);
        make_readable(&handle)?;
        partial.keep = true;
        if let Some(journal) = partial.journal.take() {
            let path = journal.path().to_path_buf();
            drop(journal);
            remove_quietly(&path);
        }
        Ok(())
    }
}

/// The csv crate wraps I/O errors; unwrap them so "No space left on device" reads as such.
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A row's CSV fields in column order: scores with four decimals, absent values empty.
fn csv_fields(row: &Row) -> [String; 12] {
    let score = |s: Option<f32>| s.map(|v| format!("{v:.4}")).unwrap_or_default();
    [
        row.article_id.clone(),
        row.quote_index.to_string(),
        row.start.to_string(),
        row.end.to_string(),
        row.kind.as_str().to_string(),
        row.speaker.clone(),
        row.cue.clone(),
        row.quote.clone(),
        row.stance.clone().unwrap_or_default(),
        score(row.stance_score),
        row.sentiment.clone().unwrap_or_default(),
        score(row.sentiment_score),
    ]
}

/// Reads rows from a CSV file in the output schema (gold or predictions).
pub fn read_rows(path: &Path) -> Result<Vec<Row>, String> {
    read_table(path).map(|t| t.rows).map_err(|e| e.to_string())
}

/// Rows read back from a quotestance output file, with the columns after the schema's (kept
/// article fields such as `date` or `source`), so that reports can group by them.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Names of the extra columns / JSON fields, in file order.
    pub extra_columns: Vec<String>,
    /// Per row, the extra values in the order of `extra_columns` (empty when absent).
    pub extra: Vec<Vec<String>>,
    /// Per row, the line of the file it came from (for messages).
    pub lines: Vec<u64>,
}

/// Why an output file could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{path} is not quotestance output: it has no {} column{} (expected {})",
        missing.join(", "),
        if missing.len() == 1 { "" } else { "s" },
        COLUMNS.join(",")
    )]
    MissingColumns { path: PathBuf, missing: Vec<String> },
    #[error("{path}:{line}: {message}")]
    Malformed {
        path: PathBuf,
        line: u64,
        message: String,
    },
}

/// Row fields that are not extra columns: the schema's, and the gold files' `unsure`.
fn is_row_field(name: &str) -> bool {
    COLUMNS.contains(&name) || name == "unsure"
}

/// An error naming the schema's columns that `has` lacks, if any.
fn require_columns(path: &Path, has: impl Fn(&str) -> bool) -> Result<(), ReadError> {
    let missing: Vec<String> = COLUMNS
        .iter()
        .filter(|c| !has(c))
        .map(|c| c.to_string())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(ReadError::MissingColumns {
        path: path.to_path_buf(),
        missing,
    })
}

/// Reads a quotestance output file, CSV or JSON lines (by its extension: `.jsonl`, `.ndjson`),
/// checking that it has every column of the schema and naming the line of a malformed row.
pub fn read_table(path: &Path) -> Result<Table, ReadError> {
    let is_jsonl = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    if is_jsonl {
        read_jsonl_table(path)
    } else {
        read_csv_table(path)
    }
}

fn read_csv_table(path: &Path) -> Result<Table, ReadError> {
    let io_error = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| io_error(csv_io(e)))?;
    let headers = reader
        .headers()
        .map_err(|e| malformed(path, e.position().map_or(1, |p| p.line()), e))?
        .clone();
    require_columns(path, |c| headers.iter().any(|h| h == c))?;
    let extra_at: Vec<usize> = (0..headers.len())
        .filter(|&i| !is_row_field(&headers[i]))
        .collect();
    let mut table = Table {
        extra_columns: extra_at.iter().map(|&i| headers[i].to_string()).collect(),
        ..Table::default()
    };
    for (k, record) in reader.records().enumerate() {
        let fallback = k as u64 + 2;
        let record = record.map_err(|e| {
            let line = e.position().map_or(fallback, |p| p.line());
            malformed(path, line, e)
        })?;
        let line = record.position().map_or(fallback, |p| p.line());
        let row: Row = record
            .deserialize(Some(&headers))
            .map_err(|e| malformed(path, line, e))?;
        table.push(
            row,
            extra_at
                .iter()
                .map(|&i| record.get(i).unwrap_or("").to_string())
                .collect(),
            line,
        );
    }
    Ok(table)
}

fn read_jsonl_table(path: &Path) -> Result<Table, ReadError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut table = Table::default();
    for (k, line) in text.lines().enumerate() {
        let number = k as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(line).map_err(|e| malformed(path, number, e))?;
        require_columns(path, |c| object.contains_key(c))?;
        for key in object.keys().filter(|k| !is_row_field(k)) {
            if !table.extra_columns.contains(key) {
                table.extra_columns.push(key.clone());
            }
        }
        let extra = table
            .extra_columns
            .iter()
            .map(|c| object.get(c).map(json_text).unwrap_or_default())
            .collect();
        let row: Row = serde_json::from_value(serde_json::Value::Object(object))
            .map_err(|e| malformed(path, number, e))?;
        table.push(row, extra, number);
    }
    // Rows read before a later line introduced a field lack its value: pad them.
    let width = table.extra_columns.len();
    for values in &mut table.extra {
        values.resize(width, String::new());
    }
    Ok(table)
}

/// A kept JSON value as text: strings unquoted, null empty, anything else as written.
fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn malformed(path: &Path, line: u64, e: impl std::fmt::Display) -> ReadError {
    ReadError::Malformed {
        path: path.to_path_buf(),
        line,
        message: e.to_string(),
    }
}

impl Table {
    fn push(&mut self, mut row: Row, extra: Vec<String>, line: u64) {
        row.stance = row.stance.filter(|s| !s.is_empty());
        row.sentiment = row.sentiment.filter(|s| !s.is_empty());
        self.rows.push(row);
        self.extra.push(extra);
        self.lines.push(line);
    }

    /// The values of an extra column, one per row; `None` when there is no such column.
    pub fn column(&self, name: &str) -> Option<Vec<&str>> {
        let at = self.extra_columns.iter().position(|c| c == name)?;
        Some(
            self.extra
                .iter()
                .map(|v| v.get(at).map_or("", String::as_str))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_point_offsets() {
        let text = "a “b” é c";
        let offsets = CharOffsets::new(text);
        let byte = text.find('c').unwrap();
        assert_eq!(
            offsets.char_index(byte),
            text.chars().position(|c| c == 'c').unwrap()
        );
        assert_eq!(offsets.char_index(0), 0);
    }
}
