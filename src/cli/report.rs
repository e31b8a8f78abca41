//! `quotestance report`: one self-contained HTML page over a run's quotes.

use anyhow::{Context, Result};
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
    let started = std::time::Instant::now();
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
    let quotes = Quotes::read(&args.quotes)?;
    let articles = corpus.map(|corpus| html::read_articles(&quotes, corpus));
    let described = args.articles.join(", ");
    let page = html::render(&quotes, articles.as_ref().map(|a| (a, described.as_str())))?;
    write(&args.output, page.as_bytes())?;
    if !args.quiet {
        eprintln!(
            "quotestance: wrote {} ({} quotes, {:.1} MB, {:.2}s)",
            args.output.display(),
            quotes.table.rows.len(),
            page.len() as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    quotestance::fs::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}
