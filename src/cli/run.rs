//! `quotestance run`: extract and label the quotes of a corpus, with resume, shards and progress.

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use quotestance::classify::{self, Classifier};
use quotestance::ingest::{ReadOptions, RecordError};
use quotestance::run::fields::KeptFields;
use quotestance::run::journal::Checkpoint;
use quotestance::run::manifest::{ClassifierDescription, Manifest, RunDescription};
use quotestance::run::output::{Destination, OutputFormat, RowWriter, Start};
use quotestance::run::pipeline::{self, Progress, RunError, RunOptions};
use quotestance::run::shard::{self, Shard, ShardSpec};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::choices::{ClassifierChoice, FormatChoice};
use super::{
    InputArgs, LabelArgs, ModelArgs, clash, open_corpus, parse_threads, thread_pool, usage,
};

#[derive(clap::Args)]
pub(super) struct RunArgs {
    /// Inputs: .jsonl/.ndjson (one article object per line), .csv with a header, .txt (one article,
    /// id = file stem), a folder (walked recursively in path order), any of these gzipped (.gz), or -
    /// for JSONL on standard input.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Output file, or - for standard output. A file appears only when the run completes.
    #[arg(short, long, default_value = "-")]
    output: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatChoice::Csv)]
    format: FormatChoice,
    /// Extract and attribute quotes only; leave the stance and sentiment columns empty.
    #[arg(long)]
    skip_classify: bool,
    /// Which classifier labels stance and sentiment.
    #[arg(long, value_enum, default_value_t = ClassifierChoice::Trained)]
    classifier: ClassifierChoice,
    /// Heads trained by `quotestance train` (default: the heads shipped in models/heads).
    #[arg(long, value_name = "DIR")]
    heads: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    labels: LabelArgs,
    /// Worker threads (default: all cores; at most four per core, since more only add
    /// contention and memory).
    #[arg(long, value_parser = parse_threads)]
    threads: Option<usize>,
    /// Stop with exit code 3 at the first record that cannot be read.
    #[arg(long)]
    strict: bool,
    /// No progress bar or summary on stderr (warnings are still printed).
    #[arg(short, long)]
    quiet: bool,
    /// Process only shard K of N (numbered from 0: 0/4 … 3/4): the articles whose id hashes to K
    /// (first 8 bytes of SHA-256, mod N). `auto` reads JOB_COMPLETION_INDEX (Kubernetes),
    /// SLURM_ARRAY_TASK_ID (Slurm) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch); job-array variables
    /// are never read without it.
    #[arg(long, value_name = "K/N|auto")]
    shard: Option<ShardSpec>,
    /// The number of shards for `--shard auto` where the scheduler does not say (Kubernetes, AWS
    /// Batch); default: $QUOTESTANCE_SHARDS.
    #[arg(long, value_name = "N", requires = "shard")]
    shards: Option<u64>,
    /// Continue an interrupted run to the same -o FILE from its journal (.FILE.journal) instead of
    /// starting over; needs the same inputs and arguments. Without a journal, starts from the
    /// beginning.
    #[arg(long)]
    resume: bool,
    /// Copy these fields of each input record (JSON fields, CSV columns; comma-separated) into
    /// every row of its article, as columns after the schema's, so that rows join back to their
    /// articles: `--keep-fields source,url`. A record without the field gives an empty value.
    #[arg(long, value_name = "FIELD,...", value_delimiter = ',')]
    keep_fields: Vec<String>,
    /// The field holding each article's date, written to a `date` column as YYYY-MM-DD for
    /// `report` and `summarize --by date`. Reads ISO 8601, RFC 2822 and month-name forms
    /// ("March 5, 2024", "5 Mar 2024"); any other value warns with its file and line and stays
    /// empty (all-numeric 05/03/2024 too: day and month order differ by country).
    #[arg(long, value_name = "FIELD")]
    date_field: Option<String>,
    /// Also write the HTML report of this run (`quotestance report`, with the article view) to
    /// this file when the run completes. Needs -o FILE: the report reads the finished output.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Also write the end-of-run summary as JSON to this file (atomically).
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

/// Progress bar on stderr (hidden when stderr is not a terminal or with --quiet). Its clock and
/// spinner tick on their own; its message counts work as it is done (articles extracted, quotes
/// labelled), and its position moves through each chunk's input bytes as that work is done, so
/// that its ETA comes from work done, not from bytes read ahead.
pub(super) struct Bar {
    bar: ProgressBar,
    bytes: Arc<AtomicU64>,
    extracted: AtomicU64,
    labelled: AtomicU64,
    written: AtomicU64,
    chunk: std::sync::Mutex<ChunkState>,
}

/// The chunk being processed: its input bytes, its size, and the totals when it started.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct ChunkState {
    /// The bar's position (input bytes) when the chunk started, and the bytes read by its end.
    start_bytes: u64,
    end_bytes: u64,
    articles: u64,
    /// The chunk's quotes, once extracted, when they are labelled.
    quotes: Option<u64>,
    extracted_before: u64,
    labelled_before: u64,
}

impl ChunkState {
    /// The bar's position with `extracted` articles and `labelled` quotes done in all. In a
    /// classified chunk extraction counts for a fiftieth of the work: the encoder is thousands of
    /// times slower per byte.
    fn position(&self, extracted: u64, labelled: u64) -> u64 {
        let share = |done: u64, of: u64| {
            if of == 0 {
                1.0
            } else {
                (done as f64 / of as f64).min(1.0)
            }
        };
        let extraction = share(
            extracted.saturating_sub(self.extracted_before),
            self.articles,
        );
        let fraction = match self.quotes {
            Some(quotes) => {
                0.02 * extraction
                    + 0.98 * share(labelled.saturating_sub(self.labelled_before), quotes)
            }
            None => extraction,
        };
        let span = self.end_bytes.saturating_sub(self.start_bytes) as f64;
        self.start_bytes + (span * fraction) as u64
    }
}

impl Bar {
    /// A bar over the corpus's bytes when their total is known, drawn only when `show`.
    fn new(corpus: &quotestance::ingest::Corpus, show: bool) -> Bar {
        let bar = match corpus.total_bytes() {
            Some(total) => ProgressBar::new(total),
            None => ProgressBar::no_length(),
        };
        bar.set_draw_target(if show {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        });
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ETA {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        if show {
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
        Bar {
            bar,
            bytes: corpus.bytes_read(),
            extracted: AtomicU64::new(0),
            labelled: AtomicU64::new(0),
            written: AtomicU64::new(0),
            chunk: std::sync::Mutex::new(ChunkState::default()),
        }
    }

    /// Moves the bar to where the work done stands in the current chunk.
    fn update_position(&self) {
        let Ok(chunk) = self.chunk.lock() else { return };
        let position = chunk.position(
            self.extracted.load(Ordering::Relaxed),
            self.labelled.load(Ordering::Relaxed),
        );
        if position > self.bar.position() {
            self.bar.set_position(position);
        }
    }

    fn update_message(&self) {
        let secs = self.bar.elapsed().as_secs_f64().max(1e-6);
        let articles = self.extracted.load(Ordering::Relaxed);
        let labelled = self.labelled.load(Ordering::Relaxed);
        let written = self.written.load(Ordering::Relaxed);
        self.bar.set_message(format!(
            "{articles} articles ({:.0}/s), {labelled} quotes labelled ({:.0}/s), {written} written",
            articles as f64 / secs,
            labelled as f64 / secs
        ));
    }
}

impl Progress for Bar {
    fn chunk_started(&self, articles: u64) {
        if let Ok(mut chunk) = self.chunk.lock() {
            *chunk = ChunkState {
                start_bytes: self.bar.position(),
                end_bytes: self.bytes.load(Ordering::Relaxed),
                articles,
                quotes: None,
                extracted_before: self.extracted.load(Ordering::Relaxed),
                labelled_before: self.labelled.load(Ordering::Relaxed),
            };
        }
    }

    fn chunk_extracted(&self, quotes: u64) {
        if let Ok(mut chunk) = self.chunk.lock() {
            chunk.quotes = Some(quotes);
        }
        self.update_position();
    }

    fn article_extracted(&self) {
        // Every 64 articles: drawing is cheap, but not free at thousands of articles a second.
        if (self.extracted.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(64) {
            self.update_position();
            self.update_message();
        }
    }

    fn quotes_labelled(&self, quotes: u64) {
        self.labelled.fetch_add(quotes, Ordering::Relaxed);
        self.update_position();
        self.update_message();
    }

    fn chunk_done(&self, _articles: u64, quotes: u64) {
        self.written.fetch_add(quotes, Ordering::Relaxed);
        self.bar.set_position(self.bytes.load(Ordering::Relaxed));
        self.update_message();
    }

    fn warn(&self, error: &RecordError) {
        self.bar.suspend(|| eprintln!("warning: {error}"));
    }
    fn notice(&self, message: &str) {
        self.bar.suspend(|| eprintln!("warning: {message}"));
    }
}

/// The shard this run processes: `--shard K/N`, or job-array variables with `--shard auto`.
pub(super) fn resolve_shard(args: &RunArgs) -> Result<Shard, String> {
    match args.shard {
        None => Ok(Shard::ALL),
        Some(ShardSpec::Fixed(shard)) => {
            if args.shards.is_some_and(|n| n != shard.count) {
                return Err(format!(
                    "--shard {shard} and --shards {} disagree",
                    args.shards.unwrap_or_default()
                ));
            }
            Ok(shard)
        }
        Some(ShardSpec::Auto) => {
            shard::from_env(args.shards, &|name| std::env::var(name).ok()).map(|(s, _)| s)
        }
    }
}

/// What decides the rows of this run (see [`RunDescription`]): for the resume journal's
/// fingerprint and the manifest of a sharded output.
pub(super) fn describe(
    args: &RunArgs,
    classifier: Option<&dyn Classifier>,
    files: &[PathBuf],
) -> RunDescription {
    RunDescription {
        quotestance: env!("CARGO_PKG_VERSION").to_string(),
        format: OutputFormat::from(args.format).name().to_string(),
        // `--backend auto` resolves to whichever backend is available now: a resumed run must
        // not finish on another one than it started with, so the backend that runs is recorded.
        classifier: classifier.map(|c| ClassifierDescription {
            name: c.name().to_string(),
            backend: c.backend().map(str::to_string),
            model: c.model(),
            max_tokens: args.model.max_tokens,
            batch_size: args.model.batch_size,
        }),
        id_field: args.input.id_field.clone(),
        text_field: args.input.text_field.clone(),
        max_article_bytes: args.input.max_article_bytes,
        keep_fields: args.keep_fields.clone(),
        date_field: args.date_field.clone(),
        inputs: RunDescription::input_files(files),
    }
}

/// Flag combinations that cannot work, found before any input is opened.
fn flag_conflict(args: &RunArgs) -> Option<&'static str> {
    if args.report.is_some() && args.output == "-" {
        return Some(
            "--report needs an output file (-o FILE): the report reads the finished output",
        );
    }
    if args.resume && args.output == "-" {
        return Some("--resume needs an output file (-o FILE): standard output cannot be resumed");
    }
    None
}

/// The files this run writes, each with the flag that names it, for the check that none of
/// them is an input or another output.
fn outputs(args: &RunArgs) -> Vec<(&'static str, &Path)> {
    let mut outputs: Vec<(&str, &Path)> = Vec::new();
    if args.output != "-" {
        outputs.push(("-o", Path::new(&args.output)));
    }
    if let Some(summary) = &args.summary {
        outputs.push(("--summary", summary));
    }
    if let Some(report) = &args.report {
        outputs.push(("--report", report));
    }
    outputs
}

/// `quotestance run`: checks the flags, opens the corpus, builds the classifier, opens (or
/// resumes) the output, then runs the pipeline and finishes the output.
pub(super) fn run(args: RunArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let shard = match resolve_shard(&args) {
        Ok(shard) => shard,
        Err(message) => return usage(message),
    };
    if let Some(message) = flag_conflict(&args) {
        return usage(message);
    }
    let fields = match KeptFields::new(&args.keep_fields, args.date_field.as_deref()) {
        Ok(fields) => fields,
        Err(message) => return usage(message),
    };
    let read_options = ReadOptions {
        keep_fields: fields.fields.clone(),
        ..args.input.read_options()
    };
    let corpus = open_corpus(&args.inputs, read_options)?;
    if args.resume && corpus.reads_stdin() {
        return usage(
            "--resume cannot be used with standard input (-), which can be read only once",
        );
    }
    let files = corpus.files().unwrap_or_default();
    if let Some(message) = clash(&outputs(&args), &files) {
        return usage(message);
    }
    let progress = Bar::new(&corpus, !args.quiet && std::io::stderr().is_terminal());
    let pool = thread_pool(args.threads)?;
    let classifier: Option<Box<dyn Classifier>> = if args.skip_classify {
        None
    } else {
        let model_options =
            args.model
                .options(args.heads.clone(), args.labels.neutral_share, !args.quiet);
        Some(pool.install(|| classify::build(args.classifier.into(), &model_options))?)
    };
    let job = Job {
        description: describe(&args, classifier.as_deref(), &files),
        args,
        shard,
        started,
    };
    let (destination, resume_from) = match job.open_destination(&files)? {
        Opened::Write(destination, resume_from) => (destination, resume_from),
        Opened::AlreadyComplete => return Ok(ExitCode::SUCCESS),
    };
    let mut writer = RowWriter::new(destination, job.args.format.into(), &fields.columns)
        .with_context(|| format!("cannot write {}", job.args.output))?;
    let options = RunOptions {
        strict: job.args.strict,
        shard,
        resume: resume_from,
        // Standard input arrives at the producer's pace: rows for early articles go out within
        // about this long instead of waiting for a full chunk.
        max_latency: corpus
            .reads_stdin()
            .then(|| std::time::Duration::from_millis(100)),
        fields,
        ..RunOptions::default()
    };
    let result = pool.install(|| {
        pipeline::run(
            corpus,
            &mut writer,
            &options,
            classifier.as_deref(),
            &progress,
        )
    });
    progress.bar.finish_and_clear();
    job.finish(result, writer)
}

/// A run's settings once its inputs and classifier are known.
struct Job {
    args: RunArgs,
    shard: Shard,
    description: RunDescription,
    started: std::time::Instant,
}

/// Where a run's rows go, and where it starts.
enum Opened {
    Write(Destination, Option<Checkpoint>),
    /// A resumed run that had already finished: its manifest and summary are rewritten.
    AlreadyComplete,
}

impl Job {
    /// Opens the output: standard output, or a journaled file that `--resume` can continue.
    fn open_destination(&self, files: &[PathBuf]) -> Result<Opened> {
        let args = &self.args;
        if args.output == "-" {
            return Ok(Opened::Write(Destination::open("-")?, None));
        }
        // Stdin was refused for --resume; a run from stdin journals nothing useful but
        // harmless, so it gets a fingerprint of its settings alone.
        let settings = [
            ("run", self.description.to_json()),
            ("shard", self.shard.to_string()),
        ];
        let fingerprint = quotestance::run::journal::fingerprint(&settings, files)?;
        let (destination, start) =
            Destination::open_journaled(&args.output, &fingerprint, args.resume)
                .with_context(|| format!("cannot write {}", args.output))?;
        let say = |message: String| {
            if !args.quiet {
                eprintln!("quotestance: {message}");
            }
        };
        let resume_from = match start {
            Start::Fresh => None,
            Start::Restarted => {
                say(format!(
                    "discarding the unfinished run to {} and starting over (--resume would have \
                     continued it)",
                    args.output
                ));
                None
            }
            Start::NothingToResume => {
                say(format!(
                    "no journal for {} to resume; starting from the beginning",
                    args.output
                ));
                None
            }
            Start::Resumed(checkpoint) => {
                say(format!(
                    "resuming {} after {} input records ({} articles, {} quotes)",
                    args.output, checkpoint.records, checkpoint.articles, checkpoint.quotes
                ));
                Some(checkpoint)
            }
            Start::AlreadyComplete(checkpoint) => {
                say(format!("{} was already complete", args.output));
                self.conclude(&pipeline::Summary::of_finished(
                    &checkpoint,
                    self.started.elapsed(),
                ))?;
                return Ok(Opened::AlreadyComplete);
            }
        };
        let Some(destination) = destination else {
            bail!("cannot write {}: no destination", args.output);
        };
        Ok(Opened::Write(destination, resume_from))
    }

    /// Commits the output of a finished pipeline, or maps its error to an exit code.
    fn finish(
        &self,
        result: Result<pipeline::Summary, RunError>,
        writer: RowWriter,
    ) -> Result<ExitCode> {
        match result {
            Ok(mut summary) => {
                let name = writer.name().to_string();
                writer
                    .finish()
                    .with_context(|| format!("cannot write {name}"))?;
                summary.elapsed = self.started.elapsed();
                self.conclude(&summary)?;
                Ok(ExitCode::SUCCESS)
            }
            Err(RunError::Strict(e)) => {
                eprintln!("error: {e} (--strict)");
                Ok(ExitCode::from(3))
            }
            Err(RunError::Write(e)) => {
                Err(anyhow::Error::new(e).context(format!("cannot write {}", writer.name())))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The manifest of a sharded output and the end-of-run summary.
    fn conclude(&self, summary: &pipeline::Summary) -> Result<()> {
        write_manifest(&self.args, self.shard, &self.description, summary)?;
        report(&self.args, self.shard, summary)?;
        let Some(page) = &self.args.report else {
            return Ok(());
        };
        // The article view reads the inputs again; standard input cannot be.
        let articles = if self.args.inputs.iter().any(|i| i == "-") {
            None
        } else {
            let corpus = open_corpus(&self.args.inputs, self.args.input.read_options())?;
            Some((corpus, self.args.inputs.join(", ")))
        };
        super::report::write_report(
            Path::new(&self.args.output),
            articles,
            page,
            self.args.quiet,
        )
    }
}

/// Beside the finished output of a sharded run, the manifest `merge` checks the parts against.
pub(super) fn write_manifest(
    args: &RunArgs,
    shard: Shard,
    description: &RunDescription,
    summary: &pipeline::Summary,
) -> Result<()> {
    let path = Path::new(&args.output);
    if args.shard.is_none() || args.output == "-" || !path.is_file() {
        return Ok(());
    }
    let manifest = Manifest {
        run: description.clone(),
        shard: shard.to_string(),
        articles: summary.articles,
        rows: summary.quotes,
        bytes: std::fs::metadata(path)?.len(),
    };
    manifest
        .write(path)
        .with_context(|| format!("cannot write {}", Manifest::path_for(path).display()))
}

/// The end-of-run summary: on stderr unless --quiet, and as JSON with --summary FILE.
pub(super) fn report(args: &RunArgs, shard: Shard, summary: &pipeline::Summary) -> Result<()> {
    if !args.quiet {
        eprintln!("{}", summary.to_text());
    }
    if let Some(path) = &args.summary {
        let mut json = summary.to_json();
        if let Some(object) = json.as_object_mut() {
            object.insert("output".into(), args.output.clone().into());
            object.insert(
                "format".into(),
                OutputFormat::from(args.format).name().into(),
            );
            object.insert("shard".into(), shard.to_string().into());
        }
        let mut bytes = serde_json::to_vec_pretty(&json)?;
        bytes.push(b'\n');
        quotestance::fs::write_atomic(path, &bytes)
            .with_context(|| format!("cannot write the summary to {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ChunkState;

    #[test]
    fn the_bar_moves_through_a_chunk_as_its_work_is_done() {
        let mut chunk = ChunkState {
            start_bytes: 1_000,
            end_bytes: 11_000,
            articles: 100,
            quotes: None,
            extracted_before: 50,
            labelled_before: 400,
        };
        // Extraction only (--skip-classify): by articles extracted.
        assert_eq!(chunk.position(50, 400), 1_000);
        assert_eq!(chunk.position(100, 400), 6_000);
        assert_eq!(chunk.position(150, 400), 11_000);
        // Classified: extraction done is a fiftieth, then quotes labelled carry the rest.
        chunk.quotes = Some(200);
        assert_eq!(chunk.position(150, 400), 1_200);
        assert_eq!(chunk.position(150, 500), 6_100);
        assert_eq!(chunk.position(150, 600), 11_000);
        // Never past the chunk's end, and a chunk with no quotes is done once extracted.
        assert_eq!(chunk.position(999, 9_999), 11_000);
        chunk.quotes = Some(0);
        assert_eq!(chunk.position(150, 400), 11_000);
    }
}
