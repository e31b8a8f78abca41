//! `model-card.json`: how a set of heads was made (base encoder, input window, features, data,
//! fit, and the encoder's fine-tuning, if any). Inference reads it to check the heads match the
//! encoder; training writes it.

use serde::{Deserialize, Serialize};

use crate::classify::heads::features::FeatureSpec;
use crate::classify::input::Window;

/// What `model-card.json` records about one head.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HeadCard {
    pub labels: Vec<String>,
    pub temperature: f32,
    pub l2: f32,
    pub dev_accuracy: f64,
    pub dev_macro_f1: f64,
    /// Each label's share of the training quotes, in label order: the prior the head learned,
    /// which [`crate::classify::heads::Heads::with_neutral_share`] moves to a corpus's own.
    /// Empty on cards written before it was recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub train_shares: Vec<f64>,
}

/// `model-card.json`: how the heads were made.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModelCard {
    pub base_model: String,
    pub base_model_sha256: String,
    pub embedding_dim: usize,
    /// How much of the quote's sentence the encoder reads; cards made before context windows
    /// have none, and read the quote alone.
    #[serde(default)]
    pub window: Window,
    pub features: FeatureSpec,
    pub max_tokens: usize,
    pub train_file_sha256: String,
    pub dev_file_sha256: String,
    pub train_examples: usize,
    pub dev_examples: usize,
    pub seed: u64,
    pub method: String,
    pub created: String,
    pub stance: HeadCard,
    pub sentiment: HeadCard,
    /// How the encoder was fine-tuned, if it was (its adapter is saved beside the heads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fine_tuning: Option<FineTuneReport>,
}

/// How to fine-tune.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FineTuneOptions {
    pub epochs: usize,
    pub batch_size: usize,
    /// LoRA rank of each linear layer's update.
    pub rank: usize,
    /// LoRA scale numerator: updates are scaled by `alpha / rank`.
    pub alpha: f64,
    /// Peak learning rate of the encoder's trainable tensors (AdamW, linear warm-up and decay).
    pub learning_rate: f64,
    /// Peak learning rate of the two training heads.
    pub head_learning_rate: f64,
    /// Truncation while training (quotes are short; long ones keep their opening).
    pub max_tokens: usize,
    pub seed: u64,
}

impl Default for FineTuneOptions {
    fn default() -> Self {
        FineTuneOptions {
            epochs: 3,
            batch_size: 16,
            rank: 8,
            alpha: 16.0,
            learning_rate: 5e-4,
            head_learning_rate: 3e-3,
            max_tokens: 128,
            seed: 13,
        }
    }
}

/// What fine-tuning did, for the model card.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FineTuneReport {
    pub options: FineTuneOptions,
    pub steps: usize,
    /// Mean training loss of each epoch (both tasks summed).
    pub epoch_losses: Vec<f64>,
    pub seconds: f64,
    pub adapter_sha256: String,
    /// The labelled files the encoder was fine-tuned on (sha256 of each) and how many quotes
    /// they hold; they may include files the heads were not fitted on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub train_files_sha256: Vec<String>,
    #[serde(default)]
    pub examples: usize,
}
