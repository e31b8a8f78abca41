//! `quotestance merge`: join the outputs of `run --shard K/N` into what one full run writes.

use anyhow::{Context, Result};
use quotestance::run::manifest::{self, Manifest, RunDescription};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{InputArgs, clash, open_corpus, usage};

#[derive(clap::Args)]
pub(super) struct MergeArgs {
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

pub(super) fn merge_command(args: MergeArgs) -> Result<ExitCode> {
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
