//! The candle backend: BERT-family encoders (BERT, MiniLM) in pure Rust, on the CPU.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::BertModel;

use super::{Encoder, Padded};
use crate::classify::encoder::adapter::{Adapter, load_weights};
use crate::classify::{Error, Result};

/// A BERT encoder with mean pooling and L2 normalisation (the sentence-transformers recipe).
pub struct CandleBert {
    model: BertModel,
    device: Device,
    dim: usize,
}

impl CandleBert {
    /// Loads the model folder `dir`, with `adapter` merged into its weights.
    pub fn load(dir: &Path, adapter: Option<&Adapter>) -> Result<Self> {
        let config = super::read_config(dir)?;
        let weights = dir.join("model.safetensors");
        let device = Device::Cpu;
        let vb = VarBuilder::from_tensors(load_weights(dir, adapter)?, DType::F32, &device);
        let model = BertModel::load(vb, &config).map_err(|e| {
            Error::invalid_because(
                format!("{} does not hold BERT weights", weights.display()),
                e,
            )
        })?;
        Ok(CandleBert {
            model,
            device,
            dim: config.hidden_size,
        })
    }
}

impl Encoder for CandleBert {
    fn name(&self) -> &str {
        "candle"
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn embed(&self, batch: &[Vec<u32>]) -> Result<Vec<Vec<f32>>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let padded = Padded::<u32>::new(batch);
        let shape = (batch.len(), padded.len);
        let ids = Tensor::from_vec(padded.ids, shape, &self.device)?;
        let mask = Tensor::from_vec(padded.mask, shape, &self.device)?;
        let types = ids.zeros_like()?;
        let hidden = self.model.forward(&ids, &types, Some(&mask))?;
        // Mean over real tokens, then L2-normalise.
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
        let mean = summed.broadcast_div(&counts)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        let normalised = mean.broadcast_div(&norm)?;
        Ok(normalised.to_vec2::<f32>()?)
    }
}
