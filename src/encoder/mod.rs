//! Sentence encoders: text in, one L2-normalised embedding per text out.
//!
//! Tokenisation ([`TextTokenizer`]) and batching ([`crate::batch`]) live outside the backends, so a
//! backend only computes: it takes a batch of token-id sequences and returns pooled embeddings.
//! [`candle::CandleBert`] is the pure-Rust default backend.

pub mod candle;

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

/// A sentence-embedding backend.
pub trait Encoder: Send + Sync {
    /// A short name for reports ("candle").
    fn name(&self) -> &str;
    /// Embedding width.
    fn dim(&self) -> usize;
    /// Mean-pooled, L2-normalised embeddings of a batch of token-id sequences (unpadded; the
    /// backend pads as it needs).
    fn embed(&self, batch: &[Vec<u32>]) -> Result<Vec<Vec<f32>>>;
}

/// The model folder's tokenizer, with padding off (backends pad to the longest in a batch) and
/// truncation at `max_tokens` (the folder's own tokenizer.json fixes both at 128).
pub struct TextTokenizer {
    inner: Tokenizer,
    max_tokens: usize,
}

/// Default truncation length in tokens.
pub const DEFAULT_MAX_TOKENS: usize = 256;

impl TextTokenizer {
    pub fn from_folder(dir: &Path, max_tokens: usize) -> Result<Self> {
        let path = dir.join("tokenizer.json");
        let mut inner =
            Tokenizer::from_file(&path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
        inner.with_padding(None);
        let max_tokens = max_tokens.clamp(8, 512);
        inner
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(|e| anyhow!("{}: {e}", path.display()))?;
        Ok(TextTokenizer { inner, max_tokens })
    }

    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Token ids of each text, with the special tokens the model expects.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<u32>>> {
        // Control characters carry no meaning for the encoder; the tokenizer drops most, not all.
        let cleaned: Vec<String> = texts
            .iter()
            .map(|t| {
                t.chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect()
            })
            .collect();
        let encodings = self
            .inner
            .encode_batch(cleaned, true)
            .map_err(|e| anyhow!("tokenizing: {e}"))?;
        Ok(encodings
            .into_iter()
            .map(|e| e.get_ids().to_vec())
            .collect())
    }
}

/// Loads the default backend for a model folder.
pub fn load(dir: &Path) -> Result<Box<dyn Encoder>> {
    let encoder = candle::CandleBert::load(dir)
        .with_context(|| format!("loading the encoder in {}", dir.display()))?;
    Ok(Box::new(encoder))
}
