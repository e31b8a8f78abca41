//! Plain-text files: the whole file is one article, its id the file's stem.

use std::io::Read;

use super::{Article, BOM, Location, ReadOptions, RecordError, SkipReason, error};

/// Reads one text file as one article.
pub(super) struct TextReader {
    path: String,
    stem: String,
    raw: Option<Box<dyn Read + Send>>,
}

impl TextReader {
    pub(super) fn new(path: String, stem: String, raw: Box<dyn Read + Send>) -> TextReader {
        TextReader {
            path,
            stem,
            raw: Some(raw),
        }
    }

    pub(super) fn next_record(
        &mut self,
        options: &ReadOptions,
    ) -> Option<Result<Article, RecordError>> {
        let TextReader { path, stem, raw } = self;
        {
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
