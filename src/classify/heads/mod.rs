//! Trained classification heads on top of the encoder: a softmax-linear layer per task (stance,
//! sentiment) over the quote's features (see [`crate::classify::heads::features`]), with a temperature fitted on the dev set so that scores
//! are calibrated probabilities. Heads are saved as `heads.safetensors`, the n-gram vocabulary
//! `ngrams.txt` and a `model-card.json` that records labels, temperatures, data hashes and dev
//! metrics. Heads trained on a fine-tuned encoder also keep its adapter,
//! `encoder-adapter.safetensors` (see [`crate::classify::encoder::adapter`]).

use std::path::Path;
use std::sync::Arc;

use crate::classify::encoder::adapter::{self, Adapter};
use crate::classify::{Error, QuoteInput, Result};
pub mod card;
pub mod features;

pub use card::{HeadCard, ModelCard};

use crate::classify::heads::features::{Featurizer, Vocabulary};
use crate::fs::{f32_safetensors, write_atomic};

/// One task's head: `softmax((W x + b) / temperature)`.
#[derive(Clone, Debug)]
pub struct LinearHead {
    pub labels: Vec<String>,
    /// `labels.len() × dim`, row-major.
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
    pub temperature: f32,
}

impl LinearHead {
    pub fn dim(&self) -> usize {
        self.weight.len() / self.labels.len().max(1)
    }

    /// Calibrated class probabilities for one input vector.
    pub fn probabilities(&self, x: &[f32]) -> Vec<f32> {
        self.sparse_probabilities(x.iter().copied().enumerate())
    }

    /// Calibrated class probabilities for an input given as `(column, value)` pairs in column
    /// order; columns left out are zero. The same sums in the same order as [`Self::probabilities`],
    /// so the same results, without touching the zero columns (most of the n-gram block).
    pub fn sparse_probabilities(&self, x: impl Iterator<Item = (usize, f32)> + Clone) -> Vec<f32> {
        let dim = self.dim();
        let logits: Vec<f32> = (0..self.labels.len())
            .map(|k| {
                let row = &self.weight[k * dim..(k + 1) * dim];
                let dot = x
                    .clone()
                    .filter_map(|(c, v)| row.get(c).map(|w| w * v))
                    .sum::<f32>();
                (dot + self.bias[k]) / self.temperature
            })
            .collect();
        softmax(&logits)
    }

    /// Multiplies each label's probability by its weight (then renormalises), for every input:
    /// `softmax(z / T) · w ∝ softmax((z + T ln w) / T)`, so it is a change of bias.
    pub fn reweight(&mut self, weights: &[f64]) {
        for (bias, weight) in self.bias.iter_mut().zip(weights) {
            *bias += self.temperature * weight.ln() as f32;
        }
    }

    /// The most probable label and its probability.
    pub fn predict(&self, x: &[f32]) -> (String, f32) {
        self.label(&self.probabilities(x))
    }

    /// The most probable label and its probability, for `(column, value)` pairs.
    pub fn predict_sparse(&self, x: &[(usize, f32)]) -> (String, f32) {
        self.label(&self.sparse_probabilities(x.iter().copied()))
    }

    fn label(&self, probabilities: &[f32]) -> (String, f32) {
        let (k, score) = argmax(probabilities);
        (self.labels[k].clone(), score)
    }
}

/// Index and value of the largest element (the first on ties); `(0, MIN)` when empty.
pub fn argmax(values: &[f32]) -> (usize, f32) {
    values.iter().copied().enumerate().fold(
        (0, f32::MIN),
        |best, (k, v)| if v > best.1 { (k, v) } else { best },
    )
}

pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::MIN, f32::max);
    let exps: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// What identifies a set of heads: sha256 over its parts, each prefixed by its length so that
/// moving bytes from one part to the next changes it.
fn fingerprint(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    hex::encode(hash.finalize())
}

/// The stance and sentiment heads with their card.
#[derive(Clone, Debug)]
pub struct Heads {
    pub stance: LinearHead,
    pub sentiment: LinearHead,
    pub card: ModelCard,
    pub featurizer: Featurizer,
    /// The fine-tuned encoder's weight change, merged into the encoder when these heads run.
    pub adapter: Option<Arc<Adapter>>,
    /// SHA-256 over the card, weights and n-grams these heads were read from (empty for heads
    /// made in this process): tells two sets of heads apart in run descriptions.
    pub fingerprint: String,
}

const WEIGHTS: &str = "heads.safetensors";
const CARD: &str = "model-card.json";
/// The n-gram vocabulary, one per line in column order (their IDF weights are in WEIGHTS).
const NGRAMS: &str = "ngrams.txt";
const IDF: &str = "ngrams.idf";

impl Heads {
    /// The text the encoder embeds for `quote`, through the window these heads were trained on.
    pub fn encoder_text(&self, quote: &QuoteInput) -> String {
        quote.encoder_text(self.card.window)
    }

    /// Stance and sentiment of one quote from its input and the embedding of its encoder text.
    pub fn predict(&self, quote: &QuoteInput, embedding: &[f32]) -> ((String, f32), (String, f32)) {
        let x = self.featurizer.sparse_features(quote, embedding);
        (
            self.stance.predict_sparse(&x),
            self.sentiment.predict_sparse(&x),
        )
    }

    /// These heads moved to a corpus in which a `share` of the quotes are neutral, by Bayes' rule
    /// (a label-shift correction, Saerens et al. 2002): each act keeps its odds against the other
    /// acts, and neutral's odds against the acts go from those of the training quotes to
    /// `share`'s. The heads learned the prior of their training data (about half neutral); in news
    /// taken as it comes three quotes in four are neutral, and at that share fewer quotes are
    /// called acts and more of those called are right. Scores stay calibrated when the corpus
    /// has that share. Folded into the stance bias, so it costs nothing per quote.
    pub fn with_neutral_share(mut self, share: f64) -> Result<Heads> {
        if !(share > 0.0 && share < 1.0) {
            return Err(Error::Unsupported(format!(
                "the neutral share must be between 0 and 1 (exclusive), not {share}"
            )));
        }
        let head = &mut self.stance;
        let neutral = head
            .labels
            .iter()
            .position(|l| l == "neutral")
            .ok_or_else(|| {
                Error::Unsupported(
                    "these heads have no neutral stance label to set the share of".to_string(),
                )
            })?;
        let trained = &self.card.stance.train_shares;
        if trained.len() != head.labels.len() {
            return Err(Error::Unsupported(
                "these heads' model card does not record the label shares of their training \
                 quotes (older cards do not); retrain them to use a neutral share"
                    .to_string(),
            ));
        }
        let trained_neutral = trained[neutral];
        if !(trained_neutral > 0.0 && trained_neutral < 1.0) {
            return Err(Error::Unsupported(format!(
                "the heads were trained on {trained_neutral} neutral quotes: no prior to move"
            )));
        }
        let weights: Vec<f64> = (0..head.labels.len())
            .map(|k| {
                if k == neutral {
                    share / trained_neutral
                } else {
                    (1.0 - share) / (1.0 - trained_neutral)
                }
            })
            .collect();
        head.reweight(&weights);
        Ok(self)
    }

    /// Loads heads from a folder written by `quotestance train`.
    pub fn load(dir: &Path) -> Result<Heads> {
        let card_path = dir.join(CARD);
        let card =
            std::fs::read_to_string(&card_path).map_err(|e| Error::reading(&card_path, e))?;
        let weights_path = dir.join(WEIGHTS);
        let bytes = std::fs::read(&weights_path).map_err(|e| Error::reading(&weights_path, e))?;
        let ngrams_path = dir.join(NGRAMS);
        let ngrams =
            std::fs::read_to_string(&ngrams_path).map_err(|e| Error::reading(&ngrams_path, e))?;
        let mut heads = Self::from_parts(&card, &bytes, &ngrams, &dir.display().to_string())?;
        let adapter_path = dir.join(adapter::FILE);
        if let Some(expected) = heads
            .card
            .fine_tuning
            .as_ref()
            .map(|r| r.adapter_sha256.clone())
        {
            let adapter = Adapter::load(&adapter_path).map_err(|e| {
                Error::invalid_because(
                    format!(
                        "{}: the heads were trained on a fine-tuned encoder, whose adapter is missing",
                        dir.display()
                    ),
                    e,
                )
            })?;
            heads.set_adapter(adapter, &expected, &adapter_path.display().to_string())?;
        }
        Ok(heads)
    }

    /// Attaches the encoder adapter, checking it is the one the card names.
    fn set_adapter(&mut self, adapter: Adapter, expected: &str, origin: &str) -> Result<()> {
        if adapter.sha256 != expected {
            return Err(Error::Checksum {
                origin: origin.to_string(),
                actual: adapter.sha256,
                expected: expected.to_string(),
            });
        }
        self.adapter = Some(Arc::new(adapter));
        Ok(())
    }

    /// The default heads, built into the binary from `models/heads/` so that an installed or moved
    /// binary still has them.
    pub fn shipped() -> Result<Heads> {
        let origin = "the built-in heads (models/heads)";
        let mut heads = Self::from_parts(
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/models/heads/model-card.json"
            )),
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/models/heads/heads.safetensors"
            )),
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/models/heads/ngrams.txt"
            )),
            origin,
        )?;
        let bytes = include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/heads/encoder-adapter.safetensors"
        ));
        let adapter = Adapter::from_bytes(bytes, origin)?;
        let expected = heads
            .card
            .fine_tuning
            .as_ref()
            .map(|r| r.adapter_sha256.clone())
            .ok_or_else(|| {
                Error::invalid("the built-in heads' card does not describe their encoder adapter")
            })?;
        heads.set_adapter(adapter, &expected, origin)?;
        Ok(heads)
    }

    /// Heads from a model card (JSON), safetensors bytes and the n-gram list; `origin` names
    /// them in errors.
    pub fn from_parts(card: &str, bytes: &[u8], ngrams: &str, origin: &str) -> Result<Heads> {
        let (card_text, ngrams_text) = (card, ngrams);
        let card: ModelCard = serde_json::from_str(card).map_err(|e| {
            Error::invalid_because(format!("parsing the model card of {origin}"), e)
        })?;
        let weights_path = origin;
        let tensors = safetensors::SafeTensors::deserialize(bytes).map_err(|e| {
            Error::invalid_because(format!("{origin} is not a safetensors file"), e)
        })?;
        let read = |name: &str| -> Result<Vec<f32>> {
            let view = tensors.tensor(name).map_err(|e| {
                Error::invalid_because(format!("{weights_path}: no tensor {name}"), e)
            })?;
            if view.dtype() != safetensors::Dtype::F32 {
                return Err(Error::invalid(format!(
                    "{weights_path}: tensor {name} is not f32"
                )));
            }
            Ok(view
                .data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect())
        };
        let head = |task: &str, card: &HeadCard| -> Result<LinearHead> {
            let head = LinearHead {
                labels: card.labels.clone(),
                weight: read(&format!("{task}.weight"))?,
                bias: read(&format!("{task}.bias"))?,
                temperature: card.temperature,
            };
            if head.labels.is_empty()
                || !head.weight.len().is_multiple_of(head.labels.len())
                || head.bias.len() != head.labels.len()
            {
                return Err(Error::invalid(format!(
                    "{weights_path}: {task} head does not match its {} labels",
                    head.labels.len()
                )));
            }
            Ok(head)
        };
        if card.window.before > crate::classify::input::BEFORE_WORDS
            || card.window.after > crate::classify::input::AFTER_WORDS
        {
            return Err(Error::invalid(format!(
                "{origin}: the card's window {} is wider than this version keeps",
                card.window
            )));
        }
        let stance = head("stance", &card.stance)?;
        let sentiment = head("sentiment", &card.sentiment)?;
        let ngrams: Vec<String> = ngrams.lines().map(str::to_string).collect();
        if ngrams.len() != card.features.ngrams {
            return Err(Error::invalid(format!(
                "{origin}: {NGRAMS} has {} n-grams but the card says {}",
                ngrams.len(),
                card.features.ngrams
            )));
        }
        let vocabulary = Vocabulary::from_parts(ngrams, read(IDF)?)
            .map_err(|e| Error::invalid_because(format!("{origin}: the n-gram vocabulary"), e))?;
        let featurizer = Featurizer {
            spec: card.features.clone(),
            vocabulary,
        };
        let width = featurizer.width(card.embedding_dim);
        if stance.dim() != width || sentiment.dim() != width {
            return Err(Error::invalid(format!(
                "{weights_path}: heads are {}-wide but the card describes {width}-wide features",
                stance.dim()
            )));
        }
        let fingerprint = fingerprint(&[card_text.as_bytes(), bytes, ngrams_text.as_bytes()]);
        Ok(Heads {
            stance,
            sentiment,
            card,
            featurizer,
            adapter: None,
            fingerprint,
        })
    }

    /// Writes `heads.safetensors` and `model-card.json` into `dir`.
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::Io {
            action: "creating",
            path: dir.to_path_buf(),
            source: e,
        })?;
        let mut data: Vec<(String, Vec<usize>, Vec<f32>)> = Vec::new();
        for (task, head) in [("stance", &self.stance), ("sentiment", &self.sentiment)] {
            let rows = head.labels.len();
            data.push((
                format!("{task}.weight"),
                vec![rows, head.dim()],
                head.weight.clone(),
            ));
            data.push((format!("{task}.bias"), vec![rows], head.bias.clone()));
        }
        let idf = self.featurizer.vocabulary.idf();
        data.push((IDF.to_string(), vec![idf.len()], idf.to_vec()));
        let serialized = f32_safetensors(&data, "quotestance-heads")
            .map_err(|e| Error::invalid_because("serialising the heads", e))?;
        write(&dir.join(WEIGHTS), &serialized)?;
        let mut ngrams = self.featurizer.vocabulary.ngrams().join("\n");
        ngrams.push('\n');
        write(&dir.join(NGRAMS), ngrams.as_bytes())?;
        if let Some(adapter) = &self.adapter {
            adapter.save(&dir.join(adapter::FILE))?;
        }
        let card = serde_json::to_string_pretty(&self.card)
            .map_err(|e| Error::invalid_because("serialising the model card", e))?;
        write(&dir.join(CARD), card.as_bytes())
    }
}

/// Writes `path` atomically; an error names the file.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, bytes).map_err(|e| Error::Io {
        action: "writing",
        path: path.to_path_buf(),
        source: e,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reweighting_multiplies_probabilities_and_renormalises() {
        let mut head = LinearHead {
            labels: vec!["a".into(), "neutral".into(), "c".into()],
            weight: vec![1.0, 0.0, 0.5, -1.0, 0.2, 0.3],
            bias: vec![0.1, -0.2, 0.3],
            temperature: 1.7,
        };
        let x = [0.8, -0.4];
        let before = head.probabilities(&x);
        let weights = [0.5, 3.0, 0.5];
        head.reweight(&weights);
        let after = head.probabilities(&x);
        let scaled: Vec<f64> = before
            .iter()
            .zip(weights)
            .map(|(p, w)| f64::from(*p) * w)
            .collect();
        let total: f64 = scaled.iter().sum();
        for (p, s) in after.iter().zip(&scaled) {
            assert!(
                (f64::from(*p) - s / total).abs() < 1e-5,
                "{after:?} vs {scaled:?}"
            );
        }
        // The acts keep their odds against each other.
        assert!((after[0] / after[2] - before[0] / before[2]).abs() < 1e-4);
    }

    #[test]
    fn neutral_share_moves_the_stance_prior_and_nothing_else() {
        let shipped = Heads::shipped().expect("the built-in heads load");
        let trained = &shipped.card.stance.train_shares;
        let neutral = shipped
            .stance
            .labels
            .iter()
            .position(|l| l == "neutral")
            .expect("a neutral label");
        assert_eq!(trained.len(), shipped.stance.labels.len());
        assert!((trained.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // At the training share nothing moves.
        let same = shipped
            .clone()
            .with_neutral_share(trained[neutral])
            .expect("valid share");
        for (a, b) in same.stance.bias.iter().zip(&shipped.stance.bias) {
            assert!((a - b).abs() < 1e-5);
        }
        // A higher share raises neutral's bias against every act; sentiment is untouched.
        let natural = shipped
            .clone()
            .with_neutral_share(0.75)
            .expect("valid share");
        let lift = |h: &Heads, k: usize| h.stance.bias[neutral] - h.stance.bias[k];
        for k in (0..shipped.stance.labels.len()).filter(|&k| k != neutral) {
            assert!(lift(&natural, k) > lift(&shipped, k) + 0.1);
        }
        assert_eq!(natural.sentiment.bias, shipped.sentiment.bias);
        for bad in [0.0, 1.0, -0.2, f64::NAN] {
            let error = shipped.clone().with_neutral_share(bad).unwrap_err();
            assert!(error.to_string().contains("between 0 and 1"), "{error}");
        }
    }

    #[test]
    fn probabilities_sum_to_one_and_temperature_flattens() {
        let head = LinearHead {
            labels: vec!["a".into(), "b".into()],
            weight: vec![1.0, 0.0, 0.0, 1.0],
            bias: vec![0.0, 0.0],
            temperature: 1.0,
        };
        let p = head.probabilities(&[2.0, 0.0]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        let hot = head.predict(&[2.0, 0.0]);
        let flat = LinearHead {
            temperature: 4.0,
            ..head.clone()
        }
        .predict(&[2.0, 0.0]);
        assert_eq!(hot.0, "a");
        assert!(flat.1 < hot.1);
    }
}
