//! Scoring predicted quotes against gold annotations.
//!
//! A predicted quote matches a gold quote of the same article when their spans overlap by at least
//! half of the shorter span. Matching is one-to-one, largest overlaps first. Detection precision,
//! recall and F1 are reported overall and per kind; speaker accuracy, and stance and sentiment
//! accuracy, macro-F1, per-class scores and confusion matrices, on matched quotes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::lexicon;
use crate::output::Row;
use crate::quotes::QuoteKind;

/// True positives, false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Detection scores.
#[derive(Clone, Debug, Serialize)]
pub struct Detection {
    pub counts: Counts,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl From<Counts> for Detection {
    fn from(counts: Counts) -> Self {
        Detection {
            counts,
            precision: counts.precision(),
            recall: counts.recall(),
            f1: counts.f1(),
        }
    }
}

/// Scores of one label set (stance or sentiment) on matched quotes.
#[derive(Clone, Debug, Serialize)]
pub struct LabelScores {
    pub labels: Vec<String>,
    /// `confusion[gold][predicted]`, in the order of `labels`.
    pub confusion: Vec<Vec<u64>>,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub per_class: Vec<ClassScores>,
    pub support: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ClassScores {
    pub label: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: u64,
}

impl LabelScores {
    /// Scores `(gold, predicted)` label pairs.
    pub fn from_pairs(pairs: &[(String, String)]) -> LabelScores {
        let labels: Vec<String> = pairs
            .iter()
            .flat_map(|(g, p)| [g.clone(), p.clone()])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let index = |l: &str| labels.iter().position(|x| x == l).unwrap_or(0);
        let mut confusion = vec![vec![0u64; labels.len()]; labels.len()];
        for (g, p) in pairs {
            confusion[index(g)][index(p)] += 1;
        }
        let correct: u64 = (0..labels.len()).map(|k| confusion[k][k]).sum();
        let per_class: Vec<ClassScores> = labels
            .iter()
            .enumerate()
            .map(|(k, label)| {
                let tp = confusion[k][k];
                let predicted: u64 = confusion.iter().map(|row| row[k]).sum();
                let support: u64 = confusion[k].iter().sum();
                let c = Counts {
                    tp,
                    fp: predicted - tp,
                    fn_: support - tp,
                };
                ClassScores {
                    label: label.clone(),
                    precision: c.precision(),
                    recall: c.recall(),
                    f1: c.f1(),
                    support,
                }
            })
            .collect();
        // Macro-F1 over the labels that occur in gold.
        let gold_classes: Vec<&ClassScores> = per_class.iter().filter(|c| c.support > 0).collect();
        let macro_f1 = if gold_classes.is_empty() {
            0.0
        } else {
            gold_classes.iter().map(|c| c.f1).sum::<f64>() / gold_classes.len() as f64
        };
        LabelScores {
            labels,
            confusion,
            accuracy: ratio(correct, pairs.len() as u64),
            macro_f1,
            per_class,
            support: pairs.len() as u64,
        }
    }
}

/// The whole evaluation.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub articles: usize,
    pub gold_quotes: usize,
    pub predicted_quotes: usize,
    pub detection: Detection,
    pub by_kind: BTreeMap<String, Detection>,
    pub kind_accuracy: f64,
    pub speaker_accuracy: f64,
    pub speaker_correct: u64,
    pub matched: u64,
    pub stance: Option<LabelScores>,
    pub sentiment: Option<LabelScores>,
}

/// A matched pair of (gold index, predicted index) within one article.
pub type Match = (usize, usize);

/// One-to-one matching of predicted to gold spans in one article.
pub fn match_spans(gold: &[&Row], pred: &[&Row]) -> Vec<Match> {
    let mut candidates = Vec::new();
    for (g, gr) in gold.iter().enumerate() {
        for (p, pr) in pred.iter().enumerate() {
            let overlap = gr.end.min(pr.end).saturating_sub(gr.start.max(pr.start));
            let shorter = (gr.end - gr.start).min(pr.end - pr.start);
            if overlap > 0 && overlap * 2 >= shorter {
                candidates.push((overlap, g, p));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_g, mut used_p) = (vec![false; gold.len()], vec![false; pred.len()]);
    let mut matches = Vec::new();
    for (_, g, p) in candidates {
        if !used_g[g] && !used_p[p] {
            used_g[g] = true;
            used_p[p] = true;
            matches.push((g, p));
        }
    }
    matches
}

/// Speaker names compared case-insensitively, without leading determiners, titles or full stops.
pub fn normalize_speaker(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c == '.' || c == '’' { ' ' } else { c })
        .collect();
    let words: Vec<String> = cleaned.split_whitespace().map(str::to_lowercase).collect();
    let mut start = 0;
    while start < words.len()
        && (lexicon::is_determiner(&words[start])
            || lexicon::is_male_honorific(&words[start])
            || lexicon::is_female_honorific(&words[start])
            || words[start] == "dr")
    {
        start += 1;
    }
    words[start..].join(" ")
}

/// Scores `pred` against `gold`. Articles are those named in either.
pub fn evaluate(gold: &[Row], pred: &[Row]) -> Report {
    let mut by_article: BTreeMap<&str, (Vec<&Row>, Vec<&Row>)> = BTreeMap::new();
    for row in gold {
        by_article.entry(&row.article_id).or_default().0.push(row);
    }
    for row in pred {
        by_article.entry(&row.article_id).or_default().1.push(row);
    }
    let mut overall = Counts::default();
    let mut kinds: BTreeMap<QuoteKind, Counts> = QuoteKind::ALL
        .iter()
        .map(|k| (*k, Counts::default()))
        .collect();
    let (mut matched, mut kind_ok, mut speaker_ok) = (0u64, 0u64, 0u64);
    let (mut stance_pairs, mut sentiment_pairs) = (Vec::new(), Vec::new());
    for (gold_rows, pred_rows) in by_article.values() {
        let matches = match_spans(gold_rows, pred_rows);
        overall.tp += matches.len() as u64;
        overall.fp += (pred_rows.len() - matches.len()) as u64;
        overall.fn_ += (gold_rows.len() - matches.len()) as u64;
        for kind in QuoteKind::ALL {
            let c = kinds.entry(kind).or_default();
            let tp = matches
                .iter()
                .filter(|(g, p)| gold_rows[*g].kind == kind && pred_rows[*p].kind == kind)
                .count() as u64;
            c.tp += tp;
            c.fp += pred_rows.iter().filter(|r| r.kind == kind).count() as u64 - tp;
            c.fn_ += gold_rows.iter().filter(|r| r.kind == kind).count() as u64 - tp;
        }
        for &(g, p) in &matches {
            let (g, p) = (gold_rows[g], pred_rows[p]);
            matched += 1;
            kind_ok += u64::from(g.kind == p.kind);
            speaker_ok += u64::from(normalize_speaker(&g.speaker) == normalize_speaker(&p.speaker));
            if let (Some(gs), Some(ps)) = (&g.stance, &p.stance) {
                stance_pairs.push((gs.clone(), ps.clone()));
            }
            if let (Some(gs), Some(ps)) = (&g.sentiment, &p.sentiment) {
                sentiment_pairs.push((gs.clone(), ps.clone()));
            }
        }
    }
    Report {
        articles: by_article.len(),
        gold_quotes: gold.len(),
        predicted_quotes: pred.len(),
        detection: overall.into(),
        by_kind: kinds
            .into_iter()
            .map(|(k, c)| (k.as_str().to_string(), c.into()))
            .collect(),
        kind_accuracy: ratio(kind_ok, matched),
        speaker_accuracy: ratio(speaker_ok, matched),
        speaker_correct: speaker_ok,
        matched,
        stance: (!stance_pairs.is_empty()).then(|| LabelScores::from_pairs(&stance_pairs)),
        sentiment: (!sentiment_pairs.is_empty()).then(|| LabelScores::from_pairs(&sentiment_pairs)),
    }
}

/// Stance and sentiment scores of a classifier on labelled quotes, with its speed.
#[derive(Clone, Debug, Serialize)]
pub struct QuoteReport {
    pub classifier: String,
    /// The encoder backend, for classifiers that use one.
    pub backend: Option<String>,
    pub quotes: usize,
    pub seconds: f64,
    pub quotes_per_second: f64,
    pub stance: LabelScores,
    pub sentiment: LabelScores,
}

/// Classifies every example's text and scores the labels against the examples'.
pub fn evaluate_quotes(
    classifier: &dyn crate::classify::Classifier,
    examples: &[crate::train::Example],
) -> anyhow::Result<QuoteReport> {
    let inputs: Vec<crate::classify::QuoteInput> =
        examples.iter().map(crate::train::Example::input).collect();
    let started = std::time::Instant::now();
    let labels = classifier.classify(&inputs)?;
    let seconds = started.elapsed().as_secs_f64();
    let stance: Vec<(String, String)> = examples
        .iter()
        .zip(&labels)
        .map(|(e, l)| (e.stance.clone(), l.stance.clone()))
        .collect();
    let sentiment: Vec<(String, String)> = examples
        .iter()
        .zip(&labels)
        .map(|(e, l)| (e.sentiment.clone(), l.sentiment.clone()))
        .collect();
    Ok(QuoteReport {
        classifier: classifier.name().to_string(),
        backend: classifier.backend().map(str::to_string),
        quotes: examples.len(),
        seconds,
        quotes_per_second: examples.len() as f64 / seconds.max(1e-9),
        stance: LabelScores::from_pairs(&stance),
        sentiment: LabelScores::from_pairs(&sentiment),
    })
}

impl QuoteReport {
    pub fn to_text(&self) -> String {
        format!(
            "classifier: {}{}   quotes: {}   {:.1} quotes/s\n\n{}\n{}",
            self.classifier,
            self.backend
                .as_deref()
                .map_or_else(String::new, |b| format!(" ({b})")),
            self.quotes,
            self.quotes_per_second,
            self.stance.to_text("stance"),
            self.sentiment.to_text("sentiment")
        )
    }
}

impl Report {
    /// A plain-text report for people.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "articles: {}   gold quotes: {}   predicted quotes: {}   matched: {}",
            self.articles, self.gold_quotes, self.predicted_quotes, self.matched
        );
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<10} {:>9} {:>9} {:>9} {:>6} {:>6} {:>6}",
            "detection", "precision", "recall", "f1", "tp", "fp", "fn"
        );
        let mut line = |name: &str, d: &Detection| {
            let _ = writeln!(
                out,
                "{:<10} {:>9.3} {:>9.3} {:>9.3} {:>6} {:>6} {:>6}",
                name, d.precision, d.recall, d.f1, d.counts.tp, d.counts.fp, d.counts.fn_
            );
        };
        line("all", &self.detection);
        for (kind, d) in &self.by_kind {
            line(kind, d);
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "kind accuracy (matched):    {:.3}", self.kind_accuracy);
        let _ = writeln!(
            out,
            "speaker accuracy (matched): {:.3} ({} of {})",
            self.speaker_accuracy, self.speaker_correct, self.matched
        );
        for (name, scores) in [("stance", &self.stance), ("sentiment", &self.sentiment)] {
            if let Some(s) = scores {
                out.push('\n');
                out.push_str(&s.to_text(name));
            }
        }
        out
    }
}

impl LabelScores {
    /// Accuracy, macro-F1, per-class scores and the confusion matrix as text.
    pub fn to_text(&self, name: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{name}: accuracy {:.3}   macro-F1 {:.3}   ({} matched quotes)",
            self.accuracy, self.macro_f1, self.support
        );
        let _ = writeln!(
            out,
            "  {:<12} {:>9} {:>9} {:>9} {:>8}",
            "label", "precision", "recall", "f1", "support"
        );
        for c in &self.per_class {
            let _ = writeln!(
                out,
                "  {:<12} {:>9.3} {:>9.3} {:>9.3} {:>8}",
                c.label, c.precision, c.recall, c.f1, c.support
            );
        }
        let _ = writeln!(out, "  confusion (rows gold, columns predicted):");
        let _ = write!(out, "  {:<12}", "");
        for l in &self.labels {
            let _ = write!(out, " {:>6}", abbreviate(l));
        }
        out.push('\n');
        for (k, l) in self.labels.iter().enumerate() {
            let _ = write!(out, "  {:<12}", l);
            for v in &self.confusion[k] {
                let _ = write!(out, " {:>6}", v);
            }
            out.push('\n');
        }
        out
    }
}

fn abbreviate(label: &str) -> String {
    label.chars().take(6).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(article: &str, start: usize, end: usize, kind: QuoteKind, speaker: &str) -> Row {
        Row {
            article_id: article.into(),
            quote_index: 0,
            start,
            end,
            kind,
            speaker: speaker.into(),
            cue: String::new(),
            quote: String::new(),
            stance: None,
            stance_score: None,
            sentiment: None,
            sentiment_score: None,
        }
    }

    #[test]
    fn overlap_of_half_the_shorter_span_matches() {
        let gold = [row("a", 0, 10, QuoteKind::Direct, "Ann Lee")];
        let pred = [
            row("a", 5, 30, QuoteKind::Direct, "Mrs Ann Lee"),
            row("a", 40, 50, QuoteKind::Indirect, ""),
        ];
        let report = evaluate(&gold, &pred);
        assert_eq!(
            report.detection.counts,
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(report.speaker_accuracy, 1.0);
        let pred = [row("a", 6, 30, QuoteKind::Direct, "Ann Lee")];
        assert_eq!(
            evaluate(&gold, &pred).detection.counts,
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
    }

    #[test]
    fn matching_is_one_to_one() {
        let gold = [row("a", 0, 10, QuoteKind::Direct, "")];
        let pred = [
            row("a", 0, 10, QuoteKind::Direct, ""),
            row("a", 0, 9, QuoteKind::Direct, ""),
        ];
        assert_eq!(
            evaluate(&gold, &pred).detection.counts,
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
    }

    #[test]
    fn label_scores() {
        let pairs: Vec<(String, String)> = [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]
            .iter()
            .map(|(g, p)| (g.to_string(), p.to_string()))
            .collect();
        let s = LabelScores::from_pairs(&pairs);
        assert_eq!(s.accuracy, 0.75);
        assert_eq!(s.confusion, vec![vec![1, 1], vec![0, 2]]);
        assert!((s.macro_f1 - (2.0 / 3.0 + 0.8) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn speaker_normalisation() {
        assert_eq!(normalize_speaker("the Kremlin"), "kremlin");
        assert_eq!(normalize_speaker("Mr. John  Smith"), "john smith");
    }
}
