//! Merging the outputs of a sharded run into the output of one full run.
//!
//! A full run writes rows in input order: articles as the inputs give them, quotes by position.
//! Each shard's output is that order restricted to its articles, but nothing in the rows says how
//! the shards interleave: article ids need not sort the way the inputs do, and a full run is not
//! sorted (sorting would cost streaming output and the promise that rows come out in input order).
//! So merge reads the same inputs again, without extracting anything: for each article in input
//! order it takes that article's rows from the part of its shard. The result is byte for byte the
//! output of one full run over those inputs.
//!
//! The parts are matched to shards by their rows' article ids (the number of parts is the number of
//! shards, so every part of the run must be given; a part with no rows holds no order to keep).
//! Ids can repeat in a corpus (two `x.jsonl` files in different folders give the same `x:1` ids),
//! so an article only takes a group of rows if the first row's quote is its text at the row's
//! offsets. Rows left over at the end, or in a part that does not match its shard, mean the parts
//! were not made from these inputs, and the merge fails without writing its output.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ingest::{Article, Corpus};
use crate::run::output::{COLUMNS, Destination, OutputFormat, RowWriter};
use crate::run::shard::shard_of;

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub parts: usize,
    pub articles: u64,
    pub quotes: u64,
}

/// The fields of a row that place it.
#[derive(Deserialize)]
struct Key {
    article_id: String,
    quote_index: usize,
    start: usize,
    end: usize,
    quote: String,
}

/// One row read from a part, with what is needed to write it back unchanged.
struct PendingRow {
    key: Key,
    raw: Raw,
}

enum Raw {
    Csv(csv::ByteRecord),
    Json(Vec<u8>),
}

enum PartReader {
    Csv(csv::Reader<BufReader<File>>),
    Jsonl { lines: BufReader<File>, line: u64 },
    Empty,
}

/// A shard output being read, one row of lookahead.
struct Part {
    path: PathBuf,
    reader: PartReader,
    next: Option<PendingRow>,
    /// The shard its rows belong to, once a row has been seen.
    shard: Option<u64>,
    /// The kept article fields' columns after the schema's (CSV parts; `run --keep-fields`).
    extra_columns: Vec<String>,
}

impl Part {
    fn open(path: &Path) -> io::Result<(Part, Option<OutputFormat>)> {
        let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
        let mut file = File::open(path).map_err(named)?;
        let mut first = [0u8; 64];
        let n = read_up_to(&mut file, &mut first).map_err(named)?;
        let file = File::open(path).map_err(named)?;
        let header = COLUMNS.join(",");
        let mut extra_columns = Vec::new();
        let (reader, format) = if n == 0 {
            (PartReader::Empty, None)
        } else if first[..n].starts_with(b"{") {
            let lines = BufReader::with_capacity(1 << 16, file);
            (
                PartReader::Jsonl { lines, line: 0 },
                Some(OutputFormat::Jsonl),
            )
        } else if header.as_bytes().starts_with(&first[..n.min(header.len())]) {
            let mut reader = csv::ReaderBuilder::new().from_reader(BufReader::new(file));
            let found = reader
                .headers()
                .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
            if found.len() < COLUMNS.len() || found.iter().zip(COLUMNS).any(|(a, b)| a != b) {
                return Err(io::Error::other(format!(
                    "{}: the CSV header is not quotestance's ({header})",
                    path.display()
                )));
            }
            extra_columns = found.iter().skip(COLUMNS.len()).map(String::from).collect();
            (PartReader::Csv(reader), Some(OutputFormat::Csv))
        } else {
            return Err(io::Error::other(format!(
                "{}: neither quotestance CSV (header {header}) nor JSON lines",
                path.display()
            )));
        };
        let mut part = Part {
            path: path.to_path_buf(),
            reader,
            next: None,
            shard: None,
            extra_columns,
        };
        part.advance()?;
        Ok((part, format))
    }

    /// Reads the next row into `self.next`.
    fn advance(&mut self) -> io::Result<()> {
        let at = |line: u64, e: &dyn std::fmt::Display| {
            io::Error::other(format!("{}:{line}: {e}", self.path.display()))
        };
        self.next = match &mut self.reader {
            PartReader::Empty => None,
            PartReader::Jsonl { lines, line } => loop {
                let mut raw = Vec::new();
                *line += 1;
                if lines
                    .read_until(b'\n', &mut raw)
                    .map_err(|e| at(*line, &e))?
                    == 0
                {
                    break None;
                }
                if raw.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if raw.last() != Some(&b'\n') {
                    return Err(at(*line, &"the last line is cut short (no newline)"));
                }
                let key: Key = serde_json::from_slice(&raw).map_err(|e| at(*line, &e))?;
                break Some(PendingRow {
                    key,
                    raw: Raw::Json(raw),
                });
            },
            PartReader::Csv(reader) => {
                let mut record = csv::ByteRecord::new();
                match reader.read_byte_record(&mut record) {
                    Ok(false) => None,
                    Ok(true) => {
                        let line = record.position().map_or(0, |p| p.line());
                        let key: Key = record
                            .deserialize(Some(&csv::ByteRecord::from(COLUMNS.to_vec())))
                            .map_err(|e| at(line, &e))?;
                        Some(PendingRow {
                            key,
                            raw: Raw::Csv(record),
                        })
                    }
                    Err(e) => {
                        let line = e.position().map_or(0, |p| p.line());
                        return Err(at(line, &e));
                    }
                }
            }
        };
        Ok(())
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Whether `row` can be a quote of `article`: its offsets (code points) hold its quote.
fn belongs(row: &Key, article: &Article) -> bool {
    if row.article_id != article.id || row.quote_index != 0 || row.start > row.end {
        return false;
    }
    let mut chars = article.text.char_indices().map(|(i, _)| i);
    let Some(start) = chars
        .nth(row.start)
        .or_else(|| (row.start == article.text.chars().count()).then_some(article.text.len()))
    else {
        return false;
    };
    let end = article.text[start..]
        .char_indices()
        .map(|(i, _)| start + i)
        .chain(std::iter::once(article.text.len()))
        .nth(row.end - row.start);
    end.is_some_and(|end| article.text[start..end] == row.quote)
}

/// Merges `parts` (the outputs of `--shard 0/N` … `--shard N-1/N`, in any order, `count` = N;
/// [`crate::run::manifest::check_parts`] checks they are one complete run) into `output` (a path or
/// `-`) in the order a full run over `corpus` writes, atomically like `run`.
pub fn merge(
    parts: &[PathBuf],
    count: u64,
    corpus: Corpus,
    output: &str,
) -> io::Result<MergeSummary> {
    if parts.len() as u64 != count {
        return Err(io::Error::other(format!(
            "{} parts for {count} shards: give each of the {count} parts once",
            parts.len()
        )));
    }
    let (mut opened, format) = open_parts(parts)?;
    let by_shard = match_shards(&mut opened, count)?;
    // A JSONL run with no rows writes an empty file; a CSV one always has its header.
    let format = format.unwrap_or(OutputFormat::Jsonl);
    let destination = Destination::open(output)?;
    let extra_columns = opened
        .iter()
        .find(|p| !matches!(p.reader, PartReader::Empty))
        .map(|p| p.extra_columns.clone())
        .unwrap_or_default();
    let mut writer = RowWriter::new(destination, format, &extra_columns)?;
    let mut summary = MergeSummary {
        parts: parts.len(),
        ..MergeSummary::default()
    };
    for article in corpus {
        // Unreadable records were reported by the runs and have no rows.
        let Ok(article) = article else { continue };
        let shard = shard_of(&article.id, count);
        let Some(k) = by_shard[shard as usize] else {
            continue;
        };
        let part = &mut opened[k];
        if !part
            .next
            .as_ref()
            .is_some_and(|r| belongs(&r.key, &article))
        {
            continue;
        }
        summary.articles += 1;
        summary.quotes += copy_rows(part, &article.id, count, &mut writer)?;
    }
    for part in &opened {
        if let Some(row) = &part.next {
            return Err(io::Error::other(format!(
                "{}: the rows of article {:?} (quote {}) match no article of the inputs at their \
                 place; were the parts made from these inputs, with the same --id-field and \
                 --text-field?",
                part.path.display(),
                row.key.article_id,
                row.key.quote_index
            )));
        }
    }
    writer.finish()?;
    Ok(summary)
}

/// Opens every part; all that have rows must share one format (the first one's).
fn open_parts(parts: &[PathBuf]) -> io::Result<(Vec<Part>, Option<OutputFormat>)> {
    let mut opened = Vec::new();
    let mut format: Option<(OutputFormat, PathBuf)> = None;
    for path in parts {
        let (part, part_format) = Part::open(path)?;
        if let Some(f) = part_format {
            match &format {
                Some((g, first)) if *g != f => {
                    return Err(io::Error::other(format!(
                        "{} is {} but {} is {}: all parts must have one format",
                        first.display(),
                        name(*g),
                        path.display(),
                        name(f)
                    )));
                }
                Some(_) => {}
                None => format = Some((f, path.clone())),
            }
        }
        if let Some(first) = opened
            .iter()
            .find(|p: &&Part| !matches!(p.reader, PartReader::Empty))
            && part_format.is_some()
            && first.extra_columns != part.extra_columns
        {
            return Err(io::Error::other(format!(
                "{} keeps the fields {:?} but {} keeps {:?}: all parts must be made with one \
                 --keep-fields and --date-field",
                first.path.display(),
                first.extra_columns,
                path.display(),
                part.extra_columns
            )));
        }
        opened.push(part);
    }
    Ok((opened, format.map(|(f, _)| f)))
}

/// Which part holds each shard, told by the shard of its first row; two parts of one shard are
/// an error.
fn match_shards(opened: &mut [Part], count: u64) -> io::Result<Vec<Option<usize>>> {
    let mut by_shard: Vec<Option<usize>> = vec![None; opened.len()];
    for k in 0..opened.len() {
        let Some(row) = &opened[k].next else { continue };
        let shard = shard_of(&row.key.article_id, count);
        if let Some(other) = by_shard[shard as usize] {
            return Err(io::Error::other(format!(
                "{} and {} both hold rows of shard {shard} of {count}: give each shard's output \
                 once, and all {count} of them",
                opened[other].path.display(),
                opened[k].path.display()
            )));
        }
        by_shard[shard as usize] = Some(k);
        opened[k].shard = Some(shard);
    }
    Ok(by_shard)
}

/// Copies the rows of article `id` (quote 0, 1, … in order) from `part` to `writer`; returns how
/// many. A following row of another shard means the part is not one of this run's.
fn copy_rows(part: &mut Part, id: &str, count: u64, writer: &mut RowWriter) -> io::Result<u64> {
    let mut expected = 0;
    while let Some(row) = part
        .next
        .take_if(|r| r.key.article_id == id && r.key.quote_index == expected)
    {
        match &row.raw {
            Raw::Csv(record) => writer.write_csv_record(record)?,
            Raw::Json(line) => writer.write_json_line(line)?,
        }
        expected += 1;
        part.advance()?;
        if let Some(next) = &part.next {
            let belongs_to = shard_of(&next.key.article_id, count);
            if Some(belongs_to) != part.shard {
                return Err(io::Error::other(format!(
                    "{}: article {:?} belongs to shard {belongs_to} of {count}, not to this \
                     part's shard; give all {count} parts of one run made with --shard K/{count}",
                    part.path.display(),
                    next.key.article_id
                )));
            }
        }
    }
    Ok(expected as u64)
}

fn name(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Csv => "CSV",
        OutputFormat::Jsonl => "JSON lines",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Location;

    fn article(id: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            text: text.into(),
            source: Location {
                path: "t".into(),
                line: 1,
            },
            fields: Vec::new(),
        }
    }

    fn key(id: &str, start: usize, end: usize, quote: &str) -> Key {
        Key {
            article_id: id.into(),
            quote_index: 0,
            start,
            end,
            quote: quote.into(),
        }
    }

    #[test]
    fn a_row_belongs_where_its_offsets_hold_its_quote() {
        let a = article("x", "“Ça va,” dit-il.");
        assert!(belongs(&key("x", 1, 7, "Ça va,"), &a));
        assert!(!belongs(&key("x", 1, 7, "Ça va!"), &a));
        assert!(!belongs(&key("y", 1, 7, "Ça va,"), &a));
        assert!(!belongs(&key("x", 1, 99, "Ça va,"), &a));
        assert!(belongs(&key("x", 16, 16, ""), &a));
    }
}
