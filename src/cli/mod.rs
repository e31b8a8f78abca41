//! The command line: argument structs, exit codes and one module per subcommand, over the
//! library. Nothing below `cli` knows about clap.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use quotestance::classify::ModelOptions;
use quotestance::classify::batch::BatchOptions;
use quotestance::ingest::{Corpus, Input, ReadOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

mod choices;
mod compare;
mod eval;
mod merge;
mod models;
mod report;
mod run;
mod segment;
mod summarize;
mod train;

use choices::BackendChoice;

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
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract quotes from articles and write one row per quote.
    #[command(after_help = EXIT_CODES)]
    Run(run::RunArgs),
    /// Merge the outputs of `run --shard K/N` into what one full run over the same inputs writes.
    #[command(after_help = EXIT_CODES)]
    Merge(merge::MergeArgs),
    /// Print the sentences of a plain-text input, one per line.
    Segment {
        /// A text file, or - for standard input.
        #[arg(default_value = "-")]
        input: String,
    },
    /// Score quote extraction against gold annotations.
    #[command(after_help = EXIT_CODES)]
    Eval(eval::EvalArgs),
    /// Compare classifiers on the same matched quotes: accuracy, macro-F1, speed, memory.
    Compare(compare::CompareArgs),
    /// Fine-tune the encoder and train stance and sentiment heads on labelled quotes.
    Train(train::TrainArgs),
    /// Fetch, locate or verify the encoder model.
    #[command(subcommand)]
    Models(models::ModelsCommand),
    /// Count a run's quotes by speaker (with each speaker's stance mix) or by another column.
    Summarize(summarize::SummarizeArgs),
    /// Write one self-contained HTML page (charts, quote explorer, article view) over a run.
    Report(report::ReportArgs),
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
    #[arg(long, value_enum, default_value_t = BackendChoice::Auto)]
    backend: BackendChoice,
}

impl ModelArgs {
    /// The options to build a classifier with; `neutral_share` from [`LabelArgs`] (None for
    /// commands that do not label).
    fn options(
        &self,
        heads: Option<PathBuf>,
        neutral_share: Option<f64>,
        progress: bool,
    ) -> ModelOptions {
        ModelOptions {
            model_dir: self.model.clone(),
            heads_dir: heads,
            offline: self.offline,
            max_tokens: Some(self.max_tokens),
            batch: BatchOptions {
                batch_size: self.batch_size.max(1),
                sort: true,
            },
            backend: self.backend.into(),
            progress,
            neutral_share,
        }
    }
}

/// Options of the commands that label quotes (`run`, `eval`, `compare`), beside [`ModelArgs`].
#[derive(clap::Args, Clone)]
struct LabelArgs {
    /// The share of neutral quotes you expect in this corpus, from 0 to 1 (trained classifier).
    ///
    /// The heads learned from quotes about half neutral; this moves them to your corpus's share
    /// by Bayes' rule, so fewer quotes are called acts and more of those called are right, and
    /// scores stay calibrated. About 0.75 in news taken as it comes (weather, sport, courts,
    /// markets); about 0.3 in articles chosen for their speech acts. Default: the training share.
    #[arg(long, value_name = "P", value_parser = parse_share)]
    neutral_share: Option<f64>,
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

/// `--neutral-share`: a share strictly between 0 and 1 (neither extreme leaves a prior to move).
fn parse_share(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        Ok(p) => Err(format!("{p} is not strictly between 0 and 1")),
        Err(e) => Err(e.to_string()),
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

/// Runs the command `cli` names.
pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Merge(args) => merge::merge_command(args),
        Command::Segment { input } => segment::segment_command(&input),
        Command::Eval(args) => eval::eval_command(args),
        Command::Compare(args) => compare::compare_command(args),
        Command::Train(args) => train::train_command(args),
        Command::Models(command) => models::models_command(command),
        Command::Summarize(args) => summarize::summarize_command(args),
        Command::Report(args) => report::report_command(args),
    }
}
