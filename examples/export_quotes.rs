//! Turns annotated articles (JSONL plus gold rows in the output schema) into labelled quotes for
//! `quotestance train` and `eval --quotes`, with the `cue` and `context` columns the classifier
//! reads: the context is the quote inside the window of its sentence that `run` builds.
//!
//! ```sh
//! cargo run --release --example export_quotes -- datasets/news/train.jsonl \
//!     datasets/news/train_gold.csv > datasets/stance/news-train.csv
//! ```

use std::collections::HashMap;
use std::io::BufRead;

use anyhow::{Context, Result, bail};
use quotestance::ingest::{Article, Location};
use quotestance::run::output::{self, Row};
use quotestance::run::pipeline;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [articles, gold] = args.as_slice() else {
        bail!("usage: export_quotes ARTICLES.jsonl GOLD.csv > QUOTES.csv");
    };
    let rows = output::read_rows(gold.as_ref()).map_err(anyhow::Error::msg)?;
    let mut by_article: HashMap<&str, Vec<Row>> = HashMap::new();
    for row in &rows {
        by_article
            .entry(&row.article_id)
            .or_default()
            .push(row.clone());
    }
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    out.write_record([
        "text",
        "stance",
        "sentiment",
        "kind",
        "cue",
        "context",
        "unsure",
        "article_id",
        "domain",
    ])?;
    let file = std::fs::File::open(articles).with_context(|| format!("opening {articles}"))?;
    for (k, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let record: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("{articles}:{}", k + 1))?;
        let field = |name: &str| record[name].as_str().unwrap_or_default().to_string();
        let article = Article {
            id: field("id"),
            text: field("text"),
            source: Location {
                path: articles.clone(),
                line: k as u64 + 1,
            },
            fields: Vec::new(),
        };
        let Some(rows) = by_article.get(article.id.as_str()) else {
            continue;
        };
        for (row, input) in rows.iter().zip(pipeline::quote_inputs(&article, rows)) {
            let context = [input.before.as_str(), &input.quote, &input.after]
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            out.write_record([
                row.quote.as_str(),
                row.stance.as_deref().unwrap_or_default(),
                row.sentiment.as_deref().unwrap_or_default(),
                row.kind.as_str(),
                &row.cue,
                &context,
                &row.unsure.map(|u| u.to_string()).unwrap_or_default(),
                &row.article_id,
                &field("domain"),
            ])?;
        }
    }
    out.flush()?;
    Ok(())
}
