//! Encoder adapters: the small weight change that fine-tuning makes, kept apart from the base
//! model so that `models/` ships about a megabyte instead of a second 90 MB encoder.
//!
//! An adapter holds, per BERT weight it touches, either a low-rank update (LoRA: `W + B·A`, the
//! scale folded into `B`) or a dense additive delta (biases and layer norms). Every backend merges
//! it into the base weights at load time ([`Adapter::apply`]), so the forward pass and its speed
//! are the base model's, and int8 quantisation sees the merged weights.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{DType, Device, Tensor};

use crate::classify::{Error, Result};

/// The file an adapter is saved in, next to the heads.
pub const FILE: &str = "encoder-adapter.safetensors";

const LORA_A: &str = ".lora_a";
const LORA_B: &str = ".lora_b";
const DELTA: &str = ".delta";

/// A change to one named weight.
#[derive(Clone, Debug)]
pub enum Delta {
    /// `W + b·a`: `a` is `[rank, in]`, `b` is `[out, rank]`, scale already applied.
    LowRank { a: Tensor, b: Tensor },
    /// `W + delta`, same shape as `W`.
    Dense(Tensor),
}

impl Delta {
    /// The change as a dense tensor of the weight's shape.
    pub fn dense(&self) -> Result<Tensor> {
        Ok(match self {
            Delta::Dense(d) => d.clone(),
            Delta::LowRank { a, b } => b.matmul(a)?,
        })
    }
}

/// Weight deltas keyed by BERT weight name without any checkpoint prefix
/// (`encoder.layer.0.attention.self.query.weight`).
#[derive(Clone, Debug)]
pub struct Adapter {
    pub deltas: Vec<(String, Delta)>,
    /// sha256 of the serialised adapter: names it in caches and model cards.
    pub sha256: String,
}

impl Adapter {
    /// An adapter from deltas (the fingerprint is that of its serialised form).
    pub fn new(deltas: Vec<(String, Delta)>) -> Result<Self> {
        let mut adapter = Adapter {
            deltas,
            sha256: String::new(),
        };
        adapter.sha256 = crate::fs::sha256_hex(&adapter.to_bytes()?);
        Ok(adapter)
    }

    /// Reads an adapter file.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::reading(path, e))?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    /// Parses a serialised adapter; `origin` names it in errors.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Self> {
        let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu).map_err(|e| {
            Error::invalid_because(format!("{origin} is not a safetensors file"), e)
        })?;
        let mut names: Vec<&String> = tensors.keys().collect();
        names.sort();
        let mut deltas = Vec::new();
        for name in names {
            let tensor = tensors[name].to_dtype(DType::F32)?;
            if let Some(weight) = name.strip_suffix(DELTA) {
                deltas.push((weight.to_string(), Delta::Dense(tensor)));
            } else if let Some(weight) = name.strip_suffix(LORA_A) {
                let b = tensors
                    .get(&format!("{weight}{LORA_B}"))
                    .ok_or_else(|| {
                        Error::invalid(format!("{origin}: {name} has no matching {weight}{LORA_B}"))
                    })?
                    .to_dtype(DType::F32)?;
                let (rank, _) = tensor.dims2()?;
                let (_, rank_b) = b.dims2()?;
                if rank != rank_b {
                    return Err(Error::invalid(format!(
                        "{origin}: {weight} has LoRA ranks {rank} and {rank_b}"
                    )));
                }
                deltas.push((weight.to_string(), Delta::LowRank { a: tensor, b }));
            } else if !name.ends_with(LORA_B) {
                return Err(Error::invalid(format!(
                    "{origin}: unexpected tensor {name}"
                )));
            }
        }
        if deltas.is_empty() {
            return Err(Error::invalid(format!(
                "{origin}: an adapter without deltas"
            )));
        }
        Ok(Adapter {
            deltas,
            sha256: crate::fs::sha256_hex(bytes),
        })
    }

    /// The safetensors form of the adapter.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut tensors: Vec<(String, Tensor)> = Vec::new();
        for (name, delta) in &self.deltas {
            match delta {
                Delta::Dense(d) => tensors.push((format!("{name}{DELTA}"), d.clone())),
                Delta::LowRank { a, b } => {
                    tensors.push((format!("{name}{LORA_A}"), a.clone()));
                    tensors.push((format!("{name}{LORA_B}"), b.clone()));
                }
            }
        }
        tensors.sort_by(|x, y| x.0.cmp(&y.0));
        let data = tensors
            .iter()
            .map(|(name, t)| Ok((name.clone(), t.dims().to_vec(), t.flatten_all()?.to_vec1()?)))
            .collect::<Result<Vec<_>>>()?;
        crate::fs::f32_safetensors(&data, "quotestance-adapter")
            .map_err(|e| Error::invalid_because("serialising the encoder adapter", e))
    }

    /// Writes the adapter to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::fs::write_atomic(path, &self.to_bytes()?).map_err(|e| Error::Io {
            action: "writing",
            path: path.to_path_buf(),
            source: e,
        })
    }

    /// Adds the deltas to the base weights in place. Weight names may carry a checkpoint prefix
    /// ([`super::bert_prefix`]); a missing weight or a shape that does not fit is an error,
    /// since the adapter then belongs to another model.
    pub fn apply(&self, weights: &mut HashMap<String, Tensor>) -> Result<()> {
        let prefix = super::bert_prefix(|key| weights.contains_key(key))
            .ok_or_else(|| Error::invalid("the encoder's weights are not a BERT checkpoint's"))?;
        for (name, delta) in &self.deltas {
            let key = format!("{prefix}{name}");
            if !weights.contains_key(&key) {
                return Err(Error::invalid(format!(
                    "the encoder has no weight {name}: the adapter was made for another model"
                )));
            }
            let base = &weights[&key];
            let change = delta.dense()?;
            if change.dims() != base.dims() {
                return Err(Error::invalid(format!(
                    "the adapter changes {name} as {:?} but the encoder's is {:?}: the adapter was made for another model",
                    change.dims(),
                    base.dims()
                )));
            }
            let merged = (base.to_dtype(DType::F32)? + change)?;
            weights.insert(key, merged);
        }
        Ok(())
    }
}

/// Reads a model folder's `model.safetensors` into memory, with `adapter` merged in if given.
pub fn load_weights(dir: &Path, adapter: Option<&Adapter>) -> Result<HashMap<String, Tensor>> {
    let path = dir.join("model.safetensors");
    if !path.is_file() {
        return Err(Error::invalid(format!(
            "{}: no model.safetensors (PyTorch .bin weights are not read; convert them to safetensors)",
            dir.display()
        )));
    }
    let mut weights = candle_core::safetensors::load(&path, &Device::Cpu)
        .map_err(|e| Error::invalid_because(format!("reading {}", path.display()), e))?;
    if let Some(adapter) = adapter {
        adapter.apply(&mut weights).map_err(|e| {
            Error::invalid_because(
                format!("applying the encoder adapter to {}", path.display()),
                e,
            )
        })?;
    }
    Ok(weights)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(values: &[f32], shape: &[usize]) -> Tensor {
        Tensor::from_vec(values.to_vec(), shape, &Device::Cpu).unwrap()
    }

    #[test]
    fn low_rank_and_dense_deltas_merge_and_round_trip() {
        let adapter = Adapter::new(vec![
            (
                "encoder.w.weight".into(),
                Delta::LowRank {
                    a: tensor(&[1.0, 2.0], &[1, 2]),
                    b: tensor(&[3.0, 4.0], &[2, 1]),
                },
            ),
            (
                "encoder.w.bias".into(),
                Delta::Dense(tensor(&[0.5, -0.5], &[2])),
            ),
        ])
        .unwrap();
        let again = Adapter::from_bytes(&adapter.to_bytes().unwrap(), "test").unwrap();
        assert_eq!(again.sha256, adapter.sha256);
        let mut weights = HashMap::from([
            (
                "bert.encoder.w.weight".to_string(),
                tensor(&[0.0; 4], &[2, 2]),
            ),
            ("bert.encoder.w.bias".to_string(), tensor(&[1.0, 1.0], &[2])),
            (
                "bert.embeddings.word_embeddings.weight".to_string(),
                tensor(&[0.0; 2], &[1, 2]),
            ),
        ]);
        again.apply(&mut weights).unwrap();
        let w = weights["bert.encoder.w.weight"].to_vec2::<f32>().unwrap();
        assert_eq!(w, vec![vec![3.0, 6.0], vec![4.0, 8.0]]);
        let b = weights["bert.encoder.w.bias"].to_vec1::<f32>().unwrap();
        assert_eq!(b, vec![1.5, 0.5]);
    }

    #[test]
    fn an_adapter_for_another_model_is_refused() {
        let adapter = Adapter::new(vec![(
            "encoder.w.bias".into(),
            Delta::Dense(tensor(&[1.0, 2.0, 3.0], &[3])),
        )])
        .unwrap();
        let embeddings = || {
            (
                "embeddings.word_embeddings.weight".to_string(),
                tensor(&[0.0; 2], &[1, 2]),
            )
        };
        let mut weights = HashMap::from([
            ("encoder.w.bias".to_string(), tensor(&[0.0; 2], &[2])),
            embeddings(),
        ]);
        let err = adapter.apply(&mut weights).unwrap_err().to_string();
        assert!(err.contains("another model"), "{err}");
        let mut other = HashMap::from([
            ("encoder.x.bias".to_string(), tensor(&[0.0; 3], &[3])),
            embeddings(),
        ]);
        let err = adapter.apply(&mut other).unwrap_err().to_string();
        assert!(err.contains("no weight encoder.w.bias"), "{err}");
        let mut not_bert = HashMap::from([("encoder.w.bias".to_string(), tensor(&[0.0; 3], &[3]))]);
        let err = adapter.apply(&mut not_bert).unwrap_err().to_string();
        assert!(err.contains("not a BERT checkpoint"), "{err}");
    }
}
