//! Another system's labels, read from a file, so that `compare --predictions NAME=FILE` scores it
//! beside the built-in classifiers by the same rules.
//!
//! Two forms are read:
//! - quotestance's output schema (CSV with `article_id,start,end,…,quote,stance,…`, or the JSON
//!   lines of `--format jsonl`): the system did its own extraction, and its rows are matched to
//!   the gold quotes exactly as quotestance's are (same article, spans overlapping by half the
//!   shorter one, one to one);
//! - labelled quotes (CSV with `text,stance,sentiment`): classification only. With
//!   `article_id,start,end` columns a row labels the gold quote at those offsets; without them,
//!   the gold quote with that exact text (the next unused one, when a text repeats).
//!
//! A label that is neither in the gold nor one of quotestance's labels is an error naming the file
//! and line: a typo would otherwise silently count as a wrong answer.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::compare::{Gold, System};
use crate::classify::{Labels, SENTIMENT_LABELS, STANCE_LABELS};
use crate::run::output::{self, Row};

/// Reads `path` as the predictions of the system called `name`.
pub fn read(path: &Path, name: &str, gold: &Gold) -> Result<System> {
    let known = KnownLabels::new(gold);
    let is_jsonl = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    let labels = if is_jsonl {
        from_rows(gold, &read_jsonl(path)?, path, &known)?
    } else {
        let mut reader =
            csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
        let headers = reader
            .headers()
            .with_context(|| format!("{}: reading the header", path.display()))?
            .clone();
        let has = |c: &str| headers.iter().any(|h| h == c);
        if has("quote") && has("start") && has("kind") {
            let rows = output::read_rows(path).map_err(anyhow::Error::msg)?;
            from_rows(gold, &rows, path, &known)?
        } else if has("text") && has("stance") && has("sentiment") {
            from_labelled_quotes(gold, reader, &headers, path, &known)?
        } else {
            bail!(
                "{}: neither quotestance output (article_id,start,end,…,quote,stance,…) nor \
                 labelled quotes (text,stance,sentiment[,article_id,start,end])",
                path.display()
            );
        }
    };
    Ok(System {
        name: name.to_string(),
        backend: None,
        labels,
        speed: None,
        load_seconds: None,
        peak_memory_mib: None,
    })
}

/// The labels a prediction may use: the gold's and quotestance's own.
struct KnownLabels {
    stance: HashSet<String>,
    sentiment: HashSet<String>,
}

impl KnownLabels {
    fn new(gold: &Gold) -> KnownLabels {
        let mut stance: HashSet<String> = STANCE_LABELS.iter().map(|s| s.to_string()).collect();
        let mut sentiment: HashSet<String> =
            SENTIMENT_LABELS.iter().map(|s| s.to_string()).collect();
        for row in &gold.rows {
            stance.extend(row.stance.clone());
            sentiment.extend(row.sentiment.clone());
        }
        KnownLabels { stance, sentiment }
    }

    fn check(&self, stance: &str, sentiment: &str, path: &Path, line: u64) -> Result<()> {
        if !self.stance.contains(stance) {
            bail!(
                "{}:{line}: unknown stance label {stance:?} (the gold's and quotestance's are {})",
                path.display(),
                sorted(&self.stance)
            );
        }
        if !self.sentiment.contains(sentiment) {
            bail!(
                "{}:{line}: unknown sentiment label {sentiment:?} (the gold's and quotestance's are {})",
                path.display(),
                sorted(&self.sentiment)
            );
        }
        Ok(())
    }
}

fn sorted(labels: &HashSet<String>) -> String {
    let mut labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    labels.sort_unstable();
    labels.join(", ")
}

fn read_jsonl(path: &Path) -> Result<Vec<Row>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(k, l)| {
            serde_json::from_str::<Row>(l)
                .with_context(|| format!("{}:{}: not a quotestance row", path.display(), k + 1))
        })
        .collect()
}

/// Labels of the gold quotes that rows of quotestance's output schema match.
fn from_rows(
    gold: &Gold,
    rows: &[Row],
    path: &Path,
    known: &KnownLabels,
) -> Result<BTreeMap<usize, Labels>> {
    for (k, row) in rows.iter().enumerate() {
        let (Some(stance), Some(sentiment)) = (&row.stance, &row.sentiment) else {
            bail!(
                "{}: row {} (article {:?}) has no stance or sentiment label",
                path.display(),
                k + 1,
                row.article_id
            );
        };
        // Rows are data lines 2, 3, … of a CSV (after its header).
        known.check(stance, sentiment, path, k as u64 + 2)?;
    }
    Ok(gold
        .matched(rows)
        .into_iter()
        .map(|(g, p)| (g, labels_of(&rows[p])))
        .collect())
}

fn labels_of(row: &Row) -> Labels {
    Labels {
        stance: row.stance.clone().unwrap_or_default(),
        stance_score: row.stance_score.unwrap_or(f32::NAN),
        sentiment: row.sentiment.clone().unwrap_or_default(),
        sentiment_score: row.sentiment_score.unwrap_or(f32::NAN),
    }
}

/// Labels of the gold quotes that labelled quotes name, by offsets or by text.
fn from_labelled_quotes(
    gold: &Gold,
    mut reader: csv::Reader<std::fs::File>,
    headers: &csv::StringRecord,
    path: &Path,
    known: &KnownLabels,
) -> Result<BTreeMap<usize, Labels>> {
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (text, stance, sentiment) = (column("text"), column("stance"), column("sentiment"));
    let place = match (column("article_id"), column("start"), column("end")) {
        (Some(a), Some(s), Some(e)) => Some((a, s, e)),
        _ => None,
    };
    let mut by_place: HashMap<(&str, usize, usize), usize> = HashMap::new();
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, row) in gold.rows.iter().enumerate() {
        by_place.insert((&row.article_id, row.start, row.end), k);
        by_text.entry(row.quote.trim()).or_default().push(k);
    }
    for list in by_text.values_mut() {
        list.reverse(); // popped from the end: first gold quote first
    }
    let mut labels = BTreeMap::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("reading {}", path.display()))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |k: Option<usize>| k.and_then(|k| record.get(k)).unwrap_or("").trim();
        let (s, t) = (field(stance), field(sentiment));
        known.check(s, t, path, line)?;
        let found = match place {
            Some((a, st, en)) => {
                let number = |k: usize| -> Result<usize> {
                    field(Some(k)).parse().with_context(|| {
                        format!("{}:{line}: start and end must be numbers", path.display())
                    })
                };
                by_place
                    .get(&(field(Some(a)), number(st)?, number(en)?))
                    .copied()
            }
            None => by_text.get_mut(field(text)).and_then(Vec::pop),
        };
        if let Some(k) = found {
            labels.insert(
                k,
                Labels {
                    stance: s.to_string(),
                    stance_score: f32::NAN,
                    sentiment: t.to_string(),
                    sentiment_score: f32::NAN,
                },
            );
        }
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::quotes::QuoteKind;

    fn gold_row(article: &str, start: usize, quote: &str) -> Row {
        Row {
            article_id: article.into(),
            quote_index: 0,
            start,
            end: start + quote.chars().count(),
            kind: QuoteKind::Indirect,
            speaker: String::new(),
            cue: String::new(),
            quote: quote.into(),
            stance: Some("neutral".into()),
            stance_score: None,
            sentiment: Some("neutral".into()),
            sentiment_score: None,
            unsure: None,
        }
    }

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn labelled_quotes_match_by_offsets_or_by_text() {
        let rows = vec![
            gold_row("a", 0, "the talks will resume"),
            gold_row("a", 40, "we deny it"),
            gold_row("b", 0, "we deny it"),
        ];
        let gold = Gold::new(&rows);
        let dir = tempfile::tempdir().unwrap();
        let by_text = write(
            dir.path(),
            "t.csv",
            "text,stance,sentiment\nwe deny it,denial,neutral\nwe deny it,denial,negative\nnot in gold,neutral,neutral\n",
        );
        let system = read(&by_text, "peer", &gold).unwrap();
        assert_eq!(
            system.labels.len(),
            2,
            "a repeated text labels the next gold quote"
        );
        assert_eq!(system.labels[&1].sentiment, "neutral");
        assert_eq!(system.labels[&2].sentiment, "negative");
        let by_place = write(
            dir.path(),
            "p.csv",
            "article_id,start,end,text,stance,sentiment\nb,0,10,we deny it,denial,neutral\n",
        );
        let system = read(&by_place, "peer", &gold).unwrap();
        assert_eq!(system.labels.keys().copied().collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn an_unknown_label_names_file_and_line() {
        let rows = vec![gold_row("a", 0, "we deny it")];
        let gold = Gold::new(&rows);
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "bad.csv",
            "text,stance,sentiment\nwe deny it,denial,neutral\nwe deny it,denail,neutral\n",
        );
        let error = read(&path, "peer", &gold).err().unwrap().to_string();
        assert!(
            error.contains("bad.csv:3") && error.contains("\"denail\""),
            "{error}"
        );
    }

    #[test]
    fn output_rows_are_matched_like_quotestance_rows() {
        let rows = vec![gold_row("a", 0, "the talks will resume")];
        let gold = Gold::new(&rows);
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "out.csv",
            "article_id,quote_index,start,end,kind,speaker,cue,quote,stance,stance_score,sentiment,sentiment_score\n\
             a,0,4,21,indirect,,said,talks will resume,offer,0.9,positive,0.8\n\
             a,1,50,60,direct,,said,elsewhere,threat,0.9,negative,0.8\n",
        );
        let system = read(&path, "other", &gold).unwrap();
        assert_eq!(system.labels.len(), 1);
        assert_eq!(system.labels[&0].stance, "offer");
    }
}
