//! Training: optionally fine-tune the encoder first ([`fine_tune_encoder`], see
//! [`crate::train::finetune`]), then fit the heads: L2-regularised multinomial logistic regression on the
//! sentence embedding, VADER tone scores and TF-IDF word n-grams, fitted full-batch with Adam, the
//! L2 strength chosen by dev macro-F1, then a temperature fitted on dev log-loss so that scores
//! are calibrated.
//!
//! The heads' fit is deterministic: zero initialisation, full batches, a fixed iteration count.
//! The seed orders the fine-tuning's batches and initialises its LoRA factors.

pub mod finetune;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};

use crate::classify::QuoteInput;
use crate::classify::batch::BatchOptions;
use crate::classify::encoder::adapter::Adapter;
use crate::classify::encoder::{Encoder, TextTokenizer};
use crate::classify::heads::features::{
    FeatureSpec, Featurizer, MIN_DOCUMENT_FREQUENCY, Vocabulary,
};
use crate::classify::heads::{HeadCard, Heads, LinearHead, ModelCard, softmax};
use crate::classify::input::Window;
pub use crate::classify::labelled::{Example, read_examples};
use crate::eval::LabelScores;
use crate::train::finetune::{FineTuneOptions, FineTuneReport, Sample};

/// How a training run reads its quotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputOptions {
    /// What the encoder reads of each quote's surroundings.
    pub window: Window,
    /// Whether the heads also read the n-grams of the words around the quote.
    pub context_ngrams: bool,
}

impl InputOptions {
    /// The text the encoder embeds for `example`.
    pub fn encoder_text(&self, example: &Example) -> String {
        example.input().encoder_text(self.window)
    }
}

/// The sorted set of labels in `values`.
pub fn label_set<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = values.collect();
    set.into_iter().map(str::to_string).collect()
}

/// A fitted head with its dev scores.
pub struct Fitted {
    pub head: LinearHead,
    pub card: HeadCard,
}

/// L2 strengths tried; the one with the best dev macro-F1 wins.
pub const L2_GRID: [f32; 6] = [3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3];

/// Fits one head on `(x, y)` (rows of `dim` floats), choosing L2 and temperature on the dev set.
pub fn fit(
    labels: &[String],
    train_x: &[Vec<f32>],
    train_y: &[&str],
    dev_x: &[Vec<f32>],
    dev_y: &[&str],
) -> Result<Fitted> {
    let index = |l: &str| {
        labels
            .iter()
            .position(|x| x == l)
            .with_context(|| format!("label {l:?} is not in the training labels {labels:?}"))
    };
    let ty: Vec<u32> = train_y
        .iter()
        .map(|l| index(l).map(|k| k as u32))
        .collect::<Result<_>>()?;
    let dy: Vec<usize> = dev_y.iter().map(|l| index(l)).collect::<Result<_>>()?;
    let mut best: Option<(f64, LinearHead, f32)> = None;
    for l2 in L2_GRID {
        let head = fit_l2(labels, train_x, &ty, l2)?;
        let predicted: Vec<(String, String)> = dev_x
            .iter()
            .zip(&dy)
            .map(|(x, &g)| (labels[g].clone(), head.predict(x).0))
            .collect();
        let f1 = LabelScores::from_pairs(&predicted).macro_f1;
        if best.as_ref().is_none_or(|(b, _, _)| f1 > *b) {
            best = Some((f1, head, l2));
        }
    }
    let (_, mut head, l2) = best.context("no L2 strength tried")?;
    head.temperature = fit_temperature(&head, dev_x, &dy);
    let pairs: Vec<(String, String)> = dev_x
        .iter()
        .zip(&dy)
        .map(|(x, &g)| (labels[g].clone(), head.predict(x).0))
        .collect();
    let scores = LabelScores::from_pairs(&pairs);
    let card = HeadCard {
        labels: labels.to_vec(),
        temperature: head.temperature,
        l2,
        dev_accuracy: scores.accuracy,
        dev_macro_f1: scores.macro_f1,
        train_shares: shares(labels.len(), &ty),
    };
    Ok(Fitted { head, card })
}

/// The share of each of `classes` labels among the label indices `y`.
fn shares(classes: usize, y: &[u32]) -> Vec<f64> {
    let mut counts = vec![0usize; classes];
    for &label in y {
        counts[label as usize] += 1;
    }
    let n = y.len().max(1) as f64;
    counts.into_iter().map(|c| c as f64 / n).collect()
}

/// Full-batch Adam on mean cross-entropy plus `l2 · ‖W‖²`, over sparse rows (the n-gram block
/// is mostly zeros). Rows are summed in a fixed order, so results are reproducible.
fn fit_l2(labels: &[String], x: &[Vec<f32>], y: &[u32], l2: f32) -> Result<LinearHead> {
    let dim = x.first().map_or(0, Vec::len);
    if dim == 0 {
        bail!("no training vectors");
    }
    let rows: Vec<Vec<(u32, f32)>> = x
        .iter()
        .map(|v| {
            v.iter()
                .enumerate()
                .filter(|(_, a)| **a != 0.0)
                .map(|(k, a)| (k as u32, *a))
                .collect()
        })
        .collect();
    let classes = labels.len();
    let n = rows.len() as f32;
    let mut w = vec![0f32; classes * dim];
    let mut b = vec![0f32; classes];
    let (mut mw, mut vw) = (vec![0f32; w.len()], vec![0f32; w.len()]);
    let (mut mb, mut vb) = (vec![0f32; classes], vec![0f32; classes]);
    let (lr, beta1, beta2, eps) = (0.05f32, 0.9f32, 0.999f32, 1e-8f32);
    for step in 1..=STEPS {
        let mut gw = vec![0f32; w.len()];
        let mut gb = vec![0f32; classes];
        for (row, &label) in rows.iter().zip(y) {
            let logits: Vec<f32> = (0..classes)
                .map(|c| {
                    b[c] + row
                        .iter()
                        .map(|&(k, a)| w[c * dim + k as usize] * a)
                        .sum::<f32>()
                })
                .collect();
            let p = softmax(&logits);
            for c in 0..classes {
                let r = (p[c] - if c as u32 == label { 1.0 } else { 0.0 }) / n;
                gb[c] += r;
                let base = c * dim;
                for &(k, a) in row {
                    gw[base + k as usize] += r * a;
                }
            }
        }
        for (g, v) in gw.iter_mut().zip(&w) {
            *g += 2.0 * l2 * v;
        }
        let (c1, c2) = (1.0 - beta1.powi(step), 1.0 - beta2.powi(step));
        let adam = |p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32]| {
            for i in 0..p.len() {
                m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
                p[i] -= lr * (m[i] / c1) / ((v[i] / c2).sqrt() + eps);
            }
        };
        adam(&mut w, &gw, &mut mw, &mut vw);
        adam(&mut b, &gb, &mut mb, &mut vb);
    }
    Ok(LinearHead {
        labels: labels.to_vec(),
        weight: w,
        bias: b,
        temperature: 1.0,
    })
}

/// Adam steps per fit.
const STEPS: i32 = 500;

/// The temperature minimising dev log-loss, by a fine grid search (a one-parameter problem).
fn fit_temperature(head: &LinearHead, x: &[Vec<f32>], y: &[usize]) -> f32 {
    let dim = head.dim();
    let logits: Vec<Vec<f32>> = x
        .iter()
        .map(|v| {
            (0..head.labels.len())
                .map(|k| {
                    head.weight[k * dim..(k + 1) * dim]
                        .iter()
                        .zip(v)
                        .map(|(w, a)| w * a)
                        .sum::<f32>()
                        + head.bias[k]
                })
                .collect()
        })
        .collect();
    let nll = |t: f32| -> f64 {
        logits
            .iter()
            .zip(y)
            .map(|(l, &g)| {
                -f64::from(softmax(&l.iter().map(|v| v / t).collect::<Vec<_>>())[g].max(1e-12)).ln()
            })
            .sum()
    };
    (1..=200)
        .map(|k| k as f32 * 0.025)
        .min_by(|a, b| nll(*a).total_cmp(&nll(*b)))
        .unwrap_or(1.0)
}

/// Fine-tunes the encoder in model folder `dir` on the labelled quotes of `train_paths` (see
/// [`crate::train::finetune`]).
pub fn fine_tune_encoder(
    dir: &Path,
    train_paths: &[PathBuf],
    format: InputOptions,
    options: &FineTuneOptions,
    progress: bool,
) -> Result<(Adapter, FineTuneReport)> {
    let mut train = Vec::new();
    for path in train_paths {
        train.extend(read_examples(path)?);
    }
    let stance_labels = label_set(train.iter().map(|e| e.stance.as_str()));
    let sentiment_labels = label_set(train.iter().map(|e| e.sentiment.as_str()));
    let index = |labels: &[String], l: &str| labels.iter().position(|x| x == l).unwrap_or(0) as u32;
    let texts: Vec<String> = train.iter().map(|e| format.encoder_text(e)).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let ids = crate::train::finetune::tokenize(dir, &texts, options.max_tokens)?;
    let samples: Vec<Sample> = train
        .iter()
        .zip(ids)
        .map(|(e, ids)| Sample {
            ids,
            stance: index(&stance_labels, &e.stance),
            sentiment: index(&sentiment_labels, &e.sentiment),
        })
        .collect();
    if progress {
        eprintln!(
            "quotestance: fine-tuning the encoder on {} quotes ({} epochs, LoRA rank {})",
            samples.len(),
            options.epochs,
            options.rank
        );
    }
    let (adapter, mut report) = crate::train::finetune::fine_tune(
        dir,
        &samples,
        (stance_labels.len(), sentiment_labels.len()),
        options,
        progress,
    )?;
    report.train_files_sha256 = train_paths
        .iter()
        .map(|p| crate::fs::sha256_file(p))
        .collect::<std::io::Result<_>>()?;
    Ok((adapter, report))
}

/// The heads' features: TF-IDF word n-grams learned from the training quotes (with their context
/// words when `context`), tone scores, and the embedding.
fn learn_featurizer(train_inputs: &[QuoteInput], context: bool) -> Featurizer {
    let vocabulary = Vocabulary::learn(
        train_inputs.iter().map(|q| Featurizer::ngrams(q, context)),
        MIN_DOCUMENT_FREQUENCY,
    );
    Featurizer::new(
        FeatureSpec {
            ngrams: vocabulary.len(),
            min_document_frequency: MIN_DOCUMENT_FREQUENCY,
            tone: true,
            context,
        },
        vocabulary,
    )
}

/// How the heads were fitted, for the model card.
fn method(fine_tuned: bool) -> String {
    format!(
        "L2-regularised multinomial logistic regression on {} mean-pooled embeddings, VADER tone scores and TF-IDF word uni- and bigrams (full-batch Adam, 500 steps); L2 chosen by dev macro-F1; temperature fitted on dev log-loss",
        if fine_tuned {
            "the fine-tuned encoder's"
        } else {
            "frozen"
        }
    )
}

/// Trains stance and sentiment heads on `train_path`, choosing settings on `dev_path`. With
/// `fine_tuned`, `encoder` must already have that adapter merged in; the heads keep it.
#[allow(clippy::too_many_arguments)]
pub fn train_heads(
    tokenizer: &TextTokenizer,
    encoder: &dyn Encoder,
    base: &BaseModel,
    fine_tuned: Option<(Arc<Adapter>, FineTuneReport)>,
    train_paths: &[PathBuf],
    dev_path: &Path,
    format: InputOptions,
    seed: u64,
    progress: bool,
) -> Result<Heads> {
    let mut train = Vec::new();
    for path in train_paths {
        train.extend(read_examples(path)?);
    }
    let dev = read_examples(dev_path)?;
    let context = format.context_ngrams;
    let inputs = |set: &[Example]| -> Vec<QuoteInput> { set.iter().map(Example::input).collect() };
    let (train_inputs, dev_inputs) = (inputs(&train), inputs(&dev));
    if progress {
        eprintln!(
            "quotestance: embedding {} training and {} dev quotes with {}",
            train.len(),
            dev.len(),
            encoder.name()
        );
    }
    let featurizer = learn_featurizer(&train_inputs, context);
    let featurize = |set: &[Example], inputs: &[QuoteInput]| -> Result<Vec<Vec<f32>>> {
        let adapter = adapter_fingerprint(&fine_tuned);
        let texts: Vec<String> = set.iter().map(|e| format.encoder_text(e)).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let embeddings = cached_embeddings(tokenizer, encoder, base, adapter, &texts)?;
        Ok(inputs
            .iter()
            .zip(&embeddings)
            .map(|(q, v)| featurizer.features(q, v))
            .collect())
    };
    let train_x = featurize(&train, &train_inputs)?;
    let dev_x = featurize(&dev, &dev_inputs)?;
    let fit_task = |label: fn(&Example) -> &str| -> Result<Fitted> {
        let train_y: Vec<&str> = train.iter().map(label).collect();
        let dev_y: Vec<&str> = dev.iter().map(label).collect();
        let labels = label_set(train_y.iter().copied());
        fit(&labels, &train_x, &train_y, &dev_x, &dev_y)
    };
    let stance = fit_task(|e| e.stance.as_str())?;
    let sentiment = fit_task(|e| e.sentiment.as_str())?;
    let card = ModelCard {
        base_model: base.name.clone(),
        base_model_sha256: base.sha256.clone(),
        embedding_dim: encoder.dim(),
        window: format.window,
        features: featurizer.spec.clone(),
        max_tokens: tokenizer.max_tokens(),
        train_file_sha256: train_paths
            .iter()
            .map(|p| crate::fs::sha256_file(p))
            .collect::<std::io::Result<Vec<_>>>()?
            .join(","),
        dev_file_sha256: crate::fs::sha256_file(dev_path)?,
        train_examples: train.len(),
        dev_examples: dev.len(),
        seed,
        method: method(fine_tuned.is_some()),
        created: today(),
        stance: stance.card,
        sentiment: sentiment.card,
        fine_tuning: fine_tuned.as_ref().map(|(_, report)| report.clone()),
    };
    Ok(Heads {
        stance: stance.head,
        sentiment: sentiment.head,
        card,
        featurizer,
        adapter: fine_tuned.map(|(adapter, _)| adapter),
        fingerprint: String::new(),
    })
}

/// Embeddings of `texts`, kept in the model cache keyed by encoder, truncation and texts, so that
/// retraining does not embed the same data again.
fn cached_embeddings(
    tokenizer: &TextTokenizer,
    encoder: &dyn Encoder,
    base: &BaseModel,
    adapter: &str,
    texts: &[&str],
) -> Result<Vec<Vec<f32>>> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(format!(
        "{}\0{adapter}\0{}\0{}\0{}\0",
        base.sha256,
        tokenizer.max_tokens(),
        encoder.name(),
        encoder.dim()
    ));
    for t in texts {
        hasher.update(t.as_bytes());
        hasher.update([0u8]);
    }
    let key = hex::encode(hasher.finalize());
    let path = crate::models::home()
        .join("embeddings")
        .join(format!("{}.f32", &key[..32]));
    let dim = encoder.dim();
    if let Ok(bytes) = std::fs::read(&path)
        && bytes.len() == texts.len() * dim * 4
    {
        let floats: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        return Ok(floats.chunks(dim).map(<[f32]>::to_vec).collect());
    }
    let embeddings =
        crate::classify::batch::embed(tokenizer, encoder, texts, BatchOptions::default())?;
    if let Some(parent) = path.parent()
        && std::fs::create_dir_all(parent).is_ok()
    {
        let bytes: Vec<u8> = embeddings
            .iter()
            .flatten()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let _ = crate::fs::write_atomic(&path, &bytes); // a cache: failing to write it is harmless
    }
    Ok(embeddings)
}

/// The adapter's fingerprint, or "" for the plain encoder.
fn adapter_fingerprint(fine_tuned: &Option<(Arc<Adapter>, FineTuneReport)>) -> &str {
    fine_tuned.as_ref().map_or("", |(a, _)| a.sha256.as_str())
}

/// The encoder a head was trained on, for the model card.
#[derive(Clone, Debug)]
pub struct BaseModel {
    pub name: String,
    pub sha256: String,
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_data_is_learned() {
        let labels = vec!["left".to_string(), "right".to_string()];
        let x: Vec<Vec<f32>> = (0..40)
            .map(|i| {
                if i % 2 == 0 {
                    vec![1.0, 0.1 * (i % 5) as f32]
                } else {
                    vec![-1.0, 0.1 * (i % 7) as f32]
                }
            })
            .collect();
        let y: Vec<&str> = (0..40)
            .map(|i| if i % 2 == 0 { "left" } else { "right" })
            .collect();
        let fitted = fit(&labels, &x, &y, &x, &y).unwrap();
        assert_eq!(fitted.card.dev_accuracy, 1.0);
        assert_eq!(fitted.head.predict(&[0.9, 0.0]).0, "left");
        let again = fit(&labels, &x, &y, &x, &y).unwrap();
        assert_eq!(
            fitted.head.weight, again.head.weight,
            "training is deterministic"
        );
    }
}
