//! The checks behind the fuzz targets in `fuzz/` and `tests/fuzz_regressions.rs`: one function per
//! target, each running one input through the library's public API and asserting the invariants
//! that every caller relies on. The fuzz targets include this file with `#[path]`, so a stored
//! input replayed by the regression test takes exactly the path the fuzzer took.
//!
//! Every function panics (an assertion or a bug in the library) on a bad outcome, and returns
//! normally otherwise; none of them cares whether the input was valid.

#![allow(dead_code)] // each includer uses some of the checks

use std::io::Write;
use std::path::{Path, PathBuf};

use quotestance::extract::segment::{self, Span};
use quotestance::extract::speakers::Resolver;
use quotestance::extract::{quotes, tokens};
use quotestance::ingest::{Corpus, Input, ReadOptions};

/// Most records read from one input; the fuzzer's inputs are a few KB, so this only guards
/// against a reader that never ends.
const MAX_RECORDS: usize = 100_000;

/// Segmentation: paragraphs and sentences are non-empty, in bounds, on char boundaries, trimmed,
/// in order without overlap, and every sentence lies inside one paragraph.
pub fn segment(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_segments(&text);
}

/// Quote extraction with speaker resolution, then the speaker resolver driven directly around
/// every quote found.
pub fn quotes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_quotes(&text);
}

/// The JSONL reader on one file (gzipped when the first byte is odd, to reach the decoder's
/// error path), with a record size limit chosen by the second byte; every article read is then
/// segmented and its quotes extracted, as `quotestance run` does.
pub fn ingest_jsonl(data: &[u8]) {
    check_ingest(data, "jsonl");
}

/// The CSV reader on one file, as [`ingest_jsonl`].
pub fn ingest_csv(data: &[u8]) {
    check_ingest(data, "csv");
}

fn check_ingest(data: &[u8], ext: &str) {
    let (flags, limit, body) = match data {
        [flags, limit, body @ ..] => (*flags, *limit, body),
        _ => return,
    };
    let gz = flags & 1 == 1;
    // 0 means the default limit; otherwise a small one, so over-long records are exercised too.
    let max_article_bytes = if limit == 0 {
        ReadOptions::default().max_article_bytes
    } else {
        usize::from(limit) * 8
    };
    let options = ReadOptions {
        max_article_bytes,
        ..ReadOptions::default()
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join(if gz {
        format!("input.{ext}.gz")
    } else {
        format!("input.{ext}")
    });
    write_file(&path, body);

    let corpus =
        Corpus::open(&[Input::Path(path.clone())], options).expect("open an existing file");
    let lines = body.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let shown = path.display().to_string();
    let mut count = 0;
    for item in corpus {
        count += 1;
        assert!(count <= MAX_RECORDS, "reader does not end");
        match item {
            Ok(article) => {
                assert_eq!(article.source.path, shown);
                assert!(article.source.line >= 1, "{:?}", article.source);
                assert!(
                    article.text.len() <= max_article_bytes,
                    "article of {} bytes passed the limit of {max_article_bytes}",
                    article.text.len()
                );
                if !gz {
                    // A record cannot start past the last line of the file.
                    assert!(
                        article.source.line <= lines,
                        "{:?} of {lines} lines",
                        article.source
                    );
                }
                check_segments(&article.text);
                check_quotes(&article.text);
            }
            Err(e) => {
                assert_eq!(e.location.path, shown);
                assert!(!e.message.is_empty());
            }
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) {
    let mut file = std::fs::File::create(path).expect("create input file");
    file.write_all(bytes).expect("write input file");
}

fn check_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start < span.end && span.end <= text.len(),
        "{what} {span:?} out of bounds or empty in a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} not on char boundaries"
    );
}

fn check_segments(text: &str) {
    let paragraphs = segment::paragraphs(text);
    for (k, p) in paragraphs.iter().enumerate() {
        check_span(text, *p, "paragraph");
        let s = &text[p.start..p.end];
        assert_eq!(s, s.trim(), "paragraph {p:?} not trimmed");
        if k > 0 {
            assert!(paragraphs[k - 1].end <= p.start, "paragraphs out of order");
        }
    }
    let sentences = segment::sentences(text);
    for (k, sentence) in sentences.iter().enumerate() {
        check_span(text, *sentence, "sentence");
        let s = &text[sentence.start..sentence.end];
        assert_eq!(s, s.trim(), "sentence {sentence:?} not trimmed");
        if k > 0 {
            assert!(
                sentences[k - 1].end <= sentence.start,
                "sentences {:?} and {sentence:?} out of order or overlapping",
                sentences[k - 1]
            );
        }
        assert!(
            paragraphs.iter().any(|p| p.contains(*sentence)),
            "sentence {sentence:?} crosses a paragraph break"
        );
    }
    // Segmentation is a function of the text.
    assert_eq!(segment::sentences(text), sentences);
}

fn check_quotes(text: &str) {
    let found = quotes::extract(text);
    for (k, q) in found.iter().enumerate() {
        check_span(text, q.span, "quote");
        if k > 0 {
            let prev = found[k - 1].span;
            assert!(
                (prev.start, prev.end) < (q.span.start, q.span.end),
                "quotes {prev:?} and {:?} out of order or repeated",
                q.span
            );
        }
        assert!(!q.cue.contains('\n'), "cue {:?} spans lines", q.cue);
    }
    // Extraction is a function of the text: the output has no hidden state.
    assert_eq!(quotes::extract(text), found);

    // The resolver on its own, around each quote: the phrase just before it (where "Smith said" or
    // "the Russian president" sits), the sentence subject, and the nearest person.
    let tokens = tokens::tokenize(text);
    let sentences = segment::sentences(text);
    let exclude: Vec<Span> = found.iter().map(|q| q.span).collect();
    let mut resolver = Resolver::new(&tokens, &sentences, &exclude);
    for q in &found {
        let at = tokens.partition_point(|t| t.start < q.span.start);
        let from = at.saturating_sub(4);
        let name = resolver.resolve(&tokens[from..at], None, q.span.start);
        resolver.note_speaker(&name, q.span.start);
        let _ = resolver.subject_at(&tokens, q.span.start, false);
        let _ = resolver.subject_at(&tokens, q.span.end, true);
        let _ = resolver.nearest_person(q.span.end);
    }
}

/// The stored inputs for `target`: `tests/data/fuzz/<target>/*`, sorted.
pub fn stored_inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}
