//! Scoring predicted quotes against gold annotations.
//!
//! A predicted quote matches a gold quote of the same article when their spans overlap by at least
//! half of the shorter span. Matching is one-to-one, largest overlaps first. Detection precision,
//! recall and F1 are reported overall and per kind; speaker accuracy, and stance and sentiment
//! accuracy, macro-F1, per-class scores and confusion matrices, on matched quotes.

pub mod chart;
pub mod compare;
pub mod predictions;
pub mod stats;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::Context as _;
use serde::Serialize;

use crate::extract::quotes::QuoteKind;
use crate::extract::words;
use crate::run::output::Row;

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

/// Gold and predicted labels as small indices, grouped by article, for scoring many bootstrap
/// resamples quickly (a confusion matrix of counts instead of strings).
pub(crate) struct CodedLabels {
    /// Per article: (gold stance, predicted stance, gold sentiment, predicted sentiment).
    by_article: Vec<Vec<[usize; 4]>>,
    stance_labels: usize,
    sentiment_labels: usize,
}

/// The stance half of a coded item.
pub(crate) const STANCE: usize = 0;
/// The sentiment half.
pub(crate) const SENTIMENT: usize = 2;

impl CodedLabels {
    /// From `(article index, [gold stance, predicted stance, gold sentiment, predicted
    /// sentiment])` items, articles numbered below `articles`.
    pub(crate) fn new<'a>(
        articles: usize,
        items: impl Iterator<Item = (usize, [&'a str; 4])>,
    ) -> CodedLabels {
        let mut stance: BTreeMap<&str, usize> = BTreeMap::new();
        let mut sentiment: BTreeMap<&str, usize> = BTreeMap::new();
        fn code<'a>(map: &mut BTreeMap<&'a str, usize>, label: &'a str) -> usize {
            let next = map.len();
            *map.entry(label).or_insert(next)
        }
        let mut by_article = vec![Vec::new(); articles];
        for (article, [gs, ps, gt, pt]) in items {
            by_article[article].push([
                code(&mut stance, gs),
                code(&mut stance, ps),
                code(&mut sentiment, gt),
                code(&mut sentiment, pt),
            ]);
        }
        CodedLabels {
            by_article,
            stance_labels: stance.len(),
            sentiment_labels: sentiment.len(),
        }
    }

    /// Accuracy and macro-F1 (over labels present in gold, as [`LabelScores`] computes it) of
    /// the task at `offset` ([`STANCE`] or [`SENTIMENT`]) over the sampled articles.
    pub(crate) fn scores(&self, sample: &[usize], offset: usize) -> Option<(f64, f64)> {
        let n = if offset == STANCE {
            self.stance_labels
        } else {
            self.sentiment_labels
        };
        let mut confusion = vec![0u64; n * n];
        let mut total = 0u64;
        for &a in sample {
            for item in &self.by_article[a] {
                confusion[item[offset] * n + item[offset + 1]] += 1;
                total += 1;
            }
        }
        if total == 0 {
            return None;
        }
        let correct: u64 = (0..n).map(|k| confusion[k * n + k]).sum();
        let mut f1s = Vec::new();
        for k in 0..n {
            let support: u64 = (0..n).map(|j| confusion[k * n + j]).sum();
            if support == 0 {
                continue;
            }
            let predicted: u64 = (0..n).map(|j| confusion[j * n + k]).sum();
            let c = Counts {
                tp: confusion[k * n + k],
                fp: predicted - confusion[k * n + k],
                fn_: support - confusion[k * n + k],
            };
            f1s.push(c.f1());
        }
        Some((
            correct as f64 / total as f64,
            f1s.iter().sum::<f64>() / f1s.len() as f64,
        ))
    }
}

/// How far a classifier's scores can be trusted, from `(correct, score)` of each prediction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibration {
    /// Expected calibration error: the mean gap between score and accuracy over ten equal-width
    /// score bins, weighted by how many predictions fall in each.
    pub ece: f64,
    /// Accuracy of the half of the predictions with the highest scores: what an analyst who
    /// keeps the more confident half gets.
    pub half_coverage_accuracy: f64,
    pub predictions: u64,
}

/// Score bins for the expected calibration error.
const CALIBRATION_BINS: usize = 10;

impl Calibration {
    pub fn from_scored(items: &[(bool, f32)]) -> Option<Calibration> {
        if items.is_empty() {
            return None;
        }
        let mut bins = [(0u64, 0u64, 0f64); CALIBRATION_BINS]; // (n, correct, score sum)
        for &(correct, score) in items {
            let score = f64::from(score).clamp(0.0, 1.0);
            let k = ((score * CALIBRATION_BINS as f64) as usize).min(CALIBRATION_BINS - 1);
            bins[k].0 += 1;
            bins[k].1 += u64::from(correct);
            bins[k].2 += score;
        }
        let n = items.len() as f64;
        let ece = bins
            .iter()
            .filter(|b| b.0 > 0)
            .map(|&(count, correct, sum)| {
                let c = count as f64;
                (correct as f64 / c - sum / c).abs() * c / n
            })
            .sum();
        let mut sorted: Vec<(bool, f32)> = items.to_vec();
        // Highest scores first; ties keep input order so the figure is reproducible.
        sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
        let half = sorted.len().div_ceil(2);
        let right = sorted[..half].iter().filter(|(c, _)| *c).count();
        Some(Calibration {
            ece,
            half_coverage_accuracy: right as f64 / half as f64,
            predictions: items.len() as u64,
        })
    }
}

/// How a stance classifier does on ordinary news, where most quotes are neutral: of the speech
/// acts it predicts, how many are right, and how many neutral quotes it calls acts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActRates {
    pub predicted_acts: u64,
    /// Predicted acts (any label but `neutral`) whose gold label is that act.
    pub act_precision: f64,
    pub gold_neutral: u64,
    /// Gold-neutral quotes predicted as an act.
    pub neutral_as_act: f64,
}

impl ActRates {
    /// From `(gold, predicted)` stance pairs; `None` when the label set has no `neutral`.
    pub fn from_pairs(pairs: &[(String, String)]) -> Option<ActRates> {
        let neutral = |l: &str| l == "neutral";
        if !pairs.iter().any(|(g, p)| neutral(g) || neutral(p)) {
            return None;
        }
        let acts: Vec<&(String, String)> = pairs.iter().filter(|(_, p)| !neutral(p)).collect();
        let right = acts.iter().filter(|(g, p)| g == p).count() as u64;
        let gold_neutral: Vec<&(String, String)> =
            pairs.iter().filter(|(g, _)| neutral(g)).collect();
        let called_acts = gold_neutral.iter().filter(|(_, p)| !neutral(p)).count() as u64;
        Some(ActRates {
            predicted_acts: acts.len() as u64,
            act_precision: ratio(right, acts.len() as u64),
            gold_neutral: gold_neutral.len() as u64,
            neutral_as_act: ratio(called_acts, gold_neutral.len() as u64),
        })
    }

    pub fn to_text(&self) -> String {
        format!(
            "acts: {} predicted, {:.1}% right; neutral quotes labelled as acts: {:.1}% (of {})\n",
            self.predicted_acts,
            100.0 * self.act_precision,
            100.0 * self.neutral_as_act,
            self.gold_neutral
        )
    }
}

/// Stance and sentiment scores of one set of labelled quotes, with calibration and act rates.
#[derive(Clone, Debug, Serialize)]
pub struct Labelled {
    pub stance: LabelScores,
    pub sentiment: LabelScores,
    pub stance_calibration: Option<Calibration>,
    pub sentiment_calibration: Option<Calibration>,
    pub acts: Option<ActRates>,
}

/// One labelled quote: gold and predicted labels with the predicted scores.
pub struct LabelledQuote<'a> {
    pub gold_stance: &'a str,
    pub gold_sentiment: &'a str,
    pub stance: &'a str,
    pub stance_score: Option<f32>,
    pub sentiment: &'a str,
    pub sentiment_score: Option<f32>,
}

impl Labelled {
    /// `None` when there is nothing to score.
    pub fn score(quotes: &[LabelledQuote]) -> Option<Labelled> {
        if quotes.is_empty() {
            return None;
        }
        let stance: Vec<(String, String)> = quotes
            .iter()
            .map(|q| (q.gold_stance.to_string(), q.stance.to_string()))
            .collect();
        let sentiment: Vec<(String, String)> = quotes
            .iter()
            .map(|q| (q.gold_sentiment.to_string(), q.sentiment.to_string()))
            .collect();
        let calibration = |f: &dyn Fn(&LabelledQuote) -> Option<(bool, f32)>| {
            let items: Option<Vec<(bool, f32)>> = quotes.iter().map(f).collect();
            items.and_then(|items| Calibration::from_scored(&items))
        };
        Some(Labelled {
            stance_calibration: calibration(&|q| {
                q.stance_score.map(|s| (q.gold_stance == q.stance, s))
            }),
            sentiment_calibration: calibration(&|q| {
                q.sentiment_score
                    .map(|s| (q.gold_sentiment == q.sentiment, s))
            }),
            acts: ActRates::from_pairs(&stance),
            stance: LabelScores::from_pairs(&stance),
            sentiment: LabelScores::from_pairs(&sentiment),
        })
    }

    /// Both tasks' scores, calibration and act rates as text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (name, scores, calibration) in [
            ("stance", &self.stance, &self.stance_calibration),
            ("sentiment", &self.sentiment, &self.sentiment_calibration),
        ] {
            out.push('\n');
            out.push_str(&scores.to_text(name));
            if let Some(c) = calibration {
                let _ = writeln!(
                    out,
                    "  calibration: ECE {:.3}; accuracy of the 50% most confident {:.3}",
                    c.ece, c.half_coverage_accuracy
                );
            }
            if name == "stance"
                && let Some(acts) = &self.acts
            {
                out.push_str("  ");
                out.push_str(&acts.to_text());
            }
        }
        out
    }

    /// One line: accuracy and macro-F1 of both tasks.
    pub fn summary_line(&self) -> String {
        format!(
            "stance accuracy {:.3} macro-F1 {:.3}; sentiment accuracy {:.3} macro-F1 {:.3} ({} quotes)",
            self.stance.accuracy,
            self.stance.macro_f1,
            self.sentiment.accuracy,
            self.sentiment.macro_f1,
            self.stance.support
        )
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
    /// 95% intervals of the scores, resampling articles (with `--bootstrap`).
    pub intervals: Option<ReportIntervals>,
    /// Stance and sentiment on matched quotes whose gold and prediction both carry labels.
    pub labels: Option<Labelled>,
    /// The same, by subset: `direct` and `reported` (indirect and mixed) quotes by their gold
    /// kind, and `sure`, the quotes the annotators did not mark unsure (when gold says).
    pub labels_by: BTreeMap<String, Labelled>,
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
        && (words::is_determiner(&words[start])
            || words::is_male_honorific(&words[start])
            || words::is_female_honorific(&words[start])
            || words[start] == "dr")
    {
        start += 1;
    }
    words[start..].join(" ")
}

/// Scores `pred` against `gold`. Articles are those named in either.
pub fn evaluate(gold: &[Row], pred: &[Row]) -> Report {
    evaluate_with(gold, pred, None)
}

/// Adds one article's detection counts to `kinds`: a match counts for a kind when gold and
/// prediction agree on it.
fn count_by_kind(
    kinds: &mut BTreeMap<QuoteKind, Counts>,
    gold_rows: &[&Row],
    pred_rows: &[&Row],
    matches: &[(usize, usize)],
) {
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
}

/// [`evaluate`], with 95% intervals of every score when `bootstrap` is given (resampling
/// articles).
pub fn evaluate_with(gold: &[Row], pred: &[Row], bootstrap: Option<stats::Bootstrap>) -> Report {
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
    let mut labelled: Vec<(&Row, &Row)> = Vec::new();
    // Per article: detection counts, matched quotes and right speakers, for the intervals.
    let mut per_article: Vec<(Counts, u64, u64)> = Vec::new();
    let mut labelled_article: Vec<usize> = Vec::new();
    for (article, (gold_rows, pred_rows)) in by_article.values().enumerate() {
        let matches = match_spans(gold_rows, pred_rows);
        let speakers_right = matches
            .iter()
            .filter(|&&(g, p)| {
                normalize_speaker(&gold_rows[g].speaker) == normalize_speaker(&pred_rows[p].speaker)
            })
            .count() as u64;
        per_article.push((
            Counts {
                tp: matches.len() as u64,
                fp: (pred_rows.len() - matches.len()) as u64,
                fn_: (gold_rows.len() - matches.len()) as u64,
            },
            matches.len() as u64,
            speakers_right,
        ));
        overall.tp += matches.len() as u64;
        overall.fp += (pred_rows.len() - matches.len()) as u64;
        overall.fn_ += (gold_rows.len() - matches.len()) as u64;
        count_by_kind(&mut kinds, gold_rows, pred_rows, &matches);
        for &(g, p) in &matches {
            let (g, p) = (gold_rows[g], pred_rows[p]);
            matched += 1;
            kind_ok += u64::from(g.kind == p.kind);
            speaker_ok += u64::from(normalize_speaker(&g.speaker) == normalize_speaker(&p.speaker));
            if g.stance.is_some()
                && g.sentiment.is_some()
                && p.stance.is_some()
                && p.sentiment.is_some()
            {
                labelled.push((g, p));
                labelled_article.push(article);
            }
        }
    }
    let intervals =
        bootstrap.map(|b| report_intervals(b, &per_article, &labelled, &labelled_article));
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
        intervals,
        labels: score_labels(labelled.iter().copied()),
        labels_by: SUBSETS
            .iter()
            .filter_map(|(name, keep)| {
                let subset = labelled.iter().copied().filter(|(g, _)| keep(g));
                Some((name.to_string(), score_labels(subset)?))
            })
            .collect(),
    }
}

/// Which gold rows belong to a subset.
pub(crate) type InSubset = fn(&Row) -> bool;

/// The subsets of matched quotes scored apart, by their gold row.
const SUBSETS: [(&str, InSubset); 3] = [
    ("direct", |g| g.kind == QuoteKind::Direct),
    ("reported", |g| g.kind != QuoteKind::Direct),
    ("sure", |g| g.unsure == Some(0)),
];

/// 95% intervals of an evaluation's scores.
#[derive(Clone, Debug, Serialize)]
pub struct ReportIntervals {
    pub precision: Option<stats::Estimate>,
    pub recall: Option<stats::Estimate>,
    pub f1: Option<stats::Estimate>,
    pub speaker_accuracy: Option<stats::Estimate>,
    pub stance_accuracy: Option<stats::Estimate>,
    pub stance_macro_f1: Option<stats::Estimate>,
    pub sentiment_accuracy: Option<stats::Estimate>,
    pub sentiment_macro_f1: Option<stats::Estimate>,
    pub replicates: usize,
}

fn report_intervals(
    bootstrap: stats::Bootstrap,
    per_article: &[(Counts, u64, u64)],
    labelled: &[(&Row, &Row)],
    labelled_article: &[usize],
) -> ReportIntervals {
    let articles = per_article.len();
    let counts = |sample: &[usize]| {
        sample.iter().fold(Counts::default(), |c, &a| Counts {
            tp: c.tp + per_article[a].0.tp,
            fp: c.fp + per_article[a].0.fp,
            fn_: c.fn_ + per_article[a].0.fn_,
        })
    };
    let detection = |f: fn(&Counts) -> f64| {
        bootstrap.estimate(articles, |s| {
            let c = counts(s);
            (c.tp + c.fp + c.fn_ > 0).then(|| f(&c))
        })
    };
    let coded = CodedLabels::new(
        articles,
        labelled.iter().zip(labelled_article).map(|((g, p), &a)| {
            (
                a,
                [
                    g.stance.as_deref().unwrap_or_default(),
                    p.stance.as_deref().unwrap_or_default(),
                    g.sentiment.as_deref().unwrap_or_default(),
                    p.sentiment.as_deref().unwrap_or_default(),
                ],
            )
        }),
    );
    let labels = |offset: usize, pick: fn((f64, f64)) -> f64| {
        bootstrap.estimate(articles, |s| coded.scores(s, offset).map(pick))
    };
    ReportIntervals {
        precision: detection(Counts::precision),
        recall: detection(Counts::recall),
        f1: detection(Counts::f1),
        speaker_accuracy: bootstrap.estimate(articles, |s| {
            let (matched, right) = s.iter().fold((0, 0), |(m, r), &a| {
                (m + per_article[a].1, r + per_article[a].2)
            });
            (matched > 0).then(|| right as f64 / matched as f64)
        }),
        stance_accuracy: labels(STANCE, |x| x.0),
        stance_macro_f1: labels(STANCE, |x| x.1),
        sentiment_accuracy: labels(SENTIMENT, |x| x.0),
        sentiment_macro_f1: labels(SENTIMENT, |x| x.1),
        replicates: bootstrap.replicates,
    }
}

impl ReportIntervals {
    fn to_text(&self) -> String {
        let mut out = format!(
            "95% intervals (bootstrap over articles, {} replicates):\n",
            self.replicates
        );
        for (name, e) in [
            ("precision", &self.precision),
            ("recall", &self.recall),
            ("F1", &self.f1),
            ("speaker accuracy", &self.speaker_accuracy),
            ("stance accuracy", &self.stance_accuracy),
            ("stance macro-F1", &self.stance_macro_f1),
            ("sentiment accuracy", &self.sentiment_accuracy),
            ("sentiment macro-F1", &self.sentiment_macro_f1),
        ] {
            if let Some(e) = e {
                let _ = writeln!(out, "  {name:<20} {}", e.to_text());
            }
        }
        out
    }
}

/// Scores labelled `(gold, predicted)` row pairs.
fn score_labels<'a>(pairs: impl Iterator<Item = (&'a Row, &'a Row)>) -> Option<Labelled> {
    let quotes: Vec<LabelledQuote> = pairs
        .map(|(g, p)| LabelledQuote {
            gold_stance: g.stance.as_deref().unwrap_or_default(),
            gold_sentiment: g.sentiment.as_deref().unwrap_or_default(),
            stance: p.stance.as_deref().unwrap_or_default(),
            stance_score: p.stance_score,
            sentiment: p.sentiment.as_deref().unwrap_or_default(),
            sentiment_score: p.sentiment_score,
        })
        .collect();
    Labelled::score(&quotes)
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
    pub labels: Labelled,
}

/// Classifies every example's text and scores the labels against the examples'.
pub fn evaluate_quotes(
    classifier: &dyn crate::classify::Classifier,
    examples: &[crate::classify::labelled::Example],
) -> anyhow::Result<QuoteReport> {
    let inputs: Vec<crate::classify::QuoteInput> = examples
        .iter()
        .map(crate::classify::labelled::Example::input)
        .collect();
    let started = std::time::Instant::now();
    let labels = classifier.classify(&inputs)?;
    let seconds = started.elapsed().as_secs_f64();
    let quotes: Vec<LabelledQuote> = examples
        .iter()
        .zip(&labels)
        .map(|(e, l)| LabelledQuote {
            gold_stance: &e.stance,
            gold_sentiment: &e.sentiment,
            stance: &l.stance,
            stance_score: Some(l.stance_score),
            sentiment: &l.sentiment,
            sentiment_score: Some(l.sentiment_score),
        })
        .collect();
    let labels = Labelled::score(&quotes).context("no labelled quotes")?;
    Ok(QuoteReport {
        classifier: classifier.name().to_string(),
        backend: classifier.backend().map(str::to_string),
        quotes: examples.len(),
        seconds,
        quotes_per_second: examples.len() as f64 / seconds.max(1e-9),
        labels,
    })
}

impl QuoteReport {
    pub fn to_text(&self) -> String {
        format!(
            "classifier: {}{}   quotes: {}   {:.1} quotes/s\n{}",
            self.classifier,
            self.backend
                .as_deref()
                .map_or_else(String::new, |b| format!(" ({b})")),
            self.quotes,
            self.quotes_per_second,
            self.labels.to_text()
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
        if let Some(intervals) = &self.intervals {
            out.push('\n');
            out.push_str(&intervals.to_text());
        }
        if let Some(labels) = &self.labels {
            out.push_str(&labels.to_text());
            out.push('\n');
            for (name, subset) in &self.labels_by {
                let _ = writeln!(out, "{name:<9} {}", subset.summary_line());
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
            unsure: None,
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
