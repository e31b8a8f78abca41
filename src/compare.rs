//! Comparing classifiers side by side on the same matched quotes: accuracy, macro-F1, speed,
//! memory and load time, as a table (text, CSV, Markdown), confusion matrices and a chart.
//!
//! Extraction runs once; each classifier then labels the predicted text of every quote that
//! matches a gold quote, and is scored against the gold labels, exactly as `eval --classifier`
//! scores it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::classify::{self, Kind, ModelOptions, QuoteInput};
use crate::encoder::Backend;
use crate::eval::{LabelScores, match_spans};
use crate::output::Row;

/// One classifier's line of the table.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub classifier: String,
    /// The encoder backend ("ort-int8", "candle"), or "-" for the lexicon.
    pub backend: String,
    pub quotes: usize,
    pub load_seconds: f64,
    pub classify_seconds: f64,
    pub quotes_per_second: f64,
    /// Peak resident memory while loading and classifying, in MiB (Linux only).
    pub peak_memory_mib: Option<f64>,
    pub stance: LabelScores,
    pub sentiment: LabelScores,
}

impl Entry {
    /// The classifier and its backend joined by `sep` ("trained-ort-int8"), or the classifier
    /// alone where it has no backend.
    pub fn label(&self, sep: &str) -> String {
        if self.backend == "-" {
            self.classifier.clone()
        } else {
            format!("{}{sep}{}", self.classifier, self.backend)
        }
    }
}

/// One article's gold rows and its predicted rows with their indices.
type ArticleRows<'a, 'b> = (Vec<&'a Row>, Vec<(usize, &'b Row)>);

/// Gold rows with a stance and sentiment label, each with the index in `pred` of the predicted
/// row it matches.
pub fn matched<'a>(gold: &'a [Row], pred: &[Row]) -> Vec<(&'a Row, usize)> {
    let mut by_article: std::collections::BTreeMap<&str, ArticleRows> =
        std::collections::BTreeMap::new();
    for row in gold {
        by_article.entry(&row.article_id).or_default().0.push(row);
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
        let rows: Vec<&Row> = p.iter().map(|(_, r)| *r).collect();
        for (gi, pi) in match_spans(g, &rows) {
            if g[gi].stance.is_some() && g[gi].sentiment.is_some() {
                pairs.push((g[gi], p[pi].0));
            }
        }
    }
    pairs
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

/// Runs each classifier over the matched quotes and scores it. `pairs` are from [`matched`];
/// `inputs` are what the classifiers read of each predicted row.
pub fn compare(
    runs: &[Run],
    options: &ModelOptions,
    pairs: &[(&Row, usize)],
    inputs: &[QuoteInput],
    mut progress: impl FnMut(&str),
) -> Result<Vec<Entry>> {
    let texts: Vec<QuoteInput> = pairs.iter().map(|&(_, p)| inputs[p].clone()).collect();
    let mut entries = Vec::new();
    for run in runs {
        let name = run.name();
        progress(&name);
        reset_peak_memory();
        let started = Instant::now();
        let options = ModelOptions {
            backend: run.backend,
            heads_dir: run
                .heads
                .as_ref()
                .map(|(_, dir)| dir.clone())
                .or_else(|| options.heads_dir.clone()),
            ..options.clone()
        };
        let classifier = classify::build(run.kind, &options)
            .with_context(|| format!("building the {name} classifier"))?;
        let load_seconds = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let labels = classifier.classify(&texts)?;
        let classify_seconds = started.elapsed().as_secs_f64();
        let peak_memory_mib = peak_memory_mib();
        let score = |f: &dyn Fn(usize) -> (String, String)| {
            LabelScores::from_pairs(&(0..pairs.len()).map(f).collect::<Vec<_>>())
        };
        let stance = score(&|k| {
            (
                pairs[k].0.stance.clone().unwrap_or_default(),
                labels[k].stance.clone(),
            )
        });
        let sentiment = score(&|k| {
            (
                pairs[k].0.sentiment.clone().unwrap_or_default(),
                labels[k].sentiment.clone(),
            )
        });
        entries.push(Entry {
            classifier: name,
            backend: classifier.backend().unwrap_or("-").to_string(),
            quotes: texts.len(),
            load_seconds,
            classify_seconds,
            quotes_per_second: texts.len() as f64 / classify_seconds.max(1e-9),
            peak_memory_mib,
            stance,
            sentiment,
        });
        drop(classifier);
    }
    Ok(entries)
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

const HEADER: [&str; 10] = [
    "classifier",
    "backend",
    "stance_accuracy",
    "stance_macro_f1",
    "sentiment_accuracy",
    "sentiment_macro_f1",
    "quotes_per_second",
    "peak_memory_mib",
    "load_seconds",
    "quotes",
];

fn cells(e: &Entry) -> [String; 10] {
    [
        e.classifier.clone(),
        e.backend.clone(),
        format!("{:.3}", e.stance.accuracy),
        format!("{:.3}", e.stance.macro_f1),
        format!("{:.3}", e.sentiment.accuracy),
        format!("{:.3}", e.sentiment.macro_f1),
        format!("{:.1}", e.quotes_per_second),
        e.peak_memory_mib
            .map_or_else(|| "n/a".to_string(), |m| format!("{m:.0}")),
        format!("{:.2}", e.load_seconds),
        e.quotes.to_string(),
    ]
}

/// The table as aligned text.
pub fn to_text(entries: &[Entry]) -> String {
    let rows: Vec<[String; 10]> = entries.iter().map(cells).collect();
    let width = |k: usize| {
        rows.iter()
            .map(|r| r[k].len())
            .chain([HEADER[k].len()])
            .max()
            .unwrap_or(0)
    };
    let mut out = String::new();
    for (k, h) in HEADER.iter().enumerate() {
        let _ = write!(out, "{:<w$}  ", h, w = width(k));
    }
    out.push('\n');
    for r in &rows {
        for (k, c) in r.iter().enumerate() {
            let _ = write!(out, "{:<w$}  ", c, w = width(k));
        }
        out.push('\n');
    }
    out
}

/// The table as Markdown.
pub fn to_markdown(entries: &[Entry]) -> String {
    let mut out = format!(
        "| {} |\n|{}\n",
        HEADER.join(" | "),
        " --- |".repeat(HEADER.len())
    );
    for e in entries {
        let _ = writeln!(out, "| {} |", cells(e).join(" | "));
    }
    out
}

/// Writes table.csv, table.md, the confusion matrices and chart.svg / chart.png into `dir`.
pub fn write_out(entries: &[Entry], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(HEADER)?;
    for e in entries {
        csv.write_record(cells(e))?;
    }
    crate::heads::write_atomic(
        &dir.join("table.csv"),
        &csv.into_inner().context("writing CSV")?,
    )?;
    crate::heads::write_atomic(&dir.join("table.md"), to_markdown(entries).as_bytes())?;
    for e in entries {
        for (task, scores) in [("stance", &e.stance), ("sentiment", &e.sentiment)] {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut header = vec!["gold \\ predicted".to_string()];
            header.extend(scores.labels.iter().cloned());
            w.write_record(&header)?;
            for (label, row) in scores.labels.iter().zip(&scores.confusion) {
                let mut record = vec![label.clone()];
                record.extend(row.iter().map(u64::to_string));
                w.write_record(&record)?;
            }
            crate::heads::write_atomic(
                &dir.join(format!("confusion-{}-{task}.csv", e.label("-"))),
                &w.into_inner().context("writing CSV")?,
            )?;
        }
    }
    let svg = chart_svg(entries)?;
    crate::heads::write_atomic(&dir.join("chart.svg"), svg.as_bytes())?;
    crate::heads::write_atomic(&dir.join("chart.png"), &svg_to_png(&svg)?)?;
    Ok(())
}

/// A bar chart: stance and sentiment macro-F1 for each classifier, each labelled with its speed.
pub fn chart_svg(entries: &[Entry]) -> Result<String> {
    use plotters::prelude::*;
    let plot_error = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing the chart: {e}");
    let names: Vec<String> = entries
        .iter()
        .map(|e| format!("{} ({:.0} quotes/s)", e.label(" "), e.quotes_per_second))
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_error(&e))?;
        let n = entries.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption("Classifiers: macro-F1 and speed", ("sans-serif", 22))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(-0.5f64..n - 0.5, 0.0f64..1.0f64)
            .map_err(|e| plot_error(&e))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(entries.len().max(1))
            .x_label_formatter(&|x| {
                let k = x.round();
                if (x - k).abs() < 0.01 && k >= 0.0 {
                    names.get(k as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_desc("macro-F1")
            .draw()
            .map_err(|e| plot_error(&e))?;
        for (offset, task, color) in [(-0.36, "stance", BLUE), (0.02, "sentiment", RED)] {
            let bars: Vec<(f64, f64)> = entries
                .iter()
                .enumerate()
                .map(|(k, e)| {
                    (
                        k as f64 + offset,
                        if task == "stance" {
                            e.stance.macro_f1
                        } else {
                            e.sentiment.macro_f1
                        },
                    )
                })
                .collect();
            chart
                .draw_series(bars.iter().map(|&(x, y)| {
                    Rectangle::new([(x, 0.0), (x + 0.34, y)], color.mix(0.75).filled())
                }))
                .map_err(|e| plot_error(&e))?
                .label(task)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
            chart
                .draw_series(bars.iter().map(|&(x, y)| {
                    Text::new(
                        format!("{y:.2}"),
                        (x + 0.08, (y + 0.05).min(0.97)),
                        ("sans-serif", 14),
                    )
                }))
                .map_err(|e| plot_error(&e))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .border_style(BLACK)
            .background_style(WHITE)
            .draw()
            .map_err(|e| plot_error(&e))?;
        root.present().map_err(|e| plot_error(&e))?;
    }
    Ok(svg)
}

/// Renders an SVG to PNG with resvg, using the system's fonts for the labels.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>> {
    let mut options = resvg::usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    // "sans-serif" must name an installed family: prefer a sans face, else any face at all.
    let family = fonts
        .faces()
        .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
        .min_by_key(|name| (!name.contains("Sans"), name.len()));
    if let Some(family) = family {
        fonts.set_sans_serif_family(family);
    }
    let tree = resvg::usvg::Tree::from_str(svg, &options).context("parsing the chart SVG")?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .context("allocating the chart image")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().context("encoding the chart PNG")
}
