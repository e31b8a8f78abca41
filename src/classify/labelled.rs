//! Labelled quotes: the files `train` fits on and `eval --quotes` scores (`datasets/stance/*.csv`,
//! or quotestance's own output schema with gold labels).

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::classify::QuoteInput;

/// One labelled example of `datasets/stance/*.csv`.
#[derive(Clone, Debug)]
pub struct Example {
    pub text: String,
    pub stance: String,
    pub sentiment: String,
    pub kind: String,
    pub domain: String,
    /// The speech cue, when the file has a `cue` column ("denied").
    pub cue: String,
    /// The text around the quote, when the file has a `context` column: its sentence, which
    /// contains the quote.
    pub context: String,
}

impl Example {
    /// What a classifier reads of this example.
    pub fn input(&self) -> QuoteInput {
        QuoteInput::from_columns(&self.text, &self.cue, &self.context)
    }
}

/// Reads labelled quotes: a CSV with `text,stance,sentiment` and optionally `kind`, `domain`,
/// `cue` and `context` columns, or quotestance's own output schema (`quote` as the text, e.g.
/// `datasets/articles/gold.csv`). Rows without both labels are an error naming their line.
pub fn read_examples(path: &Path) -> Result<Vec<Example>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("reading the header of {}", path.display()))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let text = column("text")
        .or_else(|| column("quote"))
        .with_context(|| format!("{}: no text or quote column", path.display()))?;
    let (stance, sentiment) = match (column("stance"), column("sentiment")) {
        (Some(a), Some(b)) => (a, b),
        _ => bail!("{}: needs stance and sentiment columns", path.display()),
    };
    let (kind, domain) = (column("kind"), column("domain"));
    let (cue, context) = (column("cue"), column("context"));
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            anyhow::anyhow!(
                "{}:{}: {e}",
                path.display(),
                e.position().map_or(0, |p| p.line())
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |k: Option<usize>| {
            k.and_then(|k| record.get(k))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let example = Example {
            text: field(Some(text)),
            stance: field(Some(stance)),
            sentiment: field(Some(sentiment)),
            kind: field(kind),
            domain: field(domain),
            cue: field(cue),
            context: field(context),
        };
        if !example.context.is_empty() && !example.context.contains(&example.text) {
            bail!(
                "{}:{line}: the context does not contain the quote",
                path.display()
            );
        }
        if example.stance.is_empty() || example.sentiment.is_empty() {
            bail!(
                "{}:{line}: a row without a stance or sentiment label",
                path.display()
            );
        }
        out.push(example);
    }
    if out.is_empty() {
        bail!("{}: no examples", path.display());
    }
    Ok(out)
}
