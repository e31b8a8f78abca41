//! `quotestance report`: one self-contained HTML page over a run's quotes.

use anyhow::{Context, Result};
use quotestance::ingest::Corpus;
use quotestance::report::{Quotes, html};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{InputArgs, clash, open_corpus, usage};

#[derive(clap::Args)]
pub(super) struct ReportArgs {
    /// Quotes written by `run` (CSV, or JSON lines named .jsonl/.ndjson).
    quotes: PathBuf,
    /// The articles the quotes come from (any `run` input; repeatable): adds the article view,
    /// with each quote highlighted in its article.
    #[arg(long, num_args = 1.., value_name = "INPUT")]
    articles: Vec<String>,
    /// The HTML file to write (atomically).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// No summary on stderr.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    input: InputArgs,
}

pub(super) fn report_command(args: ReportArgs) -> Result<ExitCode> {
    let corpus = if args.articles.is_empty() {
        None
    } else {
        Some(open_corpus(&args.articles, args.input.read_options())?)
    };
    let mut inputs = vec![args.quotes.clone()];
    if let Some(files) = corpus.as_ref().and_then(|c| c.files()) {
        inputs.extend(files);
    }
    if let Some(message) = clash(&[("-o", args.output.as_path())], &inputs) {
        return usage(message);
    }
    write_report(
        &args.quotes,
        corpus.map(|c| (c, args.articles.join(", "))),
        &args.output,
        args.quiet,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the report of the quotes in `quotes` to `output`, with the article view when the
/// articles (and how to name them) are given. Shared by `report` and `run --report`.
pub(super) fn write_report(
    quotes: &Path,
    articles: Option<(Corpus, String)>,
    output: &Path,
    quiet: bool,
) -> Result<()> {
    let started = std::time::Instant::now();
    let quotes = Quotes::read(quotes)?;
    let texts = articles.map(|(corpus, named)| (html::read_articles(&quotes, corpus), named));
    let page = html::render(
        &quotes,
        texts.as_ref().map(|(a, named)| (a, named.as_str())),
    )?;
    write(output, page.as_bytes())?;
    if !quiet {
        eprintln!(
            "quotestance: wrote {} ({} quotes, {:.1} MB, {:.2}s)",
            output.display(),
            quotes.table.rows.len(),
            page.len() as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    quotestance::fs::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}
