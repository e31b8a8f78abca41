//! `quotestance summarize`: a run's quotes counted by speaker (with stance mix) or another column.

use anyhow::{Context, Result};
use clap::ValueEnum;
use quotestance::report::Quotes;
use quotestance::report::summary::{self, GroupBy};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
enum TableFormat {
    Csv,
    Md,
}

#[derive(clap::Args)]
pub(super) struct SummarizeArgs {
    /// Quotes written by `run` (CSV, or JSON lines named .jsonl/.ndjson).
    quotes: PathBuf,
    /// Group by speaker (a speaker × stance table), stance, sentiment, kind, date (the day of an
    /// ISO-8601 `date` column) or any other column of the file, such as source.
    #[arg(
        long,
        default_value = "speaker",
        value_name = "speaker|stance|sentiment|kind|date|source|FIELD"
    )]
    by: String,
    /// CSV for notebooks, or a Markdown table for papers.
    #[arg(long, value_enum, default_value_t = TableFormat::Md)]
    format: TableFormat,
    /// Where to write the table (atomically), or - for standard output.
    #[arg(short, long, default_value = "-")]
    output: String,
}

pub(super) fn summarize_command(args: SummarizeArgs) -> Result<ExitCode> {
    let output = std::path::Path::new(&args.output);
    if args.output != "-" && quotestance::fs::same_file(output, &args.quotes) {
        return super::usage(format!(
            "-o {} is the input: writing it would destroy the quotes",
            args.output
        ));
    }
    let quotes = Quotes::read(&args.quotes)?;
    let table = summary::summarize(&quotes, &GroupBy::parse(&args.by))?;
    let bytes = match args.format {
        TableFormat::Csv => table.to_csv().context("cannot write the table as CSV")?,
        TableFormat::Md => table.to_markdown().into_bytes(),
    };
    if args.output == "-" {
        use std::io::Write as _;
        std::io::stdout().lock().write_all(&bytes)?;
    } else {
        quotestance::fs::write_atomic(output, &bytes)
            .with_context(|| format!("cannot write {}", args.output))?;
    }
    Ok(ExitCode::SUCCESS)
}
