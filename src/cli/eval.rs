//! `quotestance eval`: score extraction against gold annotations, or a classifier on labelled quotes.

use anyhow::{Result, bail};
use quotestance::classify::{self, Kind};
use quotestance::eval;
use quotestance::run::output::{self};
use quotestance::run::pipeline::{self};
use quotestance::train;
use std::path::PathBuf;
use std::process::ExitCode;

use super::choices::ClassifierChoice;
use super::{InputArgs, LabelArgs, ModelArgs, open_corpus};

#[derive(clap::Args)]
pub(super) struct EvalArgs {
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
    classifier: Option<ClassifierChoice>,
    /// Heads trained by `quotestance train` (default: the shipped heads).
    #[arg(long, value_name = "DIR")]
    heads: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    labels: LabelArgs,
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

pub(super) fn eval_command(args: EvalArgs) -> Result<ExitCode> {
    let build = |kind: Kind| {
        classify::build(
            kind,
            &args
                .model
                .options(args.heads.clone(), args.labels.neutral_share, true),
        )
    };
    if let Some(path) = &args.quotes {
        let classifier = build(args.classifier.map_or(Kind::Trained, Kind::from))?;
        let report = eval::evaluate_quotes(classifier.as_ref(), &train::read_examples(path)?)?;
        if args.json {
            outln!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            out!("{}", report.to_text());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let classifier = args.classifier.map(|c| build(c.into())).transpose()?;
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
