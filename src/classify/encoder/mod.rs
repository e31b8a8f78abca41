//! Sentence encoders: text in, one L2-normalised embedding per text out.
//!
//! Tokenisation ([`TextTokenizer`]) and batching ([`crate::classify::batch`]) live outside the backends, so a
//! backend only computes: it takes a batch of token-id sequences and returns pooled embeddings.
//! Backends: [`onnx::OrtBert`] (ONNX Runtime, int8 or fp32; the default when its library is
//! available), [`candle::CandleBert`] (pure Rust, needs no system library; the fallback) and,
//! with the `rust-bert` feature, `rust_bert::TchBert` (libtorch; see scripts/setup-libtorch.sh).

pub mod adapter;
pub mod candle;
pub mod onnx;
#[cfg(feature = "rust-bert")]
pub mod rust_bert;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::classify::encoder::adapter::Adapter;
use crate::classify::{Error, Result};
use candle_transformers::models::bert::Config;
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
    /// How many batches `embed` can usefully run at once from different threads. Backends that
    /// parallelise inside a batch say 1.
    fn parallel_batches(&self) -> usize {
        1
    }
}

/// A batch padded with 0 to its longest sequence: token ids and attention mask, row-major, and
/// the padded length. Every backend pads the same way.
pub struct Padded<T> {
    pub ids: Vec<T>,
    pub mask: Vec<T>,
    pub len: usize,
}

impl<T: From<u32> + Copy> Padded<T> {
    pub fn new(batch: &[Vec<u32>]) -> Self {
        let len = batch.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let (zero, one) = (T::from(0), T::from(1));
        let mut ids = Vec::with_capacity(batch.len() * len);
        let mut mask = Vec::with_capacity(batch.len() * len);
        for seq in batch {
            ids.extend(seq.iter().map(|&t| T::from(t)));
            ids.extend(std::iter::repeat_n(zero, len - seq.len()));
            mask.extend(std::iter::repeat_n(one, seq.len()));
            mask.extend(std::iter::repeat_n(zero, len - seq.len()));
        }
        Padded { ids, mask, len }
    }
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
        let invalid = |e| Error::invalid_because(path.display().to_string(), e);
        let mut inner = Tokenizer::from_file(&path).map_err(invalid)?;
        inner.with_padding(None);
        let max_tokens = max_tokens.clamp(8, 512);
        inner
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(invalid)?;
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
            .map_err(|e| Error::Backend(format!("tokenizing: {e}").into()))?;
        Ok(encodings
            .into_iter()
            .map(|e| e.get_ids().to_vec())
            .collect())
    }
}

/// Which backend runs the encoder.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Backend {
    /// ONNX Runtime int8 when its library is available (fetched on first use), else candle.
    #[default]
    Auto,
    /// ONNX Runtime with int8 weights (per output channel): the fastest.
    Ort,
    /// ONNX Runtime in fp32.
    OrtFp32,
    /// candle, pure Rust, fp32.
    Candle,
    /// rust-bert on libtorch, fp32; only in builds with the `rust-bert` feature.
    RustBert,
}

/// How to load an encoder.
#[derive(Clone, Debug)]
pub struct EncoderOptions {
    pub backend: Backend,
    /// CPU threads for the backend's matrix kernels.
    pub threads: usize,
    /// Never download the ONNX Runtime library.
    pub offline: bool,
    /// Show download progress.
    pub progress: bool,
    /// A fine-tuning adapter to merge into the weights (see [`crate::classify::encoder::adapter`]).
    pub adapter: Option<Arc<Adapter>>,
}

impl Default for EncoderOptions {
    fn default() -> Self {
        EncoderOptions {
            backend: Backend::Auto,
            threads: rayon::current_num_threads(),
            offline: false,
            progress: false,
            adapter: None,
        }
    }
}

/// Loads the encoder in the model folder `dir` on the chosen backend. `Auto` falls back to candle,
/// with a one-line notice on stderr, when ONNX Runtime cannot be had.
pub fn load(dir: &Path, options: &EncoderOptions) -> Result<Box<dyn Encoder>> {
    let context = |e| Error::LoadEncoder {
        dir: dir.to_path_buf(),
        source: Box::new(e),
    };
    let adapter = options.adapter.as_deref();
    let ort = |env, precision| -> Result<Box<dyn Encoder>> {
        Ok(Box::new(
            onnx::OrtBert::load(env, dir, precision, options.threads, adapter).map_err(context)?,
        ))
    };
    match options.backend {
        Backend::Candle => Ok(Box::new(
            candle::CandleBert::load(dir, adapter).map_err(context)?,
        )),
        Backend::Ort => ort(runtime(options)?, onnx::Precision::Int8),
        Backend::OrtFp32 => ort(runtime(options)?, onnx::Precision::Fp32),
        Backend::RustBert => rust_bert_encoder(dir, options.threads, adapter, context),
        Backend::Auto => match runtime(options) {
            Ok(env) => ort(env, onnx::Precision::Int8),
            Err(e) => {
                eprintln!(
                    "quotestance: using the slower candle backend: {e:#}. `quotestance models fetch` gets ONNX Runtime."
                );
                Ok(Box::new(
                    candle::CandleBert::load(dir, adapter).map_err(context)?,
                ))
            }
        },
    }
}

#[cfg(feature = "rust-bert")]
fn rust_bert_encoder(
    dir: &Path,
    threads: usize,
    adapter: Option<&Adapter>,
    context: impl Fn(Error) -> Error,
) -> Result<Box<dyn Encoder>> {
    Ok(Box::new(
        self::rust_bert::TchBert::load(dir, threads, adapter).map_err(context)?,
    ))
}

/// Without the feature the backend still parses, so asking for it says how to get it.
#[cfg(not(feature = "rust-bert"))]
fn rust_bert_encoder(
    _dir: &Path,
    _threads: usize,
    _adapter: Option<&Adapter>,
    _context: impl Fn(Error) -> Error,
) -> Result<Box<dyn Encoder>> {
    Err(Error::Unsupported(
        "this binary was built without the rust-bert feature; see README (scripts/setup-libtorch.sh)"
            .to_string(),
    ))
}

/// The ONNX Runtime environment, created once per process from `QUOTESTANCE_ORT_LIB` if set, else
/// from the pinned library in the model cache (fetched first unless offline).
fn runtime(options: &EncoderOptions) -> Result<&'static ort::environment::Environment> {
    static RUNTIME: OnceLock<std::result::Result<ort::environment::Environment, String>> =
        OnceLock::new();
    let loaded = RUNTIME.get_or_init(|| {
        let path = match std::env::var_os("QUOTESTANCE_ORT_LIB").filter(|v| !v.is_empty()) {
            Some(path) => std::path::PathBuf::from(path),
            None => crate::models::ensure_runtime(options.offline, options.progress)
                .map_err(|e| e.to_string())?,
        };
        ort::init_from(&path)
            .map_err(|e| format!("{}: cannot load ONNX Runtime: {e}", path.display()))?
            .with_name("quotestance")
            .build()
            .map_err(|e| format!("{}: cannot start ONNX Runtime: {e}", path.display()))
    });
    loaded.as_ref().map_err(|e| Error::NoRuntime(e.clone()))
}

/// The prefix under which a checkpoint keeps its BERT weights, found by the word embeddings:
/// `""` in sentence-transformers folders, `"bert."` in a `BertFor...` checkpoint. `None` when
/// `has` finds neither, so the file does not hold a BERT encoder. The one rule every backend, the
/// adapter and training use to name weights.
pub fn bert_prefix(has: impl Fn(&str) -> bool) -> Option<&'static str> {
    ["", "bert."]
        .into_iter()
        .find(|p| has(&format!("{p}embeddings.word_embeddings.weight")))
}

/// Model types the BERT backends read.
const SUPPORTED: [&str; 3] = ["bert", "minilm", "roberta"];

/// Reads and checks a model folder's config.json.
pub fn read_config(dir: &Path) -> Result<Config> {
    let config_path = dir.join("config.json");
    let raw = std::fs::read_to_string(&config_path).map_err(|e| Error::reading(&config_path, e))?;
    let meta: serde_json::Value = serde_json::from_str(&raw)
        .map_err(|e| Error::invalid_because(format!("parsing {}", config_path.display()), e))?;
    let model_type = meta["model_type"].as_str().unwrap_or("bert");
    if !SUPPORTED.contains(&model_type) {
        return Err(Error::invalid(format!(
            "{}: model_type {model_type:?} is not supported; quotestance runs BERT-family encoders (model_type bert)",
            config_path.display()
        )));
    }
    serde_json::from_str(&raw).map_err(|e| {
        Error::invalid_because(format!("{} is not a BERT config", config_path.display()), e)
    })
}
