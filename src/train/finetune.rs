//! Fine-tuning the encoder on labelled quotes: LoRA on every linear layer of the transformer,
//! plus its biases and layer norms (BitFit), trained with candle's autograd through a stance and
//! a sentiment head on the mean-pooled embedding. The result is an [`Adapter`]: about a megabyte
//! that every backend merges into the base weights at load time.
//!
//! The forward pass is written out here rather than taken from candle-transformers: its BERT uses
//! candle-nn's fused layer norm, which has no backward pass (candle issues #2977, #2168), so
//! gradients silently stop at the first layer norm and only the head would learn. This module
//! uses the slow, differentiable layer norm, and a test checks that every trainable tensor gets a
//! gradient.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use candle_core::{D, DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use candle_transformers::models::bert::Config;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::classify::encoder::TextTokenizer;
use crate::classify::encoder::adapter::{Adapter, Delta};
pub use crate::classify::heads::card::{FineTuneOptions, FineTuneReport};

/// Logits are `SCALE · cos`-like products of the unit-length embedding and the head's rows,
/// so that a head of modest norm can be confident.
const HEAD_SCALE: f64 = 10.0;

/// One labelled training text: token ids and class indices for the two tasks.
#[derive(Clone, Debug)]
pub struct Sample {
    pub ids: Vec<u32>,
    pub stance: u32,
    pub sentiment: u32,
}

/// A linear layer with frozen base weight, a trainable bias and an optional LoRA update.
struct Linear {
    name: String,
    weight: Tensor,
    bias: Var,
    base_bias: Tensor,
    lora: Option<(Var, Var)>,
    scale: f64,
}

impl Linear {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (b, t, input) = x.dims3()?;
        let flat = x.reshape((b * t, input))?;
        let mut y = flat.matmul(&self.weight.t()?)?;
        if let Some((a, lb)) = &self.lora {
            let update = flat
                .matmul(&a.as_tensor().t()?)?
                .matmul(&lb.as_tensor().t()?)?;
            y = (y + update.affine(self.scale, 0.0)?)?;
        }
        let y = y.broadcast_add(self.bias.as_tensor())?;
        Ok(y.reshape((b, t, ()))?)
    }
}

/// A layer norm with trainable gain and shift.
struct Norm {
    name: String,
    weight: Var,
    bias: Var,
    base_weight: Tensor,
    base_bias: Tensor,
    eps: f32,
}

impl Norm {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(candle_nn::ops::layer_norm_slow(
            x,
            self.weight.as_tensor(),
            self.bias.as_tensor(),
            self.eps,
        )?)
    }
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    intermediate: Linear,
    output: Linear,
    output_norm: Norm,
}

/// BERT with frozen embeddings and adaptable transformer layers, for training.
pub struct TrainableBert {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    heads: usize,
    /// Training heads on the pooled embedding: `[labels, hidden]` weights and biases.
    stance: (Var, Var),
    sentiment: (Var, Var),
}

impl TrainableBert {
    /// Builds the model from a folder's config and weights, with zero-initialised LoRA `B`
    /// (training starts from the base model exactly) and heads for the given label counts.
    ///
    /// One piece on purpose: it reads the embeddings and each layer's tensors in the order of
    /// the checkpoint, wrapping each linear layer with its LoRA factors as it goes.
    pub fn new(
        config: &Config,
        weights: &HashMap<String, Tensor>,
        options: &FineTuneOptions,
        stance_labels: usize,
        sentiment_labels: usize,
    ) -> Result<Self> {
        let prefix = crate::classify::encoder::bert_prefix(|key| weights.contains_key(key))
            .context("not a BERT checkpoint: no embeddings.word_embeddings.weight")?;
        let get = |name: &str| -> Result<Tensor> {
            Ok(weights
                .get(&format!("{prefix}{name}"))
                .with_context(|| format!("missing weight {prefix}{name}"))?
                .to_dtype(DType::F32)?)
        };
        let mut rng = StdRng::seed_from_u64(options.seed);
        let eps = config.layer_norm_eps as f32;
        let norm = |name: &str| -> Result<Norm> {
            let base_weight = get(&format!("{name}.weight"))?;
            let base_bias = get(&format!("{name}.bias"))?;
            Ok(Norm {
                name: name.to_string(),
                weight: Var::from_tensor(&base_weight)?,
                bias: Var::from_tensor(&base_bias)?,
                base_weight,
                base_bias,
                eps,
            })
        };
        let mut linear = |name: &str| -> Result<Linear> {
            let weight = get(&format!("{name}.weight"))?;
            let base_bias = get(&format!("{name}.bias"))?;
            let (out, input) = weight.dims2()?;
            let lora = if options.rank > 0 {
                // A as in LoRA's reference code (Kaiming-uniform, bound 1/sqrt(in)); B zero.
                let bound = 1.0 / (input as f64).sqrt();
                let a: Vec<f32> = (0..options.rank * input)
                    .map(|_| rand::Rng::random_range(&mut rng, -bound..bound) as f32)
                    .collect();
                let a = Var::from_vec(a, (options.rank, input), &Device::Cpu)?;
                let b = Var::zeros((out, options.rank), DType::F32, &Device::Cpu)?;
                Some((a, b))
            } else {
                None
            };
            Ok(Linear {
                name: name.to_string(),
                weight,
                bias: Var::from_tensor(&base_bias)?,
                base_bias,
                lora,
                scale: options.alpha / options.rank.max(1) as f64,
            })
        };
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for i in 0..config.num_hidden_layers {
            let p = format!("encoder.layer.{i}");
            layers.push(Layer {
                query: linear(&format!("{p}.attention.self.query"))?,
                key: linear(&format!("{p}.attention.self.key"))?,
                value: linear(&format!("{p}.attention.self.value"))?,
                attention_out: linear(&format!("{p}.attention.output.dense"))?,
                attention_norm: norm(&format!("{p}.attention.output.LayerNorm"))?,
                intermediate: linear(&format!("{p}.intermediate.dense"))?,
                output: linear(&format!("{p}.output.dense"))?,
                output_norm: norm(&format!("{p}.output.LayerNorm"))?,
            });
        }
        let hidden = config.hidden_size;
        let head = |labels: usize| -> Result<(Var, Var)> {
            Ok((
                Var::zeros((labels, hidden), DType::F32, &Device::Cpu)?,
                Var::zeros(labels, DType::F32, &Device::Cpu)?,
            ))
        };
        Ok(TrainableBert {
            word: get("embeddings.word_embeddings.weight")?,
            position: get("embeddings.position_embeddings.weight")?,
            token_type: get("embeddings.token_type_embeddings.weight")?,
            embedding_norm: norm("embeddings.LayerNorm")?,
            layers,
            heads: config.num_attention_heads,
            stance: head(stance_labels)?,
            sentiment: head(sentiment_labels)?,
        })
    }

    fn linears(&self) -> impl Iterator<Item = &Linear> {
        self.layers.iter().flat_map(|l| {
            [
                &l.query,
                &l.key,
                &l.value,
                &l.attention_out,
                &l.intermediate,
                &l.output,
            ]
        })
    }

    fn norms(&self) -> impl Iterator<Item = &Norm> {
        std::iter::once(&self.embedding_norm).chain(
            self.layers
                .iter()
                .flat_map(|l| [&l.attention_norm, &l.output_norm]),
        )
    }

    /// The encoder's trainable tensors (LoRA factors, biases, layer norms).
    pub fn encoder_vars(&self) -> Vec<Var> {
        let mut vars = Vec::new();
        for l in self.linears() {
            vars.push(l.bias.clone());
            if let Some((a, b)) = &l.lora {
                vars.push(a.clone());
                vars.push(b.clone());
            }
        }
        for n in self.norms() {
            vars.push(n.weight.clone());
            vars.push(n.bias.clone());
        }
        vars
    }

    /// The two training heads' tensors.
    pub fn head_vars(&self) -> Vec<Var> {
        vec![
            self.stance.0.clone(),
            self.stance.1.clone(),
            self.sentiment.0.clone(),
            self.sentiment.1.clone(),
        ]
    }

    /// Mean-pooled, L2-normalised embeddings of a padded batch: `[batch, hidden]`.
    pub fn embed(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (b, t) = ids.dims2()?;
        let hidden = self.word.dim(1)?;
        let words = self
            .word
            .index_select(&ids.flatten_all()?, 0)?
            .reshape((b, t, hidden))?;
        let positions = self.position.narrow(0, 0, t)?.unsqueeze(0)?;
        let types = self.token_type.narrow(0, 0, 1)?.unsqueeze(0)?;
        let mut x = self
            .embedding_norm
            .forward(&words.broadcast_add(&positions)?.broadcast_add(&types)?)?;
        let maskf = mask.to_dtype(DType::F32)?;
        // Padding gets a large negative attention score.
        let attention_bias = ((maskf.clone() - 1.0)? * 10_000.0)?.reshape((b, 1, 1, t))?;
        let head_dim = hidden / self.heads;
        let split = |y: Tensor| -> Result<Tensor> {
            Ok(y.reshape((b, t, self.heads, head_dim))?
                .transpose(1, 2)?
                .contiguous()?)
        };
        for layer in &self.layers {
            let q = split(layer.query.forward(&x)?)?;
            let k = split(layer.key.forward(&x)?)?;
            let v = split(layer.value.forward(&x)?)?;
            let scores = (q.matmul(&k.t()?.contiguous()?)? / (head_dim as f64).sqrt())?
                .broadcast_add(&attention_bias)?;
            let probabilities = candle_nn::ops::softmax(&scores, D::Minus1)?;
            let context = probabilities
                .matmul(&v)?
                .transpose(1, 2)?
                .contiguous()?
                .reshape((b, t, hidden))?;
            let attended = layer
                .attention_norm
                .forward(&(layer.attention_out.forward(&context)? + &x)?)?;
            let inner = layer.intermediate.forward(&attended)?.gelu_erf()?;
            x = layer
                .output_norm
                .forward(&(layer.output.forward(&inner)? + &attended)?)?;
        }
        let weights = maskf.unsqueeze(2)?;
        let mean = x
            .broadcast_mul(&weights)?
            .sum(1)?
            .broadcast_div(&weights.sum(1)?.clamp(1e-9, f64::MAX)?)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        Ok(mean.broadcast_div(&norm)?)
    }

    /// Stance and sentiment logits from pooled embeddings.
    fn logits(&self, pooled: &Tensor) -> Result<(Tensor, Tensor)> {
        let head = |(w, b): &(Var, Var)| -> Result<Tensor> {
            Ok((pooled.matmul(&w.as_tensor().t()?)? * HEAD_SCALE)?.broadcast_add(b.as_tensor())?)
        };
        Ok((head(&self.stance)?, head(&self.sentiment)?))
    }

    /// Summed cross-entropy of both tasks on one batch.
    pub fn loss(&self, batch: &[&Sample]) -> Result<Tensor> {
        let sequences: Vec<Vec<u32>> = batch.iter().map(|s| s.ids.clone()).collect();
        let padded = crate::classify::encoder::Padded::<u32>::new(&sequences);
        let shape = (batch.len(), padded.len);
        let ids = Tensor::from_vec(padded.ids, shape, &Device::Cpu)?;
        let mask = Tensor::from_vec(padded.mask, shape, &Device::Cpu)?;
        let pooled = self.embed(&ids, &mask)?;
        let (stance, sentiment) = self.logits(&pooled)?;
        let target = |f: fn(&Sample) -> u32| {
            Tensor::from_vec(
                batch.iter().map(|s| f(s)).collect::<Vec<u32>>(),
                batch.len(),
                &Device::Cpu,
            )
        };
        let stance_loss = candle_nn::loss::cross_entropy(&stance, &target(|s| s.stance)?)?;
        let sentiment_loss = candle_nn::loss::cross_entropy(&sentiment, &target(|s| s.sentiment)?)?;
        Ok((stance_loss + sentiment_loss)?)
    }

    /// The change training made to the encoder, as an adapter.
    pub fn adapter(&self) -> Result<Adapter> {
        let mut deltas = Vec::new();
        for l in self.linears() {
            if let Some((a, b)) = &l.lora {
                deltas.push((
                    format!("{}.weight", l.name),
                    Delta::LowRank {
                        a: a.as_tensor().copy()?,
                        b: b.as_tensor().affine(l.scale, 0.0)?,
                    },
                ));
            }
            deltas.push((
                format!("{}.bias", l.name),
                Delta::Dense((l.bias.as_tensor() - &l.base_bias)?),
            ));
        }
        for n in self.norms() {
            deltas.push((
                format!("{}.weight", n.name),
                Delta::Dense((n.weight.as_tensor() - &n.base_weight)?),
            ));
            deltas.push((
                format!("{}.bias", n.name),
                Delta::Dense((n.bias.as_tensor() - &n.base_bias)?),
            ));
        }
        Ok(Adapter::new(deltas)?)
    }
}

/// Fine-tunes the encoder in model folder `dir` on `samples`; returns the adapter and a report.
/// Deterministic for a given seed: batches are shuffled by a seeded generator.
///
/// One piece on purpose: the training loop (schedule, batches, both losses, the optimiser step,
/// the epoch report) shares its state at every step.
pub fn fine_tune(
    dir: &Path,
    samples: &[Sample],
    labels: (usize, usize),
    options: &FineTuneOptions,
    progress: bool,
) -> Result<(Adapter, FineTuneReport)> {
    if samples.is_empty() {
        bail!("no training samples");
    }
    let started = std::time::Instant::now();
    let config = crate::classify::encoder::read_config(dir)?;
    let weights = crate::classify::encoder::adapter::load_weights(dir, None)?;
    let model = TrainableBert::new(&config, &weights, options, labels.0, labels.1)?;
    drop(weights);
    let params = |lr| ParamsAdamW {
        lr,
        weight_decay: 0.0,
        ..ParamsAdamW::default()
    };
    let mut encoder_opt = AdamW::new(model.encoder_vars(), params(options.learning_rate))?;
    let mut head_opt = AdamW::new(model.head_vars(), params(options.head_learning_rate))?;
    let mut rng = StdRng::seed_from_u64(options.seed);
    let batch_size = options.batch_size.max(1);
    let per_epoch = samples.len().div_ceil(batch_size);
    let total = per_epoch * options.epochs;
    let warmup = (total / 10).max(1);
    let bar = if progress {
        indicatif::ProgressBar::new(total as u64).with_style(
            indicatif::ProgressStyle::with_template(
                "fine-tuning {bar:30} {pos}/{len} steps, {eta} left, {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut step = 0usize;
    let mut epoch_losses = Vec::new();
    for _ in 0..options.epochs {
        let batches = length_bucketed_batches(samples, batch_size, &mut rng);
        let mut sum = 0.0;
        for batch in &batches {
            step += 1;
            // Linear warm-up, then linear decay to zero.
            let factor = if step <= warmup {
                step as f64 / warmup as f64
            } else {
                (total - step) as f64 / (total - warmup).max(1) as f64
            };
            encoder_opt.set_learning_rate(options.learning_rate * factor);
            head_opt.set_learning_rate(options.head_learning_rate * factor);
            let loss = model.loss(batch)?;
            let grads = loss.backward()?;
            encoder_opt.step(&grads)?;
            head_opt.step(&grads)?;
            let value = f64::from(loss.to_scalar::<f32>()?);
            if !value.is_finite() {
                bail!(
                    "fine-tuning diverged at step {step} (loss {value}); try a lower learning rate"
                );
            }
            sum += value;
            bar.set_message(format!("loss {value:.3}"));
            bar.inc(1);
        }
        epoch_losses.push(sum / batches.len() as f64);
        if progress {
            let line = format!(
                "epoch {}: mean training loss {:.4}, {:.0}s",
                epoch_losses.len(),
                sum / batches.len() as f64,
                started.elapsed().as_secs_f64()
            );
            if bar.is_hidden() {
                eprintln!("{line}");
            } else {
                bar.println(line);
            }
        }
    }
    bar.finish_and_clear();
    let adapter = model.adapter()?;
    let report = FineTuneReport {
        options: options.clone(),
        steps: step,
        epoch_losses,
        seconds: started.elapsed().as_secs_f64(),
        adapter_sha256: adapter.sha256.clone(),
        train_files_sha256: Vec::new(),
        examples: samples.len(),
    };
    Ok((adapter, report))
}

/// Batches of similar length (less padding, so faster steps) in a shuffled order: samples are
/// shuffled, cut into pools of 50 batches, sorted by length within a pool, batched, and the
/// batches shuffled.
fn length_bucketed_batches<'s>(
    samples: &'s [Sample],
    batch_size: usize,
    rng: &mut StdRng,
) -> Vec<Vec<&'s Sample>> {
    let mut order: Vec<&Sample> = samples.iter().collect();
    order.shuffle(rng);
    let mut batches = Vec::new();
    for pool in order.chunks_mut(batch_size * 50) {
        pool.sort_by_key(|s| s.ids.len());
        batches.extend(pool.chunks(batch_size).map(<[&Sample]>::to_vec));
    }
    batches.shuffle(rng);
    batches
}

/// Tokenises texts for training, truncated at the options' length.
pub fn tokenize(dir: &Path, texts: &[&str], max_tokens: usize) -> Result<Vec<Vec<u32>>> {
    Ok(TextTokenizer::from_folder(dir, max_tokens)?.encode(texts)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// config.json of a two-layer BERT small enough to train in a unit test.
    fn tiny_config() -> serde_json::Value {
        serde_json::json!({
            "vocab_size": 30, "hidden_size": 8, "num_hidden_layers": 2,
            "num_attention_heads": 2, "intermediate_size": 16, "hidden_act": "gelu",
            "hidden_dropout_prob": 0.0, "max_position_embeddings": 16, "type_vocab_size": 2,
            "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0,
            "classifier_dropout": null, "model_type": "bert"
        })
    }

    /// That BERT with random weights.
    fn tiny() -> (Config, HashMap<String, Tensor>) {
        let config: Config = serde_json::from_value(tiny_config()).unwrap();
        let mut rng = StdRng::seed_from_u64(7);
        let mut weights = HashMap::new();
        let mut add = |name: String, shape: &[usize], fill: Option<f32>| {
            let n: usize = shape.iter().product();
            let values: Vec<f32> = (0..n)
                .map(|_| fill.unwrap_or_else(|| rand::Rng::random_range(&mut rng, -0.5..0.5)))
                .collect();
            weights.insert(name, Tensor::from_vec(values, shape, &Device::Cpu).unwrap());
        };
        add("embeddings.word_embeddings.weight".into(), &[30, 8], None);
        add(
            "embeddings.position_embeddings.weight".into(),
            &[16, 8],
            None,
        );
        add(
            "embeddings.token_type_embeddings.weight".into(),
            &[2, 8],
            None,
        );
        add("embeddings.LayerNorm.weight".into(), &[8], Some(1.0));
        add("embeddings.LayerNorm.bias".into(), &[8], Some(0.0));
        for i in 0..2 {
            let p = format!("encoder.layer.{i}");
            for (name, out, input) in [
                ("attention.self.query", 8, 8),
                ("attention.self.key", 8, 8),
                ("attention.self.value", 8, 8),
                ("attention.output.dense", 8, 8),
                ("intermediate.dense", 16, 8),
                ("output.dense", 8, 16),
            ] {
                add(format!("{p}.{name}.weight"), &[out, input], None);
                add(format!("{p}.{name}.bias"), &[out], None);
            }
            for name in ["attention.output.LayerNorm", "output.LayerNorm"] {
                add(format!("{p}.{name}.weight"), &[8], Some(1.0));
                add(format!("{p}.{name}.bias"), &[8], Some(0.0));
            }
        }
        (config, weights)
    }

    /// The trainable model on `tiny()` weights with LoRA of `rank`, for 3 stance and 2 sentiment
    /// labels.
    fn tiny_model(
        config: &Config,
        weights: &HashMap<String, Tensor>,
        rank: usize,
    ) -> TrainableBert {
        let options = FineTuneOptions {
            rank,
            ..FineTuneOptions::default()
        };
        TrainableBert::new(config, weights, &options, 3, 2).unwrap()
    }

    /// AdamW over all of a model's trainable tensors, without weight decay.
    fn optimizer(model: &TrainableBert, lr: f64) -> AdamW {
        let vars = model.encoder_vars().into_iter().chain(model.head_vars());
        let params = ParamsAdamW {
            lr,
            weight_decay: 0.0,
            ..ParamsAdamW::default()
        };
        AdamW::new(vars.collect(), params).unwrap()
    }

    fn samples() -> Vec<Sample> {
        (0..8)
            .map(|i| Sample {
                ids: (0..3 + i % 4)
                    .map(|k| ((i * 7 + k * 3) % 29 + 1) as u32)
                    .collect(),
                stance: (i % 3) as u32,
                sentiment: (i % 2) as u32,
            })
            .collect()
    }

    #[test]
    fn every_trainable_tensor_gets_a_gradient() {
        let (config, weights) = tiny();
        let model = tiny_model(&config, &weights, 2);
        // Two steps first: the zero-initialised heads block all encoder gradients in the first,
        // LoRA's zero-initialised B blocks A's in the second.
        let mut opt = optimizer(&model, 1e-2);
        let data = samples();
        let batch: Vec<&Sample> = data.iter().collect();
        for _ in 0..2 {
            opt.backward_step(&model.loss(&batch).unwrap()).unwrap();
        }
        let grads = model.loss(&batch).unwrap().backward().unwrap();
        let vars = model.encoder_vars();
        // 2 layers × 6 linears × (bias, A, B) + 5 norms × 2.
        assert_eq!(vars.len(), 2 * 6 * 3 + 5 * 2);
        for (k, var) in vars.iter().chain(&model.head_vars()).enumerate() {
            let grad = grads
                .get(var.as_tensor())
                .unwrap_or_else(|| panic!("trainable tensor {k} got no gradient"));
            let norm = grad
                .sqr()
                .unwrap()
                .sum_all()
                .unwrap()
                .to_scalar::<f32>()
                .unwrap();
            assert!(norm > 0.0, "trainable tensor {k} got a zero gradient");
        }
    }

    #[test]
    fn the_gradient_matches_finite_differences() {
        let (config, weights) = tiny();
        let model = tiny_model(&config, &weights, 0);
        let data = samples();
        let batch: Vec<&Sample> = data.iter().collect();
        // Make the heads non-zero so that the encoder's gradient is not zero.
        for (k, var) in model.head_vars().iter().enumerate() {
            let shape = var.as_tensor().shape().clone();
            let n = shape.elem_count();
            let values: Vec<f32> = (0..n)
                .map(|i| ((i * 13 + k) % 7) as f32 * 0.1 - 0.3)
                .collect();
            var.set(&Tensor::from_vec(values, shape, &Device::Cpu).unwrap())
                .unwrap();
        }
        // The first layer's attention-norm shift: a tensor deep behind the fused-norm trap.
        let var = model.layers[0].attention_norm.bias.clone();
        let grads = model.loss(&batch).unwrap().backward().unwrap();
        let analytic = grads
            .get(var.as_tensor())
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let base = var.as_tensor().to_vec1::<f32>().unwrap();
        let h = 1e-2f32;
        for i in 0..base.len() {
            let at = |delta: f32| {
                let mut v = base.clone();
                v[i] += delta;
                var.set(&Tensor::new(v, &Device::Cpu).unwrap()).unwrap();
                model.loss(&batch).unwrap().to_scalar::<f32>().unwrap()
            };
            let numeric = (at(h) - at(-h)) / (2.0 * h);
            var.set(&Tensor::new(base.clone(), &Device::Cpu).unwrap())
                .unwrap();
            assert!(
                (numeric - analytic[i]).abs() < 1e-2 + 0.05 * analytic[i].abs(),
                "component {i}: finite difference {numeric}, backprop {}",
                analytic[i]
            );
        }
    }

    #[test]
    fn training_lowers_the_loss_and_the_adapter_reproduces_the_trained_encoder() {
        let (config, weights) = tiny();
        let model = tiny_model(&config, &weights, 2);
        let data = samples();
        let batch: Vec<&Sample> = data.iter().collect();
        let before = model.loss(&batch).unwrap().to_scalar::<f32>().unwrap();
        let mut opt = optimizer(&model, 2e-2);
        for _ in 0..30 {
            opt.backward_step(&model.loss(&batch).unwrap()).unwrap();
        }
        let after = model.loss(&batch).unwrap().to_scalar::<f32>().unwrap();
        assert!(after < before * 0.5, "loss {before} -> {after}");

        // Merging the adapter into the base weights gives the trained encoder's embeddings.
        let adapter = model.adapter().unwrap();
        let mut merged = weights.clone();
        adapter.apply(&mut merged).unwrap();
        let plain = tiny_model(&config, &merged, 0);
        let ids = Tensor::new(&[[3u32, 5, 7, 0]], &Device::Cpu).unwrap();
        let mask = Tensor::new(&[[1u32, 1, 1, 0]], &Device::Cpu).unwrap();
        let trained = model.embed(&ids, &mask).unwrap().to_vec2::<f32>().unwrap();
        let reloaded = plain.embed(&ids, &mask).unwrap().to_vec2::<f32>().unwrap();
        for (a, b) in trained[0].iter().zip(&reloaded[0]) {
            assert!((a - b).abs() < 1e-4, "{a} vs {b}");
        }
        let untouched = tiny_model(&config, &weights, 2);
        let original = untouched
            .embed(&ids, &mask)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        let moved: f32 = original[0]
            .iter()
            .zip(&trained[0])
            .map(|(a, b)| (a - b).abs())
            .sum();
        assert!(moved > 1e-3, "training did not change the encoder");
    }

    #[test]
    fn fine_tuning_is_deterministic_for_a_seed() {
        let (_, weights) = tiny();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.json"), tiny_config().to_string()).unwrap();
        candle_core::safetensors::save(&weights, dir.path().join("model.safetensors")).unwrap();
        let data = samples();
        let run = |seed: u64| {
            let options = FineTuneOptions {
                epochs: 2,
                batch_size: 3,
                rank: 2,
                seed,
                ..FineTuneOptions::default()
            };
            fine_tune(dir.path(), &data, (3, 2), &options, false).unwrap()
        };
        let (first, report) = run(5);
        assert_eq!(report.steps, 6, "8 samples in batches of 3, twice");
        assert_eq!(report.epoch_losses.len(), 2);
        assert_eq!(run(5).0.sha256, first.sha256, "same seed, same adapter");
        assert_ne!(
            run(6).0.sha256,
            first.sha256,
            "another seed, another adapter"
        );
    }
}
