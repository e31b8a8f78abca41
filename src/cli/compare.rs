//! `quotestance compare`: classifiers side by side on the same matched quotes.

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use quotestance::classify::Kind;
use quotestance::models;
use quotestance::run::output::{self};
use quotestance::run::pipeline::{self};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use super::choices::{BackendChoice, ClassifierChoice};
use super::{InputArgs, LabelArgs, ModelArgs, open_corpus};

#[derive(clap::Args)]
pub(super) struct CompareArgs {
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
    classifiers: Vec<ClassifierChoice>,
    /// Encoder backends to compare each classifier on, comma-separated (default: --backend).
    #[arg(long, value_enum, value_delimiter = ',')]
    backends: Vec<BackendChoice>,
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
    labels: LabelArgs,
    #[command(flatten)]
    input: InputArgs,
}

/// `NAME=PATH` for `compare --extra-heads` and `--predictions`.
pub(super) fn parse_named(value: &str) -> Result<(String, PathBuf), String> {
    match value.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_string(), PathBuf::from(path)))
        }
        _ => Err(format!("{value:?} is not NAME=PATH")),
    }
}

pub(super) fn compare_command(args: CompareArgs) -> Result<ExitCode> {
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
        args.classifiers.iter().map(|&c| c.into()).collect()
    };
    let backends = if args.backends.is_empty() {
        vec![args.model.backend]
    } else {
        args.backends.clone()
    };
    let runs = compare::runs(
        &kinds,
        &backends.iter().map(|&b| b.into()).collect::<Vec<_>>(),
        &args.extra_heads,
    );
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
    let options = args
        .model
        .options(args.heads.clone(), args.labels.neutral_share, true);
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
pub(super) fn article_groups(
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
pub(super) fn machine_description(args: &CompareArgs) -> String {
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
pub(super) fn list(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}
