//! The rust-bert backend: rust-bert's BERT on libtorch (through tch), fp32 on the CPU.
//!
//! Built only with the `rust-bert` feature, which needs libtorch 2.4.0 at build and run time
//! (`scripts/setup-libtorch.sh`). The weights come from the same `model.safetensors` the other
//! backends read; tch loads safetensors directly, so no conversion to a `.ot` file is needed.

use std::path::Path;
use std::sync::Mutex;

use ::rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};

use super::{Encoder, Padded};
use crate::classify::encoder::adapter::{Adapter, load_weights};
use crate::classify::{Error, Result};

/// rust-bert builds every BERT LayerNorm with this epsilon, whatever config.json says.
const RUST_BERT_LAYER_NORM_EPS: f64 = 1e-12;

/// A BERT encoder on libtorch with mean pooling and L2 normalisation (the sentence-transformers
/// recipe, as in [`super::candle::CandleBert`]).
pub struct TchBert {
    /// tch tensors are `Send` but not `Sync`; libtorch parallelises inside a batch, so one batch
    /// at a time is right.
    model: Mutex<BertModel<BertEmbeddings>>,
    dim: usize,
}

impl TchBert {
    /// Loads the model folder `dir`, with `adapter` merged into its weights; libtorch's kernels
    /// use `threads` CPU threads (a process-wide setting in libtorch).
    pub fn load(dir: &Path, threads: usize, adapter: Option<&Adapter>) -> Result<Self> {
        let checked = super::read_config(dir)?;
        if (checked.layer_norm_eps - RUST_BERT_LAYER_NORM_EPS).abs() > 1e-15 {
            return Err(Error::Unsupported(format!(
                "{}: layer_norm_eps is {}, but rust-bert's BERT fixes it at {RUST_BERT_LAYER_NORM_EPS}; use the candle or ort backend",
                dir.join("config.json").display(),
                checked.layer_norm_eps
            )));
        }
        let config_path = dir.join("config.json");
        let raw =
            std::fs::read_to_string(&config_path).map_err(|e| Error::reading(&config_path, e))?;
        let config: BertConfig = serde_json::from_str(&raw).map_err(|e| {
            Error::invalid_because(
                format!(
                    "{} is not a BERT config rust-bert reads",
                    config_path.display()
                ),
                e,
            )
        })?;
        let weights = dir.join("model.safetensors");
        if !weights.is_file() {
            return Err(Error::invalid(format!(
                "{}: no model.safetensors (PyTorch .bin weights are not read; convert them to safetensors)",
                dir.display()
            )));
        }
        let prefix = weight_prefix(&weights, checked.model_type.as_deref())?;

        tch::set_num_threads(i32::try_from(threads.max(1)).unwrap_or(i32::MAX));
        let mut store = VarStore::new(Device::Cpu);
        let root = store.root();
        let path = match &prefix {
            Some(prefix) => &root / prefix,
            None => root,
        };
        // No pooler: embeddings are mean-pooled, and sentence-transformers folders may lack it.
        let model = BertModel::<BertEmbeddings>::new_with_optional_pooler(path, &config, false);
        store.load(&weights).map_err(|e| {
            Error::invalid_because(
                format!("{} does not hold BERT weights", weights.display()),
                e,
            )
        })?;
        if let Some(adapter) = adapter {
            copy_adapted(&mut store, prefix.as_deref(), dir, adapter)?;
        }
        store.freeze();
        Ok(TchBert {
            model: Mutex::new(model),
            dim: checked.hidden_size,
        })
    }
}

/// Overwrites the weights `adapter` changes with their merged values.
fn copy_adapted(
    store: &mut VarStore,
    prefix: Option<&str>,
    dir: &Path,
    adapter: &Adapter,
) -> Result<()> {
    let merged = load_weights(dir, Some(adapter))?;
    let mut variables = store.variables();
    for (name, _) in &adapter.deltas {
        let key = prefix.map_or_else(|| name.clone(), |p| format!("{p}.{name}"));
        let value = merged
            .get(&key)
            .or_else(|| merged.get(name))
            .ok_or_else(|| Error::invalid(format!("the merged weights lack {name}")))?;
        let target = variables
            .get_mut(&key)
            .ok_or_else(|| Error::invalid(format!("rust-bert's BERT has no weight {key}")))?;
        let values = value.flatten_all()?.to_vec1::<f32>()?;
        let source = Tensor::from_slice(&values).view(target.size().as_slice());
        tch::no_grad(|| target.copy_(&source));
    }
    Ok(())
}

/// Where the BERT weights sit in the safetensors file: at the root (sentence-transformers
/// folders), under `bert.` (a `BertFor...` checkpoint), or under the model type. Only the file's
/// header is read.
fn weight_prefix(weights: &Path, model_type: Option<&str>) -> Result<Option<String>> {
    use std::io::Read;
    let context = |e: std::io::Error| Error::Io {
        action: "reading the header of",
        path: weights.to_path_buf(),
        source: e,
    };
    let mut file = std::fs::File::open(weights).map_err(context)?;
    let mut len = [0u8; 8];
    file.read_exact(&mut len).map_err(context)?;
    let len = usize::try_from(u64::from_le_bytes(len))
        .ok()
        .filter(|&n| n <= 100 << 20)
        .ok_or_else(|| Error::invalid(format!("{}: not a safetensors file", weights.display())))?;
    let mut header = vec![0u8; len];
    file.read_exact(&mut header).map_err(context)?;
    let header: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&header)
        .map_err(|e| {
            Error::invalid_because(format!("reading the header of {}", weights.display()), e)
        })?;
    let has =
        |prefix: &str| header.contains_key(&format!("{prefix}embeddings.word_embeddings.weight"));
    if has("") {
        Ok(None)
    } else if let Some(prefix) = ["bert"]
        .into_iter()
        .chain(model_type)
        .find(|p| has(&format!("{p}.")))
    {
        Ok(Some(prefix.to_string()))
    } else {
        Err(Error::invalid(format!(
            "{} does not hold BERT weights (no embeddings.word_embeddings.weight)",
            weights.display()
        )))
    }
}

impl Encoder for TchBert {
    fn name(&self) -> &str {
        "rust-bert"
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn embed(&self, batch: &[Vec<u32>]) -> Result<Vec<Vec<f32>>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let padded = Padded::<i64>::new(batch);
        let shape = [batch.len() as i64, padded.len as i64];
        let ids = Tensor::from_slice(&padded.ids).view(shape);
        let mask = Tensor::from_slice(&padded.mask).view(shape);
        let types = ids.zeros_like();
        let model = self.model.lock().map_err(|_| {
            Error::Backend("the rust-bert encoder panicked in an earlier batch".into())
        })?;
        let pooled = tch::no_grad(|| -> Result<Tensor> {
            let hidden = model
                .forward_t(
                    Some(&ids),
                    Some(&mask),
                    Some(&types),
                    None,
                    None,
                    None,
                    None,
                    false,
                )?
                .hidden_state;
            // Mean over real tokens, then L2-normalise.
            let mask = mask.to_kind(Kind::Float).unsqueeze(2);
            let summed = (hidden * &mask).sum_dim_intlist(1, false, Kind::Float);
            let counts = mask.sum_dim_intlist(1, false, Kind::Float).clamp_min(1e-9);
            let mean = summed / counts;
            let norm = mean
                .square()
                .sum_dim_intlist(1, true, Kind::Float)
                .sqrt()
                .clamp_min(1e-12);
            Ok(mean / norm)
        })?;
        let flat = Vec::<f32>::try_from(pooled.contiguous().view(-1))?;
        Ok(flat.chunks(self.dim).map(<[f32]>::to_vec).collect())
    }
}
