//! Classifying quotes: stance (the speech act) and sentiment, each with a probability.
//!
//! Three classifiers share one trait so that `run`, `eval` and `compare` treat them alike:
//! - [`trained::Trained`]: the encoder plus heads trained on labelled quotes (the default);
//! - [`zero_shot::ZeroShot`]: the encoder plus label descriptions, nearest by cosine;
//! - [`lexicon::Lexicon`]: transparent keyword rules for stance and VADER for sentiment.

pub mod batch;
pub mod encoder;
pub mod error;
pub mod heads;
pub mod input;
pub mod labelled;
pub mod lexicon;
pub mod trained;
pub mod zero_shot;

pub use error::{Error, Result};
pub use input::QuoteInput;

use std::path::PathBuf;

use crate::classify::batch::BatchOptions;
use crate::classify::encoder::{DEFAULT_MAX_TOKENS, TextTokenizer};
use crate::models;

/// The labels of one quote.
#[derive(Clone, Debug, PartialEq)]
pub struct Labels {
    pub stance: String,
    pub stance_score: f32,
    pub sentiment: String,
    pub sentiment_score: f32,
}

/// A stance and sentiment classifier.
pub trait Classifier: Send + Sync {
    fn name(&self) -> &str;
    /// The encoder backend it runs on, if it uses one ("ort-int8", "candle").
    fn backend(&self) -> Option<&str> {
        None
    }
    /// Labels for each quote, in order. A quote's labels do not depend on the other quotes in
    /// the call.
    fn classify(&self, quotes: &[QuoteInput]) -> Result<Vec<Labels>>;

    /// What identifies the weights it runs (checksums of heads and encoder), when it has any: two
    /// runs whose classifiers share name, backend and model label alike.
    fn model(&self) -> Option<String> {
        None
    }

    /// Labels for quotes given as bare text, without context.
    fn classify_texts(&self, texts: &[&str]) -> Result<Vec<Labels>> {
        let quotes: Vec<QuoteInput> = texts.iter().map(|t| QuoteInput::plain(t)).collect();
        self.classify(&quotes)
    }
}

/// The default stance labels, aligned with CAMEO verbal event classes (13, 03, 016, 10, 11, 12, rest).
pub const STANCE_LABELS: [&str; 7] = [
    "threat",
    "offer",
    "denial",
    "demand",
    "accusation",
    "rejection",
    "neutral",
];
/// Sentiment labels.
pub const SENTIMENT_LABELS: [&str; 3] = ["positive", "negative", "neutral"];

/// Which classifier to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Trained,
    ZeroShot,
    Lexicon,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Trained => "trained",
            Kind::ZeroShot => "zero-shot",
            Kind::Lexicon => "lexicon",
        }
    }
}

/// Where the encoder and heads come from.
#[derive(Clone, Debug, Default)]
pub struct ModelOptions {
    /// A local Hugging Face encoder folder instead of the pinned default.
    pub model_dir: Option<PathBuf>,
    /// Heads trained by `quotestance train` instead of the shipped ones.
    pub heads_dir: Option<PathBuf>,
    /// Never download.
    pub offline: bool,
    /// Truncation length in tokens.
    pub max_tokens: Option<usize>,
    pub batch: BatchOptions,
    /// Which backend runs the encoder.
    pub backend: encoder::Backend,
    /// Show download progress.
    pub progress: bool,
    /// The share of neutral quotes expected in the corpus, for the trained heads (see
    /// [`heads::Heads::with_neutral_share`]); `None` keeps their training prior.
    pub neutral_share: Option<f64>,
}

impl ModelOptions {
    /// How to load the encoder: on the current rayon pool's threads.
    pub fn encoder_options(&self) -> encoder::EncoderOptions {
        encoder::EncoderOptions {
            backend: self.backend,
            threads: rayon::current_num_threads(),
            offline: self.offline,
            progress: self.progress,
            adapter: None,
        }
    }
}

/// The encoder folder to use: `--model DIR` as given, or the pinned default (fetched on first use).
pub fn model_folder(options: &ModelOptions) -> Result<PathBuf> {
    match &options.model_dir {
        Some(dir) => {
            models::check_files(dir)?;
            Ok(dir.clone())
        }
        None => Ok(models::ensure(
            &models::MINILM,
            options.offline,
            options.progress,
        )?),
    }
}

/// A classifier with the checksums of its weights (see [`Classifier::model`]).
struct WithModel {
    inner: Box<dyn Classifier>,
    model: String,
}

impl Classifier for WithModel {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn backend(&self) -> Option<&str> {
        self.inner.backend()
    }
    fn classify(&self, quotes: &[QuoteInput]) -> Result<Vec<Labels>> {
        self.inner.classify(quotes)
    }
    fn model(&self) -> Option<String> {
        Some(self.model.clone())
    }
}

/// Builds the classifier `kind`.
pub fn build(kind: Kind, options: &ModelOptions) -> Result<Box<dyn Classifier>> {
    if options.neutral_share.is_some() && kind != Kind::Trained {
        return Err(Error::Unsupported(format!(
            "a neutral share moves the trained heads' prior; the {} classifier has none",
            kind.as_str()
        )));
    }
    if kind == Kind::Lexicon {
        return Ok(Box::new(lexicon::Lexicon::new()));
    }
    let dir = model_folder(options)?;
    let encoder_sha256 = match &options.model_dir {
        Some(dir) => {
            let weights = dir.join("model.safetensors");
            crate::fs::sha256_file(&weights).map_err(|e| Error::reading(weights, e))?
        }
        None => models::MINILM.safetensors_sha256.to_string(),
    };
    let tokenizer =
        TextTokenizer::from_folder(&dir, options.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS))?;
    match kind {
        Kind::Trained => {
            let heads = match &options.heads_dir {
                Some(dir) => heads::Heads::load(dir).map_err(|e| Error::LoadHeads {
                    dir: dir.clone(),
                    source: Box::new(e),
                })?,
                None => heads::Heads::shipped()?,
            };
            let heads = match options.neutral_share {
                Some(share) => heads.with_neutral_share(share)?,
                None => heads,
            };
            // Heads trained with a fine-tuned encoder need its adapter merged in.
            let encoder = encoder::load(
                &dir,
                &encoder::EncoderOptions {
                    adapter: heads.adapter.clone(),
                    ..options.encoder_options()
                },
            )?;
            let mut model = format!("heads {} encoder {encoder_sha256}", heads.fingerprint);
            if let Some(share) = options.neutral_share {
                model.push_str(&format!(" neutral share {share}"));
            }
            Ok(Box::new(WithModel {
                inner: Box::new(trained::Trained::new(
                    tokenizer,
                    encoder,
                    heads,
                    options.batch,
                )?),
                model,
            }))
        }
        Kind::ZeroShot => Ok(Box::new(WithModel {
            inner: Box::new(zero_shot::ZeroShot::new(
                tokenizer,
                encoder::load(&dir, &options.encoder_options())?,
                options.batch,
            )?),
            model: format!("encoder {encoder_sha256}"),
        })),
        Kind::Lexicon => unreachable!("handled above"),
    }
}
