//! Comparing classifiers side by side on the same gold quotes: accuracy and macro-F1 with 95%
//! intervals, paired significance tests between every two systems, breakdowns by quote kind and
//! annotator certainty, speed and memory, as a table (text, CSV, Markdown), confusion matrices and
//! a chart.
//!
//! A *system* is anything that gives gold quotes labels: a built-in classifier run on the quotes
//! quotestance's extraction matched (exactly as `eval --classifier` scores it), or another
//! system's predictions read from a file (see [`super::predictions`]). Each is scored on the gold
//! quotes it labelled; two systems are tested against each other on the quotes both labelled.
//! Intervals and tests resample whole articles, because quotes of one article are not
//! independent.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use super::stats::{Bootstrap, Estimate, mcnemar_exact};
use super::{CodedLabels, InSubset, LabelScores, SENTIMENT, STANCE, match_spans};
use crate::classify::encoder::Backend;
use crate::classify::{self, Kind, Labels, ModelOptions, QuoteInput};
use crate::extract::quotes::QuoteKind;
use crate::run::output::Row;

/// The gold quotes every system is scored on: the gold rows with both labels, each with the
/// article it belongs to (the unit of resampling).
pub struct Gold<'a> {
    pub rows: Vec<&'a Row>,
    article: Vec<usize>,
    articles: usize,
    /// Named groups of articles (`domain=sport`), each scored as a subset.
    groups: BTreeMap<String, HashSet<String>>,
}

impl<'a> Gold<'a> {
    pub fn new(rows: &'a [Row]) -> Gold<'a> {
        let rows: Vec<&Row> = rows
            .iter()
            .filter(|r| r.stance.is_some() && r.sentiment.is_some())
            .collect();
        let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
        let article = rows
            .iter()
            .map(|r| {
                let next = ids.len();
                *ids.entry(r.article_id.as_str()).or_insert(next)
            })
            .collect();
        Gold {
            rows,
            article,
            articles: ids.len(),
            groups: BTreeMap::new(),
        }
    }

    /// Also scores every system on each group of articles: `groups` maps a group's name
    /// (`domain=sport`) to the ids of its articles.
    pub fn with_groups(mut self, groups: BTreeMap<String, HashSet<String>>) -> Gold<'a> {
        self.groups = groups;
        self
    }

    /// For each labelled gold quote that a row of `pred` matches (same article, spans
    /// overlapping by half the shorter one, one to one), `(gold index, pred index)`.
    pub fn matched(&self, pred: &[Row]) -> Vec<(usize, usize)> {
        type Group<'r> = (Vec<(usize, &'r Row)>, Vec<(usize, &'r Row)>);
        let mut by_article: BTreeMap<&str, Group> = BTreeMap::new();
        for (k, row) in self.rows.iter().enumerate() {
            by_article
                .entry(&row.article_id)
                .or_default()
                .0
                .push((k, row));
        }
        for (k, row) in pred.iter().enumerate() {
            by_article
                .entry(&row.article_id)
                .or_default()
                .1
                .push((k, row));
        }
        let mut pairs = Vec::new();
        for (g, p) in by_article.values() {
            let gold: Vec<&Row> = g.iter().map(|(_, r)| *r).collect();
            let pred: Vec<&Row> = p.iter().map(|(_, r)| *r).collect();
            for (gi, pi) in match_spans(&gold, &pred) {
                pairs.push((g[gi].0, p[pi].0));
            }
        }
        pairs.sort_unstable();
        pairs
    }
}

/// Throughput over repeated runs, in quotes per second.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Speed {
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

impl Speed {
    fn of(mut rates: Vec<f64>) -> Option<Speed> {
        rates.sort_by(f64::total_cmp);
        Some(Speed {
            min: *rates.first()?,
            median: rates[rates.len() / 2],
            max: *rates.last()?,
        })
    }
}

/// One system's labels for gold quotes, by index into [`Gold::rows`], and how it ran.
pub struct System {
    pub name: String,
    /// The encoder backend, for classifiers that run one ("ort-int8").
    pub backend: Option<String>,
    pub labels: BTreeMap<usize, Labels>,
    pub speed: Option<Speed>,
    pub load_seconds: Option<f64>,
    pub peak_memory_mib: Option<f64>,
}

impl System {
    /// The name and backend as the pair table shows them ("trained-ort-int8"), so that one
    /// classifier on two backends is two distinct rows.
    pub fn label(&self) -> String {
        joined(&self.name, self.backend.as_deref(), "-")
    }
}

/// 95% intervals of a system's scores.
#[derive(Clone, Debug, Serialize)]
pub struct Intervals {
    pub stance_accuracy: Option<Estimate>,
    pub stance_macro_f1: Option<Estimate>,
    pub sentiment_accuracy: Option<Estimate>,
    pub sentiment_macro_f1: Option<Estimate>,
}

/// One system's line of the table.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub classifier: String,
    pub backend: Option<String>,
    /// Gold quotes it labelled.
    pub quotes: usize,
    pub load_seconds: Option<f64>,
    pub speed: Option<Speed>,
    /// Peak resident memory while loading and classifying, in MiB (Linux only).
    pub peak_memory_mib: Option<f64>,
    pub stance: LabelScores,
    pub sentiment: LabelScores,
    pub intervals: Intervals,
    /// Stance and sentiment on subsets of the gold: by kind (`direct`, `indirect`, `mixed`), by
    /// annotator certainty (`sure`, `unsure`) and by any article groups (`domain=sport`).
    pub by_subset: BTreeMap<String, (LabelScores, LabelScores)>,
}

impl Entry {
    /// The classifier and its backend joined by `sep` ("trained-ort-int8"), or the classifier
    /// alone where it has no backend.
    pub fn label(&self, sep: &str) -> String {
        joined(&self.classifier, self.backend.as_deref(), sep)
    }
}

/// A system's name with its backend, if it has one.
fn joined(name: &str, backend: Option<&str>, sep: &str) -> String {
    match backend {
        Some(backend) => format!("{name}{sep}{backend}"),
        None => name.to_string(),
    }
}

/// A difference between two systems on the quotes both labelled, with its p-value.
#[derive(Clone, Debug, Serialize)]
pub struct Difference {
    /// A's score minus B's.
    pub difference: f64,
    pub p_value: f64,
}

/// Two systems compared on the gold quotes both labelled.
#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub quotes: usize,
    /// Paired bootstrap over articles.
    pub stance_macro_f1: Option<Difference>,
    pub sentiment_macro_f1: Option<Difference>,
    /// McNemar's exact test.
    pub stance_accuracy: Difference,
    pub sentiment_accuracy: Difference,
}

/// Significance level of the marks in the tables.
pub const ALPHA: f64 = 0.05;

/// The whole comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub entries: Vec<Entry>,
    pub pairs: Vec<Pair>,
    pub replicates: usize,
}

/// Scores every system against `gold`, with intervals and pairwise tests.
pub fn score(gold: &Gold, systems: &[System], bootstrap: Bootstrap) -> Comparison {
    let entries = systems
        .iter()
        .map(|s| score_system(gold, s, bootstrap))
        .collect();
    let mut pairs = Vec::new();
    for (i, a) in systems.iter().enumerate() {
        for b in &systems[i + 1..] {
            pairs.push(compare_pair(gold, a, b, bootstrap));
        }
    }
    Comparison {
        entries,
        pairs,
        replicates: bootstrap.replicates,
    }
}

/// The subsets of the gold each system is also scored on.
const SUBSETS: [(&str, InSubset); 5] = [
    ("direct", |g| g.kind == QuoteKind::Direct),
    ("indirect", |g| g.kind == QuoteKind::Indirect),
    ("mixed", |g| g.kind == QuoteKind::Mixed),
    ("sure", |g| g.unsure == Some(0)),
    ("unsure", |g| g.unsure == Some(1)),
];

/// The system's labels of gold quotes, coded for resampling by article.
fn coded(gold: &Gold, items: &[(usize, &Labels)]) -> CodedLabels {
    CodedLabels::new(
        gold.articles,
        items.iter().map(|&(k, labels)| {
            let row = gold.rows[k];
            (
                gold.article[k],
                [
                    row.stance.as_deref().unwrap_or_default(),
                    labels.stance.as_str(),
                    row.sentiment.as_deref().unwrap_or_default(),
                    labels.sentiment.as_str(),
                ],
            )
        }),
    )
}

fn score_system(gold: &Gold, system: &System, bootstrap: Bootstrap) -> Entry {
    let items: Vec<(usize, &Labels)> = system.labels.iter().map(|(k, l)| (*k, l)).collect();
    let pairs = |pick: &dyn Fn(&Row, &Labels) -> (String, String), keep: &dyn Fn(&Row) -> bool| {
        let pairs: Vec<(String, String)> = items
            .iter()
            .filter(|(k, _)| keep(gold.rows[*k]))
            .map(|(k, l)| pick(gold.rows[*k], l))
            .collect();
        (!pairs.is_empty()).then(|| LabelScores::from_pairs(&pairs))
    };
    let stance = |g: &Row, l: &Labels| (g.stance.clone().unwrap_or_default(), l.stance.clone());
    let sentiment =
        |g: &Row, l: &Labels| (g.sentiment.clone().unwrap_or_default(), l.sentiment.clone());
    let mut by_subset = BTreeMap::new();
    for (name, keep) in SUBSETS {
        if let (Some(a), Some(b)) = (pairs(&stance, &keep), pairs(&sentiment, &keep)) {
            by_subset.insert(name.to_string(), (a, b));
        }
    }
    for (name, articles) in &gold.groups {
        let keep = |g: &Row| articles.contains(&g.article_id);
        if let (Some(a), Some(b)) = (pairs(&stance, &keep), pairs(&sentiment, &keep)) {
            by_subset.insert(name.clone(), (a, b));
        }
    }
    let coded = coded(gold, &items);
    let interval = |offset: usize, pick: fn((f64, f64)) -> f64| {
        bootstrap.estimate(gold.articles, |s| coded.scores(s, offset).map(pick))
    };
    let everything = |_: &Row| true;
    let empty = LabelScores::from_pairs(&[]);
    Entry {
        classifier: system.name.clone(),
        backend: system.backend.clone(),
        quotes: items.len(),
        load_seconds: system.load_seconds,
        speed: system.speed,
        peak_memory_mib: system.peak_memory_mib,
        stance: pairs(&stance, &everything).unwrap_or_else(|| empty.clone()),
        sentiment: pairs(&sentiment, &everything).unwrap_or(empty),
        intervals: Intervals {
            stance_accuracy: interval(STANCE, |s| s.0),
            stance_macro_f1: interval(STANCE, |s| s.1),
            sentiment_accuracy: interval(SENTIMENT, |s| s.0),
            sentiment_macro_f1: interval(SENTIMENT, |s| s.1),
        },
        by_subset,
    }
}

fn compare_pair(gold: &Gold, a: &System, b: &System, bootstrap: Bootstrap) -> Pair {
    let common: Vec<usize> = a
        .labels
        .keys()
        .filter(|k| b.labels.contains_key(k))
        .copied()
        .collect();
    fn items<'s>(common: &[usize], s: &'s System) -> Vec<(usize, &'s Labels)> {
        common.iter().map(|k| (*k, &s.labels[k])).collect()
    }
    let (coded_a, coded_b) = (
        coded(gold, &items(&common, a)),
        coded(gold, &items(&common, b)),
    );
    let macro_f1 = |offset: usize| {
        let p = bootstrap.paired_p_value(
            gold.articles,
            |s| coded_a.scores(s, offset).map(|x| x.1),
            |s| coded_b.scores(s, offset).map(|x| x.1),
        )?;
        let all: Vec<usize> = (0..gold.articles).collect();
        Some(Difference {
            difference: coded_a.scores(&all, offset)?.1 - coded_b.scores(&all, offset)?.1,
            p_value: p,
        })
    };
    let accuracy = |task: fn(&Row, &Labels) -> bool| {
        let (mut only_a, mut only_b) = (0u64, 0u64);
        for k in &common {
            let row = gold.rows[*k];
            match (task(row, &a.labels[k]), task(row, &b.labels[k])) {
                (true, false) => only_a += 1,
                (false, true) => only_b += 1,
                _ => {}
            }
        }
        Difference {
            difference: (only_a as f64 - only_b as f64) / common.len().max(1) as f64,
            p_value: mcnemar_exact(only_a, only_b),
        }
    };
    Pair {
        a: a.label(),
        b: b.label(),
        quotes: common.len(),
        stance_macro_f1: macro_f1(STANCE),
        sentiment_macro_f1: macro_f1(SENTIMENT),
        stance_accuracy: accuracy(|g, l| g.stance.as_deref() == Some(l.stance.as_str())),
        sentiment_accuracy: accuracy(|g, l| g.sentiment.as_deref() == Some(l.sentiment.as_str())),
    }
}

/// One classifier to run: its kind and backend, and for the trained classifier other heads than
/// the default ones, with the name they go by in the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub kind: Kind,
    pub backend: Backend,
    pub heads: Option<(String, PathBuf)>,
}

impl Run {
    /// `trained`, `trained-NAME` for other heads, `zero-shot`, `lexicon`.
    pub fn name(&self) -> String {
        match &self.heads {
            Some((name, _)) => format!("{}-{name}", self.kind.as_str()),
            None => self.kind.as_str().to_string(),
        }
    }
}

/// What to compare: each classifier that uses the encoder runs once per backend, the trained one
/// also with each of `extra_heads` (named heads folders, such as span-only heads beside the
/// default context-aware ones); the lexicon, which uses no encoder, runs once.
pub fn runs(kinds: &[Kind], backends: &[Backend], extra_heads: &[(String, PathBuf)]) -> Vec<Run> {
    let mut runs = Vec::new();
    for &kind in kinds {
        if kind == Kind::Lexicon {
            runs.push(Run {
                kind,
                backend: Backend::Auto,
                heads: None,
            });
            continue;
        }
        let mut heads = vec![None];
        if kind == Kind::Trained {
            heads.extend(extra_heads.iter().cloned().map(Some));
        }
        for heads in heads {
            runs.extend(backends.iter().map(|&backend| Run {
                kind,
                backend,
                heads: heads.clone(),
            }));
        }
    }
    runs
}

/// Runs a built-in classifier `times` times over the quotes quotestance's extraction matched
/// (`matched` pairs gold indices with indices into `inputs`), timing each pass apart from loading.
pub fn run_builtin(
    run: &Run,
    options: &ModelOptions,
    matched: &[(usize, usize)],
    inputs: &[QuoteInput],
    times: usize,
) -> Result<System> {
    let name = run.name();
    let quotes: Vec<QuoteInput> = matched.iter().map(|&(_, p)| inputs[p].clone()).collect();
    reset_peak_memory();
    let started = Instant::now();
    let options = ModelOptions {
        backend: run.backend,
        heads_dir: run
            .heads
            .as_ref()
            .map(|(_, dir)| dir.clone())
            .or_else(|| options.heads_dir.clone()),
        // A neutral share moves trained heads; the other classifiers run as they are.
        neutral_share: options
            .neutral_share
            .filter(|_| run.kind == classify::Kind::Trained),
        ..options.clone()
    };
    let classifier = classify::build(run.kind, &options)
        .with_context(|| format!("building the {name} classifier"))?;
    let load_seconds = started.elapsed().as_secs_f64();
    let mut rates = Vec::new();
    let mut labels = Vec::new();
    for _ in 0..times.max(1) {
        let started = Instant::now();
        labels = classifier.classify(&quotes)?;
        rates.push(quotes.len() as f64 / started.elapsed().as_secs_f64().max(1e-9));
    }
    Ok(System {
        name,
        backend: classifier.backend().map(str::to_string),
        labels: matched.iter().map(|&(g, _)| g).zip(labels).collect(),
        speed: Speed::of(rates),
        load_seconds: Some(load_seconds),
        peak_memory_mib: peak_memory_mib(),
    })
}

/// Resets the kernel's peak-RSS counter so the next reading covers only what follows.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5"); // Linux only; elsewhere no figure
}

/// Peak resident set size since the last reset (Linux `VmHWM`), in MiB.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Whether a pair's stance macro-F1 difference is significant at [`ALPHA`].
fn significant(pair: &Pair) -> bool {
    pair.stance_macro_f1
        .as_ref()
        .is_some_and(|d| d.p_value < ALPHA)
}

impl Comparison {
    /// Systems whose stance macro-F1 differs significantly from the best system's, marked `*`.
    fn marks(&self) -> Vec<&'static str> {
        let Some(best) = self
            .entries
            .iter()
            .max_by(|a, b| a.stance.macro_f1.total_cmp(&b.stance.macro_f1))
        else {
            return Vec::new();
        };
        self.entries
            .iter()
            .map(|e| {
                let (this, best) = (e.label("-"), best.label("-"));
                let differs = self.pairs.iter().any(|p| {
                    let names = [p.a.as_str(), p.b.as_str()];
                    this != best
                        && names.contains(&this.as_str())
                        && names.contains(&best.as_str())
                        && significant(p)
                });
                if differs { "*" } else { "" }
            })
            .collect()
    }

    fn header() -> [&'static str; 10] {
        [
            "classifier",
            "backend",
            "quotes",
            "stance_accuracy",
            "stance_macro_f1",
            "sentiment_accuracy",
            "sentiment_macro_f1",
            "quotes_per_second",
            "peak_memory_mib",
            "load_seconds",
        ]
    }

    fn cells(&self) -> Vec<[String; 10]> {
        let marks = self.marks();
        let with = |e: &Option<Estimate>, value: f64| match e {
            Some(e) => e.to_text(),
            None => format!("{value:.3}"),
        };
        self.entries
            .iter()
            .zip(marks)
            .map(|(e, mark)| {
                [
                    e.classifier.clone(),
                    e.backend.clone().unwrap_or_else(|| "-".into()),
                    e.quotes.to_string(),
                    with(&e.intervals.stance_accuracy, e.stance.accuracy),
                    format!(
                        "{}{mark}",
                        with(&e.intervals.stance_macro_f1, e.stance.macro_f1)
                    ),
                    with(&e.intervals.sentiment_accuracy, e.sentiment.accuracy),
                    with(&e.intervals.sentiment_macro_f1, e.sentiment.macro_f1),
                    e.speed.map_or_else(
                        || "-".to_string(),
                        |s| format!("{:.0} ({:.0}–{:.0})", s.median, s.min, s.max),
                    ),
                    e.peak_memory_mib
                        .map_or_else(|| "-".to_string(), |m| format!("{m:.0}")),
                    e.load_seconds
                        .map_or_else(|| "-".to_string(), |s| format!("{s:.2}")),
                ]
            })
            .collect()
    }

    fn pair_cells(&self) -> Vec<[String; 7]> {
        let show = |d: &Option<Difference>| {
            d.as_ref().map_or_else(
                || "-".to_string(),
                |d| {
                    format!(
                        "{:+.3} (p {:.3}){}",
                        d.difference,
                        d.p_value,
                        if d.p_value < ALPHA { " *" } else { "" }
                    )
                },
            )
        };
        self.pairs
            .iter()
            .map(|p| {
                [
                    p.a.clone(),
                    p.b.clone(),
                    p.quotes.to_string(),
                    show(&p.stance_macro_f1),
                    show(&Some(p.stance_accuracy.clone())),
                    show(&p.sentiment_macro_f1),
                    show(&Some(p.sentiment_accuracy.clone())),
                ]
            })
            .collect()
    }

    const PAIR_HEADER: [&'static str; 7] = [
        "a",
        "b",
        "common_quotes",
        "stance_macro_f1_a_minus_b",
        "stance_accuracy_a_minus_b",
        "sentiment_macro_f1_a_minus_b",
        "sentiment_accuracy_a_minus_b",
    ];

    /// The tables as aligned text.
    pub fn to_text(&self) -> String {
        let mut out = aligned(&Self::header(), &self.cells());
        let _ = writeln!(
            out,
            "\nvalues with 95% intervals (bootstrap over articles, {} replicates); * stance \
             macro-F1 differs from the best system's at p < {ALPHA}\n",
            self.replicates
        );
        out.push_str(&aligned(&Self::PAIR_HEADER, &self.pair_cells()));
        let _ = writeln!(
            out,
            "\nmacro-F1: paired bootstrap over articles; accuracy: McNemar's exact test; * p < {ALPHA}"
        );
        out
    }

    /// The tables as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut out = markdown(&Self::header(), &self.cells());
        out.push('\n');
        out.push_str(&markdown(&Self::PAIR_HEADER, &self.pair_cells()));
        out
    }

    const SUBSET_HEADER: [&'static str; 8] = [
        "classifier",
        "backend",
        "subset",
        "quotes",
        "stance_accuracy",
        "stance_macro_f1",
        "sentiment_accuracy",
        "sentiment_macro_f1",
    ];

    /// Every system's scores on every subset (quote kind, annotator certainty, article group).
    fn subset_cells(&self) -> Vec<[String; 8]> {
        let mut cells = Vec::new();
        for e in &self.entries {
            for (name, (stance, sentiment)) in &e.by_subset {
                cells.push([
                    e.classifier.clone(),
                    e.backend.clone().unwrap_or_else(|| "-".into()),
                    name.clone(),
                    stance.support.to_string(),
                    format!("{:.3}", stance.accuracy),
                    format!("{:.3}", stance.macro_f1),
                    format!("{:.3}", sentiment.accuracy),
                    format!("{:.3}", sentiment.macro_f1),
                ]);
            }
        }
        cells
    }

    /// Writes table.csv, table.md, pairs.csv, subsets.csv and subsets.md, the confusion matrices and
    /// chart.svg / chart.png into `dir`; `about` is written at the head of table.md (the machine
    /// and versions).
    pub fn write_out(&self, dir: &Path, about: &str) -> Result<()> {
        use crate::fs::write_atomic;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        write_atomic(
            &dir.join("table.csv"),
            &csv_bytes(&Self::header(), &self.cells())?,
        )?;
        write_atomic(
            &dir.join("pairs.csv"),
            &csv_bytes(&Self::PAIR_HEADER, &self.pair_cells())?,
        )?;
        write_atomic(
            &dir.join("table.md"),
            format!("{about}\n\n{}", self.to_markdown()).as_bytes(),
        )?;
        let subsets = self.subset_cells();
        write_atomic(
            &dir.join("subsets.csv"),
            &csv_bytes(&Self::SUBSET_HEADER, &subsets)?,
        )?;
        write_atomic(
            &dir.join("subsets.md"),
            markdown(&Self::SUBSET_HEADER, &subsets).as_bytes(),
        )?;
        for e in &self.entries {
            for (task, scores) in [("stance", &e.stance), ("sentiment", &e.sentiment)] {
                let mut rows = vec![{
                    let mut header = vec!["gold \\ predicted".to_string()];
                    header.extend(scores.labels.iter().cloned());
                    header
                }];
                for (label, row) in scores.labels.iter().zip(&scores.confusion) {
                    let mut record = vec![label.clone()];
                    record.extend(row.iter().map(u64::to_string));
                    rows.push(record);
                }
                let mut w = csv::Writer::from_writer(Vec::new());
                for r in rows {
                    w.write_record(&r)?;
                }
                write_atomic(
                    &dir.join(format!("confusion-{}-{task}.csv", e.label("-"))),
                    &w.into_inner().context("writing CSV")?,
                )?;
            }
        }
        let svg = super::chart::chart_svg(&self.entries)?;
        write_atomic(&dir.join("chart.svg"), svg.as_bytes())?;
        write_atomic(&dir.join("chart.png"), &super::chart::svg_to_png(&svg)?)?;
        Ok(())
    }

    /// Label sets in the gold that a system never predicts, and labels it predicts that the
    /// gold does not have: worth saying, since they cap or distort its macro-F1.
    pub fn label_notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        for e in &self.entries {
            for (task, scores) in [("stance", &e.stance), ("sentiment", &e.sentiment)] {
                let gold: BTreeSet<&str> = scores
                    .per_class
                    .iter()
                    .filter(|c| c.support > 0)
                    .map(|c| c.label.as_str())
                    .collect();
                let predicted: BTreeSet<&str> = scores
                    .labels
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| scores.confusion.iter().any(|row| row[*k] > 0))
                    .map(|(_, l)| l.as_str())
                    .collect();
                let never: Vec<&str> = gold.difference(&predicted).copied().collect();
                let extra: Vec<&str> = predicted.difference(&gold).copied().collect();
                if !never.is_empty() {
                    notes.push(format!(
                        "{}: never predicts {task} {}",
                        e.label("-"),
                        never.join(", ")
                    ));
                }
                if !extra.is_empty() {
                    notes.push(format!(
                        "{}: predicts {task} {} that the gold does not have",
                        e.label("-"),
                        extra.join(", ")
                    ));
                }
            }
        }
        notes
    }
}

fn aligned<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let width = |k: usize| {
        rows.iter()
            .map(|r| r[k].chars().count())
            .chain([header[k].len()])
            .max()
            .unwrap_or(0)
    };
    let mut out = String::new();
    for (k, h) in header.iter().enumerate() {
        let _ = write!(out, "{:<w$}  ", h, w = width(k));
    }
    out.push('\n');
    for r in rows {
        for (k, c) in r.iter().enumerate() {
            let _ = write!(out, "{:<w$}  ", c, w = width(k));
        }
        out.push('\n');
    }
    out
}

fn markdown<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut out = format!("| {} |\n|{}\n", header.join(" | "), " --- |".repeat(N));
    for r in rows {
        let _ = writeln!(out, "| {} |", r.join(" | "));
    }
    out
}

fn csv_bytes<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(r)?;
    }
    w.into_inner().context("writing CSV")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(article: &str, start: usize, stance: &str) -> Row {
        Row {
            article_id: article.into(),
            quote_index: 0,
            start,
            end: start + 5,
            kind: QuoteKind::Direct,
            speaker: String::new(),
            cue: String::new(),
            quote: String::new(),
            stance: Some(stance.into()),
            stance_score: None,
            sentiment: Some("neutral".into()),
            sentiment_score: None,
            unsure: Some(0),
        }
    }

    fn labels(stance: &str) -> Labels {
        Labels {
            stance: stance.into(),
            stance_score: 1.0,
            sentiment: "neutral".into(),
            sentiment_score: 1.0,
        }
    }

    fn system(name: &str, stances: &[&str]) -> System {
        System {
            name: name.into(),
            backend: None,
            labels: stances
                .iter()
                .enumerate()
                .map(|(k, s)| (k, labels(s)))
                .collect(),
            speed: None,
            load_seconds: None,
            peak_memory_mib: None,
        }
    }

    /// The fast scorer of resamples agrees with LabelScores on the full sample.
    #[test]
    fn coded_scores_agree_with_label_scores() {
        let rows: Vec<Row> = ["a", "b", "a", "c", "b", "b"]
            .iter()
            .enumerate()
            .map(|(k, id)| row(id, k * 10, ["x", "y", "x", "z", "y", "x"][k]))
            .collect();
        let gold = Gold::new(&rows);
        let s = system("s", &["x", "x", "y", "z", "y", "x"]);
        let entry = score_system(&gold, &s, Bootstrap::default());
        let items: Vec<(usize, &Labels)> = s.labels.iter().map(|(k, l)| (*k, l)).collect();
        let all: Vec<usize> = (0..gold.articles).collect();
        let (accuracy, macro_f1) = coded(&gold, &items).scores(&all, STANCE).unwrap();
        assert!((accuracy - entry.stance.accuracy).abs() < 1e-12);
        assert!((macro_f1 - entry.stance.macro_f1).abs() < 1e-12);
        // Hand-computed: 4 of 6 right; F1 x = 2·(2/3·2/3)/(4/3) = 2/3, y = 0.5, z = 1.
        assert!((accuracy - 4.0 / 6.0).abs() < 1e-12);
        assert!((macro_f1 - (2.0 / 3.0 + 0.5 + 1.0) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn pairs_use_the_quotes_both_systems_labelled() {
        let rows: Vec<Row> = (0..8)
            .map(|k| row(&format!("a{}", k / 2), k * 10, "x"))
            .collect();
        let gold = Gold::new(&rows);
        let a = system("a", &["x"; 8]);
        let mut b = system("b", &["y"; 8]);
        b.labels.remove(&7);
        let pair = compare_pair(&gold, &a, &b, Bootstrap::default());
        assert_eq!(pair.quotes, 7);
        assert_eq!(pair.stance_accuracy.difference, 1.0);
        assert!((pair.stance_accuracy.p_value - 2.0 / 128.0).abs() < 1e-12);
    }

    /// One classifier on two backends is two systems: the pair table names both backends.
    #[test]
    fn pairs_name_the_backends() {
        let rows = vec![row("a0", 0, "x")];
        let gold = Gold::new(&rows);
        let (mut a, mut b) = (system("trained", &["x"]), system("trained", &["x"]));
        a.backend = Some("ort-int8".into());
        b.backend = Some("candle".into());
        let pair = compare_pair(&gold, &a, &b, Bootstrap::default());
        assert_eq!(
            (pair.a.as_str(), pair.b.as_str()),
            ("trained-ort-int8", "trained-candle")
        );
    }

    /// The mark goes to the system that differs from the best, matched by classifier *and*
    /// backend: the same classifier on another backend is another system.
    #[test]
    fn marks_follow_the_backend() {
        let rows: Vec<Row> = (0..40)
            .map(|k| row(&format!("a{}", k / 2), k * 10, "x"))
            .collect();
        let gold = Gold::new(&rows);
        let (mut good, mut bad) = (system("trained", &["x"; 40]), system("trained", &["y"; 40]));
        good.backend = Some("ort-int8".into());
        bad.backend = Some("candle".into());
        let comparison = score(&gold, &[good, bad], Bootstrap::default());
        assert_eq!(comparison.marks(), vec!["", "*"]);
    }

    /// The check of the intervals: on synthetic gold whose true accuracy is known (each
    /// quote right with probability 0.7, articles of 6 quotes), the 95% interval covers 0.7 in at
    /// least 90 of 100 replications with different seeds.
    #[test]
    fn intervals_cover_a_known_accuracy() {
        use rand::{Rng, SeedableRng};
        let rows: Vec<Row> = (0..300)
            .map(|k| row(&format!("a{}", k / 6), k * 10, "x"))
            .collect();
        let gold = Gold::new(&rows);
        let mut covered = 0;
        for seed in 0..100u64 {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let stances: Vec<&str> = (0..300)
                .map(|_| if rng.random_bool(0.7) { "x" } else { "y" })
                .collect();
            let entry = score_system(
                &gold,
                &system("s", &stances),
                Bootstrap {
                    replicates: 400,
                    seed,
                },
            );
            let e = entry.intervals.stance_accuracy.unwrap();
            if e.low <= 0.7 && 0.7 <= e.high {
                covered += 1;
            }
        }
        assert!(covered >= 90, "covered in {covered} of 100");
    }
}
