//! JSON Lines: one article object per line, read a bounded line at a time.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};

use serde_json::value::RawValue;

use super::{Article, BOM, Location, ReadOptions, RecordError, SkipReason, error};

/// Reads a JSONL file or standard input.
pub(super) struct JsonlReader {
    path: String,
    stem: String,
    lines: BufReader<Box<dyn Read + Send>>,
    line: u64,
    /// Whether a non-blank line was seen (a file without one is reported as empty).
    found: bool,
}

impl JsonlReader {
    pub(super) fn new(path: String, stem: String, raw: Box<dyn Read + Send>) -> JsonlReader {
        JsonlReader {
            path,
            stem,
            lines: BufReader::with_capacity(1 << 16, raw),
            line: 0,
            found: false,
        }
    }

    pub(super) fn next_record(
        &mut self,
        options: &ReadOptions,
    ) -> Option<Result<Article, RecordError>> {
        let JsonlReader {
            path,
            stem,
            lines,
            line,
            found,
        } = self;
        loop {
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

/// The article in one JSONL line, or the error that names why the line is skipped.
fn parse_json_record(
    bytes: &[u8],
    path: &str,
    stem: &str,
    line: u64,
    options: &ReadOptions,
) -> Result<Article, RecordError> {
    let map = json_object(bytes, path, line)?;
    let string =
        |value: &RawValue| -> Option<String> { serde_json::from_str::<String>(value.get()).ok() };
    let wrong_type = |field: &str, value: &RawValue, wanted: &str| {
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

/// The fields of a line that holds one JSON object, each kept as raw JSON.
fn json_object<'a>(
    bytes: &'a [u8],
    path: &str,
    line: u64,
) -> Result<HashMap<String, &'a RawValue>, RecordError> {
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
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| {
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
    serde_json::from_str(raw.get()).map_err(|e| {
        error(
            path,
            line,
            SkipReason::MalformedJson,
            format!("malformed JSON: {e}"),
        )
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
}
