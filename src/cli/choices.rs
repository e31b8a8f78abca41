//! The command line's closed choices (`--backend`, `--classifier`, `--format`). They mirror
//! library enums so that clap stays in the CLI: the library types know nothing of argument
//! parsing, and each choice converts into its library type exhaustively.

use clap::ValueEnum;

use quotestance::classify::Kind;
use quotestance::classify::encoder::Backend;
use quotestance::run::output::OutputFormat;

/// Which runtime runs the encoder.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum BackendChoice {
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

impl From<BackendChoice> for Backend {
    fn from(choice: BackendChoice) -> Backend {
        match choice {
            BackendChoice::Auto => Backend::Auto,
            BackendChoice::Ort => Backend::Ort,
            BackendChoice::OrtFp32 => Backend::OrtFp32,
            BackendChoice::Candle => Backend::Candle,
            BackendChoice::RustBert => Backend::RustBert,
        }
    }
}

/// Which classifier labels stance and sentiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ClassifierChoice {
    /// The encoder with heads trained on labelled quotes (the default).
    Trained,
    /// The encoder with label descriptions, nearest by cosine.
    ZeroShot,
    /// Keyword rules for stance and VADER for sentiment.
    Lexicon,
}

impl From<ClassifierChoice> for Kind {
    fn from(choice: ClassifierChoice) -> Kind {
        match choice {
            ClassifierChoice::Trained => Kind::Trained,
            ClassifierChoice::ZeroShot => Kind::ZeroShot,
            ClassifierChoice::Lexicon => Kind::Lexicon,
        }
    }
}

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatChoice {
    Csv,
    Jsonl,
}

impl From<FormatChoice> for OutputFormat {
    fn from(choice: FormatChoice) -> OutputFormat {
        match choice {
            FormatChoice::Csv => OutputFormat::Csv,
            FormatChoice::Jsonl => OutputFormat::Jsonl,
        }
    }
}
