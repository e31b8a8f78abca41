//! `quotestance train`: fine-tune the encoder and fit stance and sentiment heads.

use anyhow::Result;
use quotestance::classify;
use quotestance::classify::encoder;
use quotestance::train;
use std::path::PathBuf;
use std::process::ExitCode;

use super::ModelArgs;

#[derive(clap::Args)]
pub(super) struct TrainArgs {
    /// Training quotes: CSV with columns text,stance,sentiment (kind and domain optional), or
    /// labelled rows in quotestance's output schema. Repeat to combine files.
    #[arg(long, required = true)]
    train: Vec<PathBuf>,
    /// Dev quotes, same columns: chooses the regularisation and calibrates the scores.
    #[arg(long)]
    dev: PathBuf,
    /// Folder to write heads.safetensors, ngrams.txt, model-card.json and (when fine-tuning)
    /// encoder-adapter.safetensors into.
    #[arg(long)]
    out: PathBuf,
    /// Seeds the fine-tuning's batch order and LoRA initialisation (the heads' fit is
    /// deterministic); recorded in the model card.
    #[arg(long, default_value_t = 13)]
    seed: u64,
    /// Epochs of encoder fine-tuning (LoRA, biases and layer norms, on candle) before the heads
    /// are fitted, about 4 minutes an epoch of 3,700 quotes on 2 cores; 0 keeps the encoder
    /// frozen (about a minute in all).
    #[arg(long, default_value_t = 3)]
    fine_tune_epochs: usize,
    /// LoRA rank of the fine-tuning (0: biases and layer norms only).
    #[arg(long, default_value_t = 8)]
    lora_rank: usize,
    /// Peak learning rate of the fine-tuning.
    #[arg(long, default_value_t = 5e-4)]
    fine_tune_lr: f64,
    /// What the encoder reads of each quote's sentence (the `context` or `cue` columns of the
    /// training files): BEFORE,AFTER words around the quote (`,marked` to set the quote off
    /// with « »), or `quote` for the quote alone.
    #[arg(long, default_value = "3,2")]
    window: quotestance::classify::input::Window,
    /// Leave out the n-grams of the words around the quote from the heads' features.
    #[arg(long)]
    no_context_ngrams: bool,
    /// More labelled quotes for fine-tuning the encoder only (repeatable): the heads, whose
    /// class balance becomes the scores' prior, are fitted on the --train files alone.
    #[arg(long, value_name = "FILE")]
    fine_tune_train: Vec<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
}

impl TrainArgs {
    fn input_options(&self) -> train::InputOptions {
        train::InputOptions {
            window: self.window,
            context_ngrams: !self.no_context_ngrams,
        }
    }
}

pub(super) fn train_command(args: TrainArgs) -> Result<ExitCode> {
    let options = args.model.options(None, None, true);
    let dir = classify::model_folder(&options)?;
    let tokenizer = encoder::TextTokenizer::from_folder(&dir, args.model.max_tokens)?;
    let fine_tuned = if args.fine_tune_epochs > 0 {
        let fine_tune = quotestance::train::finetune::FineTuneOptions {
            epochs: args.fine_tune_epochs,
            rank: args.lora_rank,
            learning_rate: args.fine_tune_lr,
            seed: args.seed,
            ..Default::default()
        };
        let files: Vec<PathBuf> = args
            .train
            .iter()
            .chain(&args.fine_tune_train)
            .cloned()
            .collect();
        let (adapter, report) =
            train::fine_tune_encoder(&dir, &files, args.input_options(), &fine_tune, true)?;
        eprintln!(
            "fine-tuned in {:.0}s, {} steps; mean training loss by epoch: {:?}",
            report.seconds, report.steps, report.epoch_losses
        );
        Some((std::sync::Arc::new(adapter), report))
    } else {
        None
    };
    let encoder = encoder::load(
        &dir,
        &encoder::EncoderOptions {
            adapter: fine_tuned.as_ref().map(|(a, _)| a.clone()),
            ..options.encoder_options()
        },
    )?;
    eprintln!("encoder backend: {}", encoder.name());
    let sha256 = quotestance::fs::sha256_file(&dir.join("model.safetensors"))?;
    let base = train::BaseModel {
        name: dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        sha256,
    };
    let heads = train::train_heads(
        &tokenizer,
        encoder.as_ref(),
        &base,
        fine_tuned,
        &args.train,
        &args.dev,
        args.input_options(),
        args.seed,
        true,
    )?;
    heads.save(&args.out)?;
    let card = &heads.card;
    outln!(
        "stance:    dev accuracy {:.3}  macro-F1 {:.3}  (L2 {}, temperature {:.3})",
        card.stance.dev_accuracy,
        card.stance.dev_macro_f1,
        card.stance.l2,
        card.stance.temperature
    );
    outln!(
        "sentiment: dev accuracy {:.3}  macro-F1 {:.3}  (L2 {}, temperature {:.3})",
        card.sentiment.dev_accuracy,
        card.sentiment.dev_macro_f1,
        card.sentiment.l2,
        card.sentiment.temperature
    );
    outln!("wrote {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
