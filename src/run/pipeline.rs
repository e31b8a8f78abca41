//! The batch pipeline: read articles in bounded chunks, extract quotes in parallel, write rows in
//! input order.
//!
//! Memory is bounded by the chunk (a few thousand articles or a few tens of MB of text, whichever
//! comes first), never by the corpus. Results are collected in chunk order, so the output is the
//! same byte for byte whatever the thread count.
//!
//! After each chunk the writer commits: rows are flushed (so a reader downstream of standard output
//! sees them), and for a journaled file synced and recorded as a point to resume from. With a
//! [`RunOptions::max_latency`], as when reading standard input, a chunk is also closed when that
//! long has passed since its first article arrived, so a slow producer still sees rows promptly.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::classify::{Classifier, Labels, QuoteInput};
use crate::extract::quotes;
use crate::extract::segment::{self, Span};
use crate::ingest::{Article, Corpus, RecordError};
use crate::run::fields::KeptFields;
use crate::run::journal::Checkpoint;
use crate::run::output::{self, Row, RowWriter};
use crate::run::shard::Shard;

/// How a run behaves.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Articles per parallel chunk.
    pub chunk_articles: usize,
    /// Text bytes per parallel chunk.
    pub chunk_bytes: usize,
    /// Stop at the first bad record instead of skipping it.
    pub strict: bool,
    /// Process only the articles of this shard.
    pub shard: Shard,
    /// Continue an interrupted run: skip this many input records (their rows are already written)
    /// and count on from its totals.
    pub resume: Option<Checkpoint>,
    /// Close a chunk this long after its first article arrived, even if it is not full (reading
    /// happens on its own thread). For standard input, where articles arrive at the producer's pace.
    pub max_latency: Option<Duration>,
    /// Article fields copied into every row (`--keep-fields`, `--date-field`).
    pub fields: KeptFields,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            chunk_articles: 2048,
            chunk_bytes: 32 << 20,
            strict: false,
            shard: Shard::ALL,
            resume: None,
            max_latency: None,
            fields: KeptFields::default(),
        }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Articles whose rows are in the output (including those of a resumed run).
    pub articles: u64,
    /// Rows in the output (including those of a resumed run).
    pub quotes: u64,
    /// Records skipped, by reason (including those of a resumed run).
    pub skipped_by_reason: BTreeMap<String, u64>,
    /// Articles that belong to other shards.
    pub other_shards: u64,
    /// Articles and rows taken over from the interrupted run that `--resume` continued.
    pub resumed_articles: u64,
    pub resumed_quotes: u64,
    /// Time this process spent.
    pub elapsed: Duration,
}

impl Summary {
    /// The summary of a run that had already finished when `--resume` found it: everything in
    /// its output was taken over.
    pub fn of_finished(checkpoint: &Checkpoint, elapsed: Duration) -> Summary {
        Summary {
            articles: checkpoint.articles,
            quotes: checkpoint.quotes,
            skipped_by_reason: checkpoint.skipped.clone(),
            other_shards: checkpoint.other_shards,
            resumed_articles: checkpoint.articles,
            resumed_quotes: checkpoint.quotes,
            elapsed,
        }
    }

    /// Articles processed by this process per second.
    pub fn articles_per_second(&self) -> f64 {
        (self.articles - self.resumed_articles) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Rows written by this process per second.
    pub fn quotes_per_second(&self) -> f64 {
        (self.quotes - self.resumed_quotes) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// All skipped records, whatever the reason.
    pub fn skipped_total(&self) -> u64 {
        self.skipped_by_reason.values().sum()
    }

    /// The one-paragraph summary printed on stderr at the end of a run.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "quotestance: {} articles, {} quotes, {} records skipped, {:.2}s ({:.1} articles/s, {:.1} quotes/s)",
            self.articles,
            self.quotes,
            self.skipped_total(),
            self.elapsed.as_secs_f64(),
            self.articles_per_second(),
            self.quotes_per_second()
        );
        if !self.skipped_by_reason.is_empty() {
            let reasons: Vec<String> = self
                .skipped_by_reason
                .iter()
                .map(|(reason, n)| format!("{reason} {n}"))
                .collect();
            text.push_str(&format!("\n  skipped: {}", reasons.join(", ")));
        }
        if self.other_shards > 0 {
            text.push_str(&format!(
                "\n  {} articles belong to other shards",
                self.other_shards
            ));
        }
        if self.resumed_articles > 0 {
            text.push_str(&format!(
                "\n  resumed: {} articles and {} quotes were already written",
                self.resumed_articles, self.resumed_quotes
            ));
        }
        text
    }

    /// The summary as a JSON object (`--summary FILE`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "articles": self.articles,
            "quotes": self.quotes,
            "skipped": self.skipped_total(),
            "skipped_by_reason": self.skipped_by_reason,
            "other_shards": self.other_shards,
            "resumed_articles": self.resumed_articles,
            "resumed_quotes": self.resumed_quotes,
            "elapsed_seconds": self.elapsed.as_secs_f64(),
            "articles_per_second": self.articles_per_second(),
            "quotes_per_second": self.quotes_per_second(),
        })
    }
}

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Strict(RecordError),
    #[error("writing output: {0}")]
    Write(#[from] std::io::Error),
    #[error("classifying")]
    Classify(#[from] crate::classify::Error),
}

/// Observes a run's progress (the CLI's progress bar; nothing in tests). Called from worker
/// threads as work is done, so that a bar can move inside a chunk of thousands of articles.
pub trait Progress: Sync {
    /// A chunk of this many articles was read and is about to be processed.
    fn chunk_started(&self, _articles: u64) {}
    /// The chunk's articles gave this many quotes, which are now labelled.
    fn chunk_extracted(&self, _quotes: u64) {}
    /// One article's quotes were extracted.
    fn article_extracted(&self) {}
    /// This many more quotes were labelled.
    fn quotes_labelled(&self, _quotes: u64) {}
    /// A chunk was written and committed.
    fn chunk_done(&self, _articles: u64, _quotes: u64) {}
    /// A record was skipped.
    fn warn(&self, error: &RecordError) {
        eprintln!("warning: {error}");
    }
    /// A record was read with something left out (a date that cannot be read).
    fn notice(&self, message: &str) {
        eprintln!("warning: {message}");
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

/// What the classifier reads for each of an article's rows (given in row order): the quote and
/// the words of its sentence around it.
pub fn quote_inputs(article: &Article, rows: &[Row]) -> Vec<QuoteInput> {
    if rows.is_empty() {
        return Vec::new();
    }
    let text = &article.text;
    let sentences = segment::sentences(text);
    // Rows carry code-point offsets; one pass over the text turns them back into byte offsets.
    let mut wanted: Vec<usize> = rows.iter().flat_map(|r| [r.start, r.end]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut bytes = std::collections::HashMap::with_capacity(wanted.len());
    let mut next = wanted.iter().peekable();
    for (chars, (byte, _)) in text.char_indices().chain([(text.len(), ' ')]).enumerate() {
        while next.peek() == Some(&&chars) {
            bytes.insert(chars, byte);
            next.next();
        }
        if next.peek().is_none() {
            break;
        }
    }
    rows.iter()
        .map(|r| match (bytes.get(&r.start), bytes.get(&r.end)) {
            (Some(&start), Some(&end)) if start <= end => {
                QuoteInput::in_article(text, &sentences, Span::new(start, end))
            }
            _ => QuoteInput::plain(&r.quote),
        })
        .collect()
}

/// Quotes per classifier call: large enough to batch well (sorted by length), small enough that
/// progress moves every second or so.
const LABEL_SLICE: usize = 1024;

/// Fills the stance and sentiment columns of every row, a few classifier calls per chunk (so that
/// quotes are batched across articles). `results[k]` holds the rows of `articles[k]`.
pub fn label_rows(
    classifier: &dyn Classifier,
    articles: &[Article],
    results: &mut [Vec<Row>],
    progress: &dyn Progress,
) -> crate::classify::Result<()> {
    let inputs: Vec<QuoteInput> = articles
        .par_iter()
        .zip(results.par_iter())
        .flat_map_iter(|(article, rows)| quote_inputs(article, rows))
        .collect();
    if inputs.is_empty() {
        return Ok(());
    }
    // In slices, so that progress moves during a long chunk; a quote's labels do not depend on
    // the other quotes of the call, so the slicing changes nothing in the output.
    let labels = label_in_slices(classifier, &inputs, LABEL_SLICE, progress)?;
    for (row, label) in results.iter_mut().flatten().zip(labels) {
        set_labels(row, label);
    }
    Ok(())
}

/// The labels of `inputs`, classified `slice` quotes at a time, reporting each slice.
fn label_in_slices(
    classifier: &dyn Classifier,
    inputs: &[QuoteInput],
    slice: usize,
    progress: &dyn Progress,
) -> crate::classify::Result<Vec<Labels>> {
    let mut labels = Vec::with_capacity(inputs.len());
    for part in inputs.chunks(slice.max(1)) {
        labels.extend(classifier.classify(part)?);
        progress.quotes_labelled(part.len() as u64);
    }
    Ok(labels)
}

/// Writes `labels` into the row's stance and sentiment columns.
pub fn set_labels(row: &mut Row, labels: Labels) {
    row.stance = Some(labels.stance);
    row.stance_score = Some(labels.stance_score);
    row.sentiment = Some(labels.sentiment);
    row.sentiment_score = Some(labels.sentiment_score);
}

/// Every quote of a corpus with what a classifier reads of it, in input order (for `eval` and
/// `compare`, which hold a small annotated corpus in memory). Unreadable records are reported to
/// `progress` and skipped.
pub struct Extracted {
    pub rows: Vec<Row>,
    pub inputs: Vec<QuoteInput>,
    /// Each article's kept fields (`ReadOptions::keep_fields`), by article id; empty when none
    /// were asked for.
    pub fields: HashMap<String, Vec<String>>,
}

pub fn extract_all(corpus: Corpus, progress: &dyn Progress) -> Extracted {
    let mut extracted = Extracted {
        rows: Vec::new(),
        inputs: Vec::new(),
        fields: HashMap::new(),
    };
    for article in corpus {
        match article {
            Ok(article) => {
                let rows = process_article(&article);
                extracted.inputs.extend(quote_inputs(&article, &rows));
                extracted.rows.extend(rows);
                if !article.fields.is_empty() {
                    extracted.fields.insert(article.id, article.fields);
                }
            }
            Err(e) => progress.warn(&e),
        }
    }
    extracted
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
    let mut source = match options.max_latency {
        Some(_) => Source::threaded(corpus),
        None => Source::Direct(Box::new(corpus)),
    };
    let mut done = options.resume.clone().unwrap_or_default();
    let mut summary = Summary {
        resumed_articles: done.articles,
        resumed_quotes: done.quotes,
        ..Summary::default()
    };
    // The rows of these records are already in the output.
    for _ in 0..done.records {
        if matches!(source.next(None), Next::End) {
            break;
        }
    }
    let mut chunk: Vec<Article> = Vec::new();
    let mut ended = false;
    while !ended {
        chunk.clear();
        let records_before = done.records;
        ended = next_chunk(&mut source, &mut chunk, &mut done, options, progress)?;
        if done.records == records_before {
            continue;
        }
        progress.chunk_started(chunk.len() as u64);
        let mut results: Vec<Vec<Row>> = chunk
            .par_iter()
            .map(|article| {
                let rows = process_article(article);
                progress.article_extracted();
                rows
            })
            .collect();
        if let Some(classifier) = classifier {
            progress.chunk_extracted(results.iter().map(|r| r.len() as u64).sum());
            label_rows(classifier, &chunk, &mut results, progress)?;
        }
        let mut quotes = 0;
        for (article, rows) in chunk.iter().zip(&results) {
            let (values, warning) = options.fields.values(article);
            if let Some(warning) = warning {
                progress.notice(&warning);
            }
            for row in rows {
                writer.write(row, &values)?;
            }
            quotes += rows.len() as u64;
        }
        done.articles += chunk.len() as u64;
        done.quotes += quotes;
        writer.commit(&done)?;
        progress.chunk_done(chunk.len() as u64, quotes);
    }
    summary.articles = done.articles;
    summary.quotes = done.quotes;
    summary.other_shards = done.other_shards;
    summary.skipped_by_reason = done.skipped;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Reads the next chunk of this shard's articles into `chunk`, up to the chunk's article and byte
/// limits or, for a live input, until the oldest article has waited `max_latency`; counts the
/// records read, skipped and left to other shards in `done`. Returns whether the input ended.
fn next_chunk(
    source: &mut Source,
    chunk: &mut Vec<Article>,
    done: &mut Checkpoint,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<bool, RunError> {
    let mut bytes = 0;
    let mut deadline = None;
    while chunk.len() < options.chunk_articles && bytes < options.chunk_bytes {
        let item = match source.next(deadline) {
            Next::Item(item) => item,
            Next::Timeout => break,
            Next::End => return Ok(true),
        };
        done.records += 1;
        match item {
            Ok(article) if options.shard.contains(&article.id) => {
                if deadline.is_none() {
                    deadline = options.max_latency.map(|d| Instant::now() + d);
                }
                bytes += article.text.len();
                chunk.push(article);
            }
            Ok(_) => done.other_shards += 1,
            Err(error) => {
                if options.strict {
                    return Err(RunError::Strict(error));
                }
                progress.warn(&error);
                *done
                    .skipped
                    .entry(error.reason.as_str().to_string())
                    .or_default() += 1;
            }
        }
    }
    Ok(false)
}

/// Where a run's records come from: the corpus directly, or a reader thread (so that waiting for
/// the next record can time out).
enum Source {
    Direct(Box<Corpus>),
    Threaded(Receiver<Result<Article, RecordError>>),
}

enum Next {
    Item(Result<Article, RecordError>),
    Timeout,
    End,
}

impl Source {
    fn threaded(corpus: Corpus) -> Source {
        // A small bound keeps memory bounded when the producer is faster than extraction.
        let (sender, receiver): (SyncSender<_>, _) = std::sync::mpsc::sync_channel(64);
        std::thread::spawn(move || {
            for item in corpus {
                if sender.send(item).is_err() {
                    break;
                }
            }
        });
        Source::Threaded(receiver)
    }

    fn next(&mut self, deadline: Option<Instant>) -> Next {
        match self {
            Source::Direct(corpus) => corpus.next().map_or(Next::End, Next::Item),
            Source::Threaded(receiver) => match deadline {
                None => receiver.recv().map_or(Next::End, Next::Item),
                Some(deadline) => {
                    let wait = deadline.saturating_duration_since(Instant::now());
                    match receiver.recv_timeout(wait) {
                        Ok(item) => Next::Item(item),
                        Err(RecvTimeoutError::Timeout) => Next::Timeout,
                        Err(RecvTimeoutError::Disconnected) => Next::End,
                    }
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::ingest::{Input, ReadOptions};
    use crate::run::output::{Destination, OutputFormat};

    /// Three short articles with one direct quote each, a broken line between the second and
    /// third, as JSONL.
    const CORPUS: &str = concat!(
        r#"{"id":"a1","text":"\"We will not move,\" said Ann Lee. The talks ended.","date":"March 5, 2024","source":"Wire"}"#,
        "\n",
        r#"{"id":"a2","text":"\"The plant stays open,\" the mayor, Tom Park, said.","date":"05/03/2024"}"#,
        "\n",
        "{not json\n",
        r#"{"id":"a3","text":"\"Prices will fall in May,\" said Mia Chen."}"#,
        "\n",
    );

    /// Counts chunks and warnings.
    #[derive(Default)]
    struct Counting {
        chunks: Mutex<Vec<(u64, u64)>>,
        warnings: Mutex<Vec<String>>,
        /// Chunk events in order: started, extracted, labelled, done.
        events: Mutex<Vec<String>>,
    }

    impl Progress for Counting {
        fn chunk_started(&self, articles: u64) {
            self.events
                .lock()
                .unwrap()
                .push(format!("started {articles}"));
        }
        fn chunk_extracted(&self, quotes: u64) {
            self.events
                .lock()
                .unwrap()
                .push(format!("extracted {quotes}"));
        }
        fn quotes_labelled(&self, quotes: u64) {
            self.events
                .lock()
                .unwrap()
                .push(format!("labelled {quotes}"));
        }
        fn chunk_done(&self, articles: u64, quotes: u64) {
            self.chunks.lock().unwrap().push((articles, quotes));
            self.events
                .lock()
                .unwrap()
                .push(format!("done {articles} {quotes}"));
        }
        fn warn(&self, error: &RecordError) {
            self.warnings.lock().unwrap().push(error.to_string());
        }
        fn notice(&self, message: &str) {
            self.warnings.lock().unwrap().push(message.to_string());
        }
    }

    /// Labels each quote by its length in bytes, so a test can tell which quote got which label.
    struct ByLength;

    impl Classifier for ByLength {
        fn name(&self) -> &str {
            "by-length"
        }
        fn classify(&self, quotes: &[QuoteInput]) -> crate::classify::Result<Vec<Labels>> {
            Ok(quotes
                .iter()
                .map(|q| Labels {
                    stance: format!("len{}", q.quote.len()),
                    stance_score: 1.0,
                    sentiment: "neutral".into(),
                    sentiment_score: 1.0,
                })
                .collect())
        }
    }

    /// Runs the pipeline over `CORPUS`; the output's CSV lines and the run's result.
    fn run_corpus(
        options: &RunOptions,
        classifier: Option<&dyn Classifier>,
        progress: &dyn Progress,
    ) -> (Vec<csv::StringRecord>, Result<Summary, RunError>) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("corpus.jsonl");
        std::fs::write(&input, CORPUS).unwrap();
        let read = ReadOptions {
            keep_fields: options.fields.fields.clone(),
            ..ReadOptions::default()
        };
        let corpus = Corpus::open(&[Input::Path(input)], read).unwrap();
        let out = dir.path().join("out.csv");
        let destination = Destination::open(out.to_str().unwrap()).unwrap();
        let mut writer =
            RowWriter::new(destination, OutputFormat::Csv, &options.fields.columns).unwrap();
        let result = run(corpus, &mut writer, options, classifier, progress);
        if result.is_ok() {
            writer.finish().unwrap();
        }
        let rows = match csv::Reader::from_path(&out) {
            Ok(mut reader) => reader.records().map(Result::unwrap).collect(),
            Err(_) => Vec::new(),
        };
        (rows, result)
    }

    #[test]
    fn kept_fields_follow_each_row_and_an_unreadable_date_is_warned() {
        let progress = Counting::default();
        let options = RunOptions {
            fields: KeptFields::new(&["source".into()], Some("date")).unwrap(),
            ..RunOptions::default()
        };
        let (rows, result) = run_corpus(&options, None, &progress);
        assert_eq!(result.unwrap().quotes, 3);
        let kept: Vec<(&str, &str, &str)> = rows.iter().map(|r| (&r[0], &r[12], &r[13])).collect();
        assert_eq!(
            kept,
            [("a1", "Wire", "2024-03-05"), ("a2", "", ""), ("a3", "", "")]
        );
        let warnings = progress.warnings.lock().unwrap();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("corpus.jsonl:2: date \"05/03/2024\" is not a date")),
            "{warnings:?}"
        );
    }

    #[test]
    fn progress_hears_each_chunk_start_its_quote_count_and_its_labelling() {
        let progress = Counting::default();
        let options = RunOptions {
            chunk_articles: 2,
            ..RunOptions::default()
        };
        let (_, result) = run_corpus(&options, Some(&ByLength), &progress);
        assert_eq!(result.unwrap().quotes, 3);
        let events = progress.events.lock().unwrap();
        assert_eq!(
            *events,
            [
                "started 2",
                "extracted 2",
                "labelled 2",
                "done 2 2",
                "started 1",
                "extracted 1",
                "labelled 1",
                "done 1 1",
            ]
        );
    }

    #[test]
    fn rows_come_out_in_input_order_one_commit_per_chunk() {
        let progress = Counting::default();
        let options = RunOptions {
            chunk_articles: 2,
            ..RunOptions::default()
        };
        let (lines, result) = run_corpus(&options, None, &progress);
        let summary = result.unwrap();
        let ids: Vec<&str> = lines.iter().map(|r| &r[0]).collect();
        assert_eq!(ids, ["a1", "a2", "a3"]);
        assert_eq!((summary.articles, summary.quotes), (3, 3));
        // Two articles, then the broken record and the third article.
        assert_eq!(*progress.chunks.lock().unwrap(), [(2, 2), (1, 1)]);
    }

    #[test]
    fn a_broken_record_is_counted_by_reason_and_reported_with_its_line() {
        let progress = Counting::default();
        let (lines, result) = run_corpus(&RunOptions::default(), None, &progress);
        let summary = result.unwrap();
        assert_eq!(lines.len(), 3, "the records around it are kept");
        assert_eq!(summary.skipped_total(), 1);
        assert_eq!(summary.skipped_by_reason.get("malformed_json"), Some(&1));
        let warnings = progress.warnings.lock().unwrap();
        assert!(warnings[0].contains("corpus.jsonl:3"), "{warnings:?}");
    }

    #[test]
    fn strict_stops_at_the_broken_record_and_writes_nothing() {
        let options = RunOptions {
            strict: true,
            ..RunOptions::default()
        };
        let (lines, result) = run_corpus(&options, None, &Quiet);
        match result {
            Err(RunError::Strict(e)) => assert_eq!(e.location.line, 3),
            other => panic!(
                "expected a strict error, got {:?}",
                other.map(|s| s.articles)
            ),
        }
        assert!(lines.is_empty(), "no output file is left: {lines:?}");
    }

    #[test]
    fn articles_of_other_shards_are_counted_not_written() {
        let shard = Shard::new(0, 2).unwrap();
        let (lines, result) = run_corpus(
            &RunOptions {
                shard,
                ..RunOptions::default()
            },
            None,
            &Quiet,
        );
        let summary = result.unwrap();
        let mine = ["a1", "a2", "a3"]
            .iter()
            .filter(|id| shard.contains(id))
            .count();
        assert_eq!(lines.len(), mine);
        assert_eq!(summary.articles as usize, mine);
        assert_eq!(summary.other_shards as usize, 3 - mine);
    }

    #[test]
    fn resume_skips_the_records_already_written_and_counts_on() {
        let resume = Checkpoint {
            records: 2,
            articles: 2,
            quotes: 2,
            ..Checkpoint::default()
        };
        let options = RunOptions {
            resume: Some(resume),
            ..RunOptions::default()
        };
        let (lines, result) = run_corpus(&options, None, &Quiet);
        let summary = result.unwrap();
        let ids: Vec<&str> = lines.iter().map(|r| &r[0]).collect();
        assert_eq!(ids, ["a3"]);
        assert_eq!((summary.articles, summary.quotes), (3, 3));
        assert_eq!((summary.resumed_articles, summary.resumed_quotes), (2, 2));
    }

    #[test]
    fn labels_go_to_their_own_rows_across_the_articles_of_a_chunk() {
        let (lines, result) = run_corpus(&RunOptions::default(), Some(&ByLength), &Quiet);
        result.unwrap();
        for row in &lines {
            assert_eq!(row[8], format!("len{}", row[7].len()), "{row:?}");
        }
        assert_eq!(lines.len(), 3);
    }

    /// Counts the quotes reported labelled.
    #[derive(Default)]
    struct Labelled(std::sync::atomic::AtomicU64);

    impl Progress for Labelled {
        fn quotes_labelled(&self, quotes: u64) {
            self.0
                .fetch_add(quotes, std::sync::atomic::Ordering::Relaxed);
        }
    }

    #[test]
    fn labelling_in_slices_keeps_order_and_reports_every_quote() {
        let inputs: Vec<QuoteInput> = (0..7)
            .map(|n| QuoteInput::plain(&"x".repeat(n + 1)))
            .collect();
        let progress = Labelled::default();
        let labels = label_in_slices(&ByLength, &inputs, 3, &progress).unwrap();
        let stances: Vec<&str> = labels.iter().map(|l| l.stance.as_str()).collect();
        assert_eq!(
            stances,
            ["len1", "len2", "len3", "len4", "len5", "len6", "len7"]
        );
        assert_eq!(progress.0.into_inner(), 7);
    }

    #[test]
    fn quote_inputs_carry_the_words_around_the_quote() {
        let article = Article {
            id: "x".into(),
            text: "Après la réunion: \"We will be back,\" said Zoë Roy.".into(),
            source: crate::ingest::Location {
                path: "t".into(),
                line: 1,
            },
            fields: Vec::new(),
        };
        let rows = process_article(&article);
        assert_eq!(rows.len(), 1, "{rows:?}");
        let inputs = quote_inputs(&article, &rows);
        assert_eq!(inputs[0].quote, rows[0].quote);
        assert!(inputs[0].after.contains("said"), "{:?}", inputs[0]);
    }
}
