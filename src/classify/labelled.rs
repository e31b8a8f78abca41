//! Labelled quotes: the files `train` fits on and `eval --quotes` scores (`datasets/stance/*.csv`,
//! or quotestance's own output schema with gold labels).

use std::path::Path;

use crate::classify::{Error, QuoteInput, Result};

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
    // A problem of the file (`line` None) or of one of its rows.
    let problem = |line: Option<u64>, message: &str, source: Option<csv::Error>| Error::Labelled {
        path: path.to_path_buf(),
        line,
        message: message.to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(|e| Error::reading(path, e))?;
    let mut reader = csv::Reader::from_reader(file);
    let headers = reader
        .headers()
        .map_err(|e| problem(None, "reading the header", Some(e)))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let text = column("text")
        .or_else(|| column("quote"))
        .ok_or_else(|| problem(None, "no text or quote column", None))?;
    let (stance, sentiment) = match (column("stance"), column("sentiment")) {
        (Some(a), Some(b)) => (a, b),
        _ => return Err(problem(None, "needs stance and sentiment columns", None)),
    };
    let (kind, domain) = (column("kind"), column("domain"));
    let (cue, context) = (column("cue"), column("context"));
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            problem(Some(line), "", Some(e))
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
            return Err(problem(
                Some(line),
                "the context does not contain the quote",
                None,
            ));
        }
        if example.stance.is_empty() || example.sentiment.is_empty() {
            return Err(problem(
                Some(line),
                "a row without a stance or sentiment label",
                None,
            ));
        }
        out.push(example);
    }
    if out.is_empty() {
        return Err(problem(None, "no examples", None));
    }
    Ok(out)
}
