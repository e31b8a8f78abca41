//! Output rows and writers (CSV, JSONL), and atomic output files.
//!
//! Offsets in rows are Unicode code points into the article text, end exclusive, so that Python's
//! `text[start:end] == quote` holds. When the output is a file, rows go to a temporary file in the
//! same folder that is renamed into place only when the run finishes: a crash never leaves a
//! truncated file that looks complete.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::Article;
use crate::quotes::{Quote, QuoteKind};

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
    pub stance_score: Option<f32>,
    pub sentiment: Option<String>,
    pub sentiment_score: Option<f32>,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Csv,
    Jsonl,
}

/// Where rows go: standard output or a file made atomically.
pub enum Destination {
    Stdout(io::Stdout),
    File {
        temp: tempfile::NamedTempFile,
        path: PathBuf,
    },
}

impl Destination {
    /// `-` is standard output; anything else a file created by rename when [`RowWriter::finish`]
    /// succeeds.
    pub fn open(path: &str) -> io::Result<Destination> {
        if path == "-" {
            return Ok(Destination::Stdout(io::stdout()));
        }
        let path = PathBuf::from(path);
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .tempfile_in(&dir)
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("cannot create a file in {}: {e}", dir.display()),
                )
            })?;
        Ok(Destination::File { temp, path })
    }
}

enum Sink {
    Csv(Box<csv::Writer<Box<dyn Write + Send>>>),
    Jsonl(BufWriter<Box<dyn Write + Send>>),
}

/// Writes rows in CSV or JSONL.
pub struct RowWriter {
    sink: Sink,
    finish: Option<(tempfile::TempPath, PathBuf)>,
}

impl RowWriter {
    pub fn new(destination: Destination, format: OutputFormat) -> io::Result<RowWriter> {
        let (writer, finish): (Box<dyn Write + Send>, _) = match destination {
            Destination::Stdout(out) => (Box::new(out), None),
            Destination::File { temp, path } => {
                let (file, temp_path) = temp.into_parts();
                (Box::new(file), Some((temp_path, path)))
            }
        };
        let sink = match format {
            OutputFormat::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(writer);
                w.write_record(COLUMNS).map_err(io::Error::other)?;
                Sink::Csv(Box::new(w))
            }
            OutputFormat::Jsonl => Sink::Jsonl(BufWriter::with_capacity(1 << 16, writer)),
        };
        Ok(RowWriter { sink, finish })
    }

    pub fn write(&mut self, row: &Row) -> io::Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w.serialize(CsvRow::from(row)).map_err(io::Error::other),
            Sink::Jsonl(w) => {
                serde_json::to_writer(&mut *w, row).map_err(io::Error::other)?;
                w.write_all(b"\n")
            }
        }
    }

    /// Flushes everything; for a file, syncs it and renames it into place.
    pub fn finish(self) -> io::Result<()> {
        let RowWriter { sink, finish } = self;
        match sink {
            Sink::Csv(mut w) => w.flush()?,
            Sink::Jsonl(mut w) => w.flush()?,
        }
        if let Some((temp, path)) = finish {
            if let Ok(file) = File::open(&temp) {
                file.sync_all()?;
            }
            temp.persist(&path).map_err(|e| {
                io::Error::new(
                    e.error.kind(),
                    format!(
                        "cannot move the output into place at {}: {}",
                        path.display(),
                        e.error
                    ),
                )
            })?;
            make_readable(&File::open(&path)?)?;
        }
        Ok(())
    }
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

/// CSV view of a row: scores written with four decimals, absent values empty.
#[derive(Serialize)]
struct CsvRow<'a> {
    article_id: &'a str,
    quote_index: usize,
    start: usize,
    end: usize,
    kind: &'static str,
    speaker: &'a str,
    cue: &'a str,
    quote: &'a str,
    stance: &'a str,
    stance_score: String,
    sentiment: &'a str,
    sentiment_score: String,
}

impl<'a> From<&'a Row> for CsvRow<'a> {
    fn from(row: &'a Row) -> Self {
        let score = |s: Option<f32>| s.map(|v| format!("{v:.4}")).unwrap_or_default();
        CsvRow {
            article_id: &row.article_id,
            quote_index: row.quote_index,
            start: row.start,
            end: row.end,
            kind: row.kind.as_str(),
            speaker: &row.speaker,
            cue: &row.cue,
            quote: &row.quote,
            stance: row.stance.as_deref().unwrap_or(""),
            stance_score: score(row.stance_score),
            sentiment: row.sentiment.as_deref().unwrap_or(""),
            sentiment_score: score(row.sentiment_score),
        }
    }
}

/// Reads rows from a CSV file in the output schema (gold or predictions).
pub fn read_rows(path: &Path) -> Result<Vec<Row>, String> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for (k, record) in reader.deserialize::<Row>().enumerate() {
        match record {
            Ok(mut row) => {
                row.stance = row.stance.filter(|s| !s.is_empty());
                row.sentiment = row.sentiment.filter(|s| !s.is_empty());
                rows.push(row);
            }
            Err(e) => {
                let line = e.position().map_or(k as u64 + 2, |p| p.line());
                return Err(format!("{}:{line}: {e}", path.display()));
            }
        }
    }
    Ok(rows)
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
