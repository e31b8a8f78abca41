//! The ONNX Runtime backend.
//!
//! There is no exported `.onnx` file: the BERT graph is built in memory, with ONNX Runtime's Model
//! Editor API, from the same `model.safetensors` the candle backend reads, so any BERT-family
//! folder (the pinned MiniLM, a fine-tuned copy, a user's own) runs without an exporter or PyTorch.
//! The graph uses ONNX Runtime's fused CPU kernels (MultiHeadAttention, Gelu, and for int8
//! MatMulIntegerToFloat). With [`Precision::Int8`] every linear layer's weights are quantised to
//! int8 with one scale per output channel (per-tensor weight scales lose too much: cosine 0.94 to
//! fp32 where per-channel keeps 0.99), and activations are quantised on the fly, one scale per
//! token.

use std::collections::HashMap;
use std::fmt::Debug;
use std::path::Path;
use std::sync::Mutex;

use crate::classify::encoder::adapter::{Adapter, load_weights};
use crate::classify::{Error, Result};
use candle_core::DType;
use candle_transformers::models::bert::{Config, HiddenAct};
use ort::editor::{Graph, Model, Node, ONNX_DOMAIN, Opset};
use ort::environment::Environment;
use ort::memory::Allocator;
use ort::operator::Attribute;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::{
    Outlet, PrimitiveTensorElementType, Shape, SymbolicDimensions, Tensor, TensorElementType,
    ValueType,
};

use super::{Encoder, Padded};

/// Numeric precision of the linear layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Fp32,
    /// int8 weights, one scale per output channel; activations quantised per token.
    Int8,
}

impl Precision {
    pub fn label(self) -> &'static str {
        match self {
            Precision::Fp32 => "fp32",
            Precision::Int8 => "int8",
        }
    }
}

/// ONNX Runtime's contrib operator domain (MultiHeadAttention, Gelu, MatMulIntegerToFloat).
const MS_DOMAIN: &str = "com.microsoft";

/// A BERT encoder on ONNX Runtime with mean pooling and L2 normalisation.
///
/// Small batches of short texts parallelise poorly inside one session, so the threads are split
/// across several sessions that each run whole batches (data parallel), up to
/// [`MAX_SESSIONS`]; each session's own threads share what is left.
pub struct OrtBert {
    /// `Session::run` needs `&mut`: one batch per session at a time.
    sessions: Vec<Mutex<Session>>,
    dim: usize,
    name: String,
}

/// More sessions than this would each hold a copy of the weights for little gain.
pub const MAX_SESSIONS: usize = 4;

impl OrtBert {
    /// Builds the graph for the model folder `dir`, with `adapter` merged into its weights, and
    /// opens a session on it in `env`.
    pub fn load(
        env: &Environment,
        dir: &Path,
        precision: Precision,
        threads: usize,
        adapter: Option<&Adapter>,
    ) -> Result<Self> {
        let config = super::read_config(dir)?;
        let weights_path = dir.join("model.safetensors");
        let weights = Weights::new(load_weights(dir, adapter)?, &weights_path)?;
        let threads = threads.max(1);
        let count = threads.min(MAX_SESSIONS);
        let mut sessions = Vec::with_capacity(count);
        for k in 0..count {
            // Threads left over after an even split go to the first sessions.
            let own = threads / count + usize::from(k < threads % count);
            let model = build_model(&config, &weights, precision).map_err(|e| {
                Error::invalid_because(
                    format!("building the ONNX graph for {}", weights_path.display()),
                    e,
                )
            })?;
            let builder = Session::builder(env)?
                .with_optimization_level(GraphOptimizationLevel::Level3)
                .map_err(ort::Error::from)?
                .with_intra_threads(own)
                .map_err(ort::Error::from)?
                .with_inter_threads(1)
                .map_err(ort::Error::from)?
                // See `add_layer_norm`.
                .with_disabled_optimizers("SkipLayerNormFusion")
                .map_err(ort::Error::from)?;
            let session = model
                .into_session(&builder)
                .map_err(|e| Error::invalid_because("ONNX Runtime refused the graph", e))?;
            sessions.push(Mutex::new(session));
        }
        Ok(OrtBert {
            sessions,
            dim: config.hidden_size,
            name: format!("ort-{}", precision.label()),
        })
    }
    /// A free session, or the calling thread's own if all are busy.
    fn session(&self) -> Result<std::sync::MutexGuard<'_, Session>> {
        let poisoned =
            |_| Error::Backend("an ONNX Runtime session was poisoned by an earlier panic".into());
        for session in &self.sessions {
            if let Ok(guard) = session.try_lock() {
                return Ok(guard);
            }
        }
        let own = rayon::current_thread_index().unwrap_or(0) % self.sessions.len();
        self.sessions[own].lock().map_err(poisoned)
    }
}

impl Encoder for OrtBert {
    fn name(&self) -> &str {
        &self.name
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn parallel_batches(&self) -> usize {
        self.sessions.len()
    }

    fn embed(&self, batch: &[Vec<u32>]) -> Result<Vec<Vec<f32>>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let padded = Padded::<i64>::new(batch);
        let shape = [batch.len() as i64, padded.len as i64];
        let ids = Tensor::from_array((shape, padded.ids))?;
        let mask = Tensor::from_array((shape, padded.mask))?;
        let mut session = self.session()?;
        let outputs = session.run(ort::inputs!["input_ids" => ids, "attention_mask" => mask])?;
        let (_, flat) = outputs["embedding"].try_extract_tensor::<f32>()?;
        Ok(flat.chunks(self.dim).map(<[f32]>::to_vec).collect())
    }
}

/// The safetensors weights, with the `bert.` prefix some checkpoints carry resolved.
struct Weights {
    tensors: HashMap<String, candle_core::Tensor>,
    prefix: &'static str,
}

impl Weights {
    fn new(tensors: HashMap<String, candle_core::Tensor>, path: &Path) -> Result<Self> {
        let prefix = super::bert_prefix(|key| tensors.contains_key(key)).ok_or_else(|| {
            Error::invalid(format!(
                "{} has no embeddings.word_embeddings.weight: not a BERT checkpoint",
                path.display()
            ))
        })?;
        Ok(Weights { tensors, prefix })
    }

    /// A weight's shape and values as f32.
    fn get(&self, name: &str) -> Result<(Vec<usize>, Vec<f32>)> {
        let key = format!("{}{name}", self.prefix);
        let tensor = self
            .tensors
            .get(&key)
            .ok_or_else(|| Error::invalid(format!("missing weight {key}")))?;
        let values = tensor
            .to_dtype(DType::F32)?
            .flatten_all()?
            .to_vec1::<f32>()?;
        Ok((tensor.dims().to_vec(), values))
    }
}

/// Adds nodes and initialisers to a graph under unique names.
struct GraphBuilder<'w> {
    graph: Graph,
    weights: &'w Weights,
    precision: Precision,
    eps: f32,
    next: usize,
}

impl GraphBuilder<'_> {
    fn fresh(&mut self, hint: &str) -> String {
        self.next += 1;
        format!("{hint}_{}", self.next)
    }

    /// Adds one node with a single output and returns that output's name.
    fn node(
        &mut self,
        op: &str,
        domain: &str,
        inputs: &[&str],
        attributes: Vec<Attribute>,
    ) -> Result<String> {
        let out = self.fresh(op);
        self.graph.add_node(Node::new(
            op,
            domain,
            &out,
            inputs,
            [out.as_str()],
            attributes,
        )?)?;
        Ok(out)
    }

    /// Adds one node with `outputs` outputs and returns their names.
    fn node_n(
        &mut self,
        op: &str,
        domain: &str,
        inputs: &[&str],
        outputs: usize,
        attributes: Vec<Attribute>,
    ) -> Result<Vec<String>> {
        let node = self.fresh(op);
        let names: Vec<String> = (0..outputs).map(|k| format!("{node}:{k}")).collect();
        self.graph
            .add_node(Node::new(op, domain, &node, inputs, &names, attributes)?)?;
        Ok(names)
    }

    fn constant<T: PrimitiveTensorElementType + Copy + Debug>(
        &mut self,
        hint: &str,
        shape: &[usize],
        values: &[T],
    ) -> Result<String> {
        let name = self.fresh(hint);
        let dims: Vec<i64> = shape.iter().map(|&d| d as i64).collect();
        let mut tensor = Tensor::<T>::new(&Allocator::default(), dims)?;
        let (_, data) = tensor.extract_tensor_mut();
        if data.len() != values.len() {
            return Err(Error::invalid(format!(
                "{hint}: {} values for shape {shape:?}",
                values.len()
            )));
        }
        data.copy_from_slice(values);
        self.graph.add_initializer(&name, tensor, false)?;
        Ok(name)
    }

    fn ints(&mut self, hint: &str, values: &[i64]) -> Result<String> {
        self.constant(hint, &[values.len()], values)
    }

    /// `x · Wᵀ + b` for the PyTorch-layout linear layers `names` (weights `[out, in]`), which
    /// share the input `x`: their weights are stacked so that one matrix product computes all of
    /// them, outputs side by side on the last axis.
    fn linear(&mut self, x: &str, names: &[&str]) -> Result<String> {
        let (product, bias) = self.linear_without_bias(x, names)?;
        self.node("Add", ONNX_DOMAIN, &[&product, &bias], vec![])
    }

    /// `x · Wᵀ` and the name of the bias `b`, for a following kernel that adds the bias itself
    /// (attention): one pass over the output fewer.
    fn linear_without_bias(&mut self, x: &str, names: &[&str]) -> Result<(String, String)> {
        let (mut weight, mut bias, mut rows, mut cols) = (Vec::new(), Vec::new(), 0, 0);
        for name in names {
            let (shape, w) = self.weights.get(&format!("{name}.weight"))?;
            let (_, b) = self.weights.get(&format!("{name}.bias"))?;
            let [r, c] = shape[..] else {
                return Err(Error::invalid(format!(
                    "{name}.weight has shape {shape:?}, expected 2 dimensions"
                )));
            };
            if cols != 0 && c != cols {
                return Err(Error::invalid(format!(
                    "{name}.weight has {c} inputs, expected {cols}"
                )));
            }
            (rows, cols) = (rows + r, c);
            weight.extend(w);
            bias.extend(b);
        }
        let b = self.constant("bias", &[rows], &bias)?;
        let product = match self.precision {
            Precision::Fp32 => {
                let w = self.constant("weight", &[cols, rows], &transpose(&weight, rows, cols))?;
                self.node("MatMul", ONNX_DOMAIN, &[x, &w], vec![])?
            }
            Precision::Int8 => {
                let (quantised, scales) = quantise_per_row(&weight, rows, cols);
                let w = self.constant(
                    "weight_int8",
                    &[cols, rows],
                    &transpose(&quantised, rows, cols),
                )?;
                let s = self.constant("weight_scale", &[rows], &scales)?;
                self.int8_matmul(x, &w, &s, cols, rows)?
            }
        };
        Ok((product, b))
    }

    /// `LayerNorm(x + residual)`. (ONNX Runtime's fused SkipLayerNormalization was six times
    /// slower here than an Add and a LayerNormalization, so the session keeps it from fusing.)
    fn add_layer_norm(&mut self, x: &str, residual: &str, name: &str) -> Result<String> {
        let sum = self.node("Add", ONNX_DOMAIN, &[x, residual], vec![])?;
        self.layer_norm(&sum, name)
    }

    /// `x · W` with int8 weights `w` (`[cols, rows]`, scales `s` per output column) and
    /// activations quantised per token: each token (row of `x`) gets its own scale, from its own
    /// largest magnitude. So a text's result does not depend on the other texts in its batch, and
    /// a sharded run labels exactly like a whole one. (ONNX Runtime's fused DynamicQuantizeMatMul
    /// takes one scale for the whole batch: faster, but it changed 36 of 647 dev labels between
    /// batch sizes 1 and 16.)
    fn int8_matmul(
        &mut self,
        x: &str,
        w: &str,
        s: &str,
        cols: usize,
        rows: usize,
    ) -> Result<String> {
        let flat_shape = self.ints("shape", &[-1, cols as i64])?;
        let flat = self.node("Reshape", ONNX_DOMAIN, &[x, &flat_shape], vec![])?;
        let mut reduce = |op: &str| {
            self.node(
                op,
                ONNX_DOMAIN,
                &[&flat],
                vec![
                    Attribute::new("keepdims", 0i64)?,
                    Attribute::new("axes", vec![-1i64])?,
                ],
            )
        };
        let high = reduce("ReduceMax")?;
        let low = reduce("ReduceMin")?;
        let low = self.node("Neg", ONNX_DOMAIN, &[&low], vec![])?;
        let floor = self.constant("peak_floor", &[1], &[1e-6f32])?;
        let peak = self.node("Max", ONNX_DOMAIN, &[&high, &low, &floor], vec![])?;
        let per_level = self.constant("inv127", &[1], &[1.0f32 / 127.0])?;
        let step = self.node("Mul", ONNX_DOMAIN, &[&peak, &per_level], vec![])?;
        // uint8 with zero point 128 (the fast u8·s8 kernels); QuantizeLinear's per-row zero
        // points must have the scales' (dynamic) shape.
        let zero = self.constant("zero", &[1], &[0f32])?;
        let centre = self.constant("centre", &[1], &[128f32])?;
        let zeros = self.node("Mul", ONNX_DOMAIN, &[&step, &zero], vec![])?;
        let centres = self.node("Add", ONNX_DOMAIN, &[&zeros, &centre], vec![])?;
        let to_u8 = || Attribute::new("to", 2i64);
        let centres = self.node("Cast", ONNX_DOMAIN, &[&centres], vec![to_u8()?])?;
        let q = self.node(
            "QuantizeLinear",
            ONNX_DOMAIN,
            &[&flat, &step, &centres],
            vec![Attribute::new("axis", 0i64)?],
        )?;
        // The integer product, scaled per column by the weight scales inside the matrix
        // kernel, then per row by the token scales.
        let one = self.constant("one", &[], &[1f32])?;
        let centre_u8 = self.constant("centre_u8", &[], &[128u8])?;
        let product = self.node(
            "MatMulIntegerToFloat",
            MS_DOMAIN,
            &[&q, w, &one, s, &centre_u8],
            vec![],
        )?;
        let axis_1 = self.ints("axes", &[1])?;
        let step = self.node("Unsqueeze", ONNX_DOMAIN, &[&step, &axis_1], vec![])?;
        let product = self.node("Mul", ONNX_DOMAIN, &[&product, &step], vec![])?;
        // Back from [batch * seq, rows] to [batch, seq, rows].
        let leading = self.node(
            "Shape",
            ONNX_DOMAIN,
            &[x],
            vec![Attribute::new("end", 2i64)?],
        )?;
        let last = self.ints("rows", &[rows as i64])?;
        let shape = self.node(
            "Concat",
            ONNX_DOMAIN,
            &[&leading, &last],
            vec![Attribute::new("axis", 0i64)?],
        )?;
        self.node("Reshape", ONNX_DOMAIN, &[&product, &shape], vec![])
    }

    fn layer_norm(&mut self, x: &str, name: &str) -> Result<String> {
        let (shape, gamma) = self.weights.get(&format!("{name}.weight"))?;
        let (_, beta) = self.weights.get(&format!("{name}.bias"))?;
        let g = self.constant("ln_weight", &shape, &gamma)?;
        let b = self.constant("ln_bias", &shape, &beta)?;
        self.node(
            "LayerNormalization",
            ONNX_DOMAIN,
            &[x, &g, &b],
            vec![
                Attribute::new("axis", -1i64)?,
                Attribute::new("epsilon", self.eps)?,
            ],
        )
    }
}

/// A `[rows, cols]` row-major matrix as `[cols, rows]`.
fn transpose<T: Copy + Default>(m: &[T], rows: usize, cols: usize) -> Vec<T> {
    let mut out = vec![T::default(); rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = m[r * cols + c];
        }
    }
    out
}

/// Symmetric int8 quantisation of a `[rows, cols]` matrix with one scale per row (per output
/// channel of a linear layer).
fn quantise_per_row(weight: &[f32], rows: usize, cols: usize) -> (Vec<i8>, Vec<f32>) {
    let mut quantised = Vec::with_capacity(rows * cols);
    let mut scales = Vec::with_capacity(rows);
    for row in weight.chunks(cols).take(rows) {
        let peak = row.iter().fold(0f32, |m, &w| m.max(w.abs()));
        let step = if peak > 0.0 { peak / 127.0 } else { 1.0 };
        quantised.extend(
            row.iter()
                .map(|&w| (w / step).round().clamp(-127.0, 127.0) as i8),
        );
        scales.push(step);
    }
    (quantised, scales)
}

fn tensor_type(ty: TensorElementType, dims: &[&str]) -> ValueType {
    ValueType::Tensor {
        ty,
        shape: Shape::new(dims.iter().map(|_| -1i64)),
        dimension_symbols: SymbolicDimensions::new(dims.iter().map(|d| d.to_string())),
    }
}

/// The whole encoder: embeddings, `num_hidden_layers` post-norm transformer layers, mean pooling
/// over real tokens and L2 normalisation. Inputs `input_ids`, `attention_mask` (int64 `[batch,
/// seq]`); output `embedding` (float `[batch, hidden]`).
///
/// One piece on purpose: it writes the graph node by node in evaluation order, and each step
/// names the outputs the next one reads; split, those names would travel between functions.
fn build_model(config: &Config, weights: &Weights, precision: Precision) -> Result<Model> {
    let hidden = config.hidden_size;
    let heads = config.num_attention_heads;
    if heads == 0 || !hidden.is_multiple_of(heads) {
        return Err(Error::invalid(format!(
            "hidden_size {hidden} is not a multiple of num_attention_heads {heads}"
        )));
    }
    let (activation, activation_domain) = match config.hidden_act {
        HiddenAct::Gelu => ("Gelu", MS_DOMAIN),
        HiddenAct::GeluApproximate => ("FastGelu", MS_DOMAIN),
        HiddenAct::Relu => ("Relu", ONNX_DOMAIN),
    };
    let mut graph = Graph::new()?;
    graph.set_inputs([
        Outlet::new(
            "input_ids",
            tensor_type(TensorElementType::Int64, &["batch", "seq"]),
        ),
        Outlet::new(
            "attention_mask",
            tensor_type(TensorElementType::Int64, &["batch", "seq"]),
        ),
    ])?;
    graph.set_outputs([Outlet::new(
        "embedding",
        tensor_type(TensorElementType::Float32, &["batch", "hidden"]),
    )])?;
    let mut g = GraphBuilder {
        graph,
        weights,
        precision,
        eps: config.layer_norm_eps as f32,
        next: 0,
    };

    // Embeddings. Token type 0 is the only type a single sentence uses, so its row is folded
    // into the position table.
    let (word_shape, word) = weights.get("embeddings.word_embeddings.weight")?;
    let (pos_shape, mut positions) = weights.get("embeddings.position_embeddings.weight")?;
    let (_, types) = weights.get("embeddings.token_type_embeddings.weight")?;
    for row in positions.chunks_mut(hidden) {
        row.iter_mut()
            .zip(&types[..hidden])
            .for_each(|(p, t)| *p += t);
    }
    let word = g.constant("word_embeddings", &word_shape, &word)?;
    let positions = g.constant("position_embeddings", &pos_shape, &positions)?;
    let tokens = g.node(
        "Gather",
        ONNX_DOMAIN,
        &[&word, "input_ids"],
        vec![Attribute::new("axis", 0i64)?],
    )?;
    let seq_len = g.node(
        "Shape",
        ONNX_DOMAIN,
        &["input_ids"],
        vec![Attribute::new("start", 1i64)?, Attribute::new("end", 2i64)?],
    )?;
    let zero = g.ints("zero", &[0])?;
    let first_axis = zero.clone();
    let pos = g.node(
        "Slice",
        ONNX_DOMAIN,
        &[&positions, &zero, &seq_len, &first_axis],
        vec![],
    )?;
    let summed = g.node("Add", ONNX_DOMAIN, &[&tokens, &pos], vec![])?;
    let mut x = g.layer_norm(&summed, "embeddings.LayerNorm")?;

    // Padding is masked inside attention (key_padding) and in the mean (mask).
    let mask = g.node(
        "Cast",
        ONNX_DOMAIN,
        &["attention_mask"],
        vec![Attribute::new("to", 1i64)?], // float
    )?;
    let axis_2 = g.ints("axes", &[2])?;
    let weights_3d = g.node("Unsqueeze", ONNX_DOMAIN, &[&mask, &axis_2], vec![])?;
    let key_padding = g.node(
        "Cast",
        ONNX_DOMAIN,
        &["attention_mask"],
        vec![Attribute::new("to", 6i64)?], // int32
    )?;
    let thirds = g.ints("split", &[hidden as i64; 3])?;
    for layer in 0..config.num_hidden_layers {
        let p = format!("encoder.layer.{layer}.");
        let (qkv, qkv_bias) = g.linear_without_bias(
            &x,
            &[
                &format!("{p}attention.self.query"),
                &format!("{p}attention.self.key"),
                &format!("{p}attention.self.value"),
            ],
        )?;
        let parts = g.node_n(
            "Split",
            ONNX_DOMAIN,
            &[&qkv, &thirds],
            3,
            vec![Attribute::new("axis", -1i64)?],
        )?;
        let context = g.node(
            "MultiHeadAttention",
            MS_DOMAIN,
            &[&parts[0], &parts[1], &parts[2], &qkv_bias, &key_padding],
            vec![Attribute::new("num_heads", heads as i64)?],
        )?;
        let attended = g.linear(&context, &[&format!("{p}attention.output.dense")])?;
        x = g.add_layer_norm(&attended, &x, &format!("{p}attention.output.LayerNorm"))?;
        let inner = g.linear(&x, &[&format!("{p}intermediate.dense")])?;
        let inner = g.node(activation, activation_domain, &[&inner], vec![])?;
        let out = g.linear(&inner, &[&format!("{p}output.dense")])?;
        x = g.add_layer_norm(&out, &x, &format!("{p}output.LayerNorm"))?;
    }

    // Mean over real tokens, then L2 normalisation.
    let masked = g.node("Mul", ONNX_DOMAIN, &[&x, &weights_3d], vec![])?;
    let axis_1 = g.ints("axes", &[1])?;
    let keep = || Attribute::new("keepdims", 0i64);
    let total = g.node("ReduceSum", ONNX_DOMAIN, &[&masked, &axis_1], vec![keep()?])?;
    let count = g.node(
        "ReduceSum",
        ONNX_DOMAIN,
        &[&weights_3d, &axis_1],
        vec![keep()?],
    )?;
    let floor = g.constant("count_floor", &[1], &[1e-9f32])?;
    let count = g.node("Max", ONNX_DOMAIN, &[&count, &floor], vec![])?;
    let mean = g.node("Div", ONNX_DOMAIN, &[&total, &count], vec![])?;
    g.graph.add_node(Node::new(
        "LpNormalization",
        ONNX_DOMAIN,
        "l2_normalise",
        [mean.as_str()],
        ["embedding"],
        vec![Attribute::new("axis", -1i64)?, Attribute::new("p", 2i64)?],
    )?)?;

    let mut model = Model::new([Opset::new(ONNX_DOMAIN, 17)?, Opset::new(MS_DOMAIN, 1)?])?;
    model.set_graph(g.graph)?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_row_quantisation_keeps_each_row_within_half_a_step() {
        let weight = [0.5f32, -1.0, 0.25, 0.0, 0.0, 0.0, 3.0, 2.0, -3.0];
        let (q, scales) = quantise_per_row(&weight, 3, 3);
        assert_eq!(q[1], -127);
        assert_eq!(&q[3..6], &[0, 0, 0], "an all-zero row stays zero");
        assert_eq!(scales[1], 1.0, "an all-zero row gets a harmless scale");
        for (r, row) in weight.chunks(3).enumerate() {
            for (c, &w) in row.iter().enumerate() {
                let back = f32::from(q[r * 3 + c]) * scales[r];
                assert!((back - w).abs() <= scales[r] / 2.0 + 1e-6, "{r},{c}");
            }
        }
    }
}
