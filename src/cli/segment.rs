//! `quotestance segment`: print the sentences of a plain-text input, one per line.

use anyhow::{Context, Result};
use quotestance::extract::segment;
use std::io::Read;
use std::process::ExitCode;

pub(super) fn segment_command(input: &str) -> Result<ExitCode> {
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
