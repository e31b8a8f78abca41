//! The batch pipeline: read articles in bounded chunks, extract quotes in parallel, write rows in
//! input order.
//!
//! Memory is bounded by the chunk (a few thousand articles or a few tens of MB of text, whichever
//! comes first), never by the corpus. Results are collected in chunk order, so the output is the
//! same byte for byte whatever the thread count.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::classify::Classifier;
use crate::ingest::{Article, Corpus, RecordError};
use crate::output::{self, Row, RowWriter};
use crate::quotes;

/// How a run behaves.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Articles per parallel chunk.
    pub chunk_articles: usize,
    /// Text bytes per parallel chunk.
    pub chunk_bytes: usize,
    /// Stop at the first bad record instead of skipping it.
    pub strict: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            chunk_articles: 2048,
            chunk_bytes: 32 << 20,
            strict: false,
        }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub articles: u64,
    pub quotes: u64,
    pub skipped: Vec<RecordError>,
    pub elapsed: Duration,
}

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Strict(RecordError),
    #[error("writing output: {0}")]
    Write(#[from] std::io::Error),
    #[error("classifying: {0:#}")]
    Classify(anyhow::Error),
}

/// Observes a run's progress (the CLI's progress bar; nothing in tests).
pub trait Progress {
    fn chunk_done(&self, _articles: u64, _quotes: u64) {}
    fn warn(&self, error: &RecordError) {
        eprintln!("warning: {error}");
    }
}

/// A progress observer that only prints warnings.
pub struct Quiet;
impl Progress for Quiet {}

/// Extracts the quotes of one article as output rows.
pub fn process_article(article: &Article) -> Vec<Row> {
    let quotes = quotes::extract(&article.text);
    output::rows(article, &quotes)
}

/// Fills the stance and sentiment columns of every row, one classifier call per chunk (so that
/// quotes are batched across articles).
pub fn label_rows(classifier: &dyn Classifier, results: &mut [Vec<Row>]) -> anyhow::Result<()> {
    let texts: Vec<&str> = results.iter().flatten().map(|r| r.quote.as_str()).collect();
    if texts.is_empty() {
        return Ok(());
    }
    let labels = classifier.classify(&texts)?;
    for (row, label) in results.iter_mut().flatten().zip(labels) {
        row.stance = Some(label.stance);
        row.stance_score = Some(label.stance_score);
        row.sentiment = Some(label.sentiment);
        row.sentiment_score = Some(label.sentiment_score);
    }
    Ok(())
}

/// Runs extraction over `corpus`, writing rows to `writer`. Uses the current rayon pool.
pub fn run(
    corpus: Corpus,
    writer: &mut RowWriter,
    options: &RunOptions,
    classifier: Option<&dyn Classifier>,
    progress: &dyn Progress,
) -> Result<Summary, RunError> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut corpus = corpus.peekable();
    let mut chunk: Vec<Article> = Vec::new();
    loop {
        chunk.clear();
        let mut bytes = 0;
        while chunk.len() < options.chunk_articles && bytes < options.chunk_bytes {
            match corpus.next() {
                None => break,
                Some(Ok(article)) => {
                    bytes += article.text.len();
                    chunk.push(article);
                }
                Some(Err(error)) => {
                    if options.strict {
                        return Err(RunError::Strict(error));
                    }
                    progress.warn(&error);
                    summary.skipped.push(error);
                }
            }
        }
        if chunk.is_empty() {
            if corpus.peek().is_none() {
                break;
            }
            continue;
        }
        let mut results: Vec<Vec<Row>> = chunk.par_iter().map(process_article).collect();
        if let Some(classifier) = classifier {
            label_rows(classifier, &mut results).map_err(RunError::Classify)?;
        }
        let mut quotes = 0;
        for rows in &results {
            for row in rows {
                writer.write(row)?;
            }
            quotes += rows.len() as u64;
        }
        summary.articles += chunk.len() as u64;
        summary.quotes += quotes;
        progress.chunk_done(chunk.len() as u64, quotes);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}
