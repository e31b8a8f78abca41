//! What classifying can fail on, as one enum that callers can match on. Messages read as they did
//! when the library used `anyhow`: a variant's own text is the outer context, and its source (the
//! io, csv or backend error, or a wrapped classify error) follows in `{:#}` chains.

use std::path::PathBuf;

use crate::models::ModelError;

/// A backend's own error (candle, ONNX Runtime, tokenizers, libtorch), boxed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What the classifiers, encoders and heads could not do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written: `action` is what was tried ("reading",
    /// "reading the header of", "creating", "writing").
    #[error("{action} {}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The pinned model could not be had or checked (see [`crate::models`]).
    #[error(transparent)]
    Model(#[from] ModelError),
    /// ONNX Runtime could not be had or started: kept as text because the first failure is
    /// cached for the whole process and handed to every later load.
    #[error("{0}")]
    NoRuntime(String),
    /// A model folder, adapter or set of heads is not what it should be (not BERT, a missing or
    /// misshapen weight, a card that does not match its weights); `message` names the file or
    /// origin, `source` is the parser's or backend's error when there is one.
    #[error("{message}")]
    InvalidModel {
        message: String,
        #[source]
        source: Option<BoxError>,
    },
    /// A file's sha256 is not the one its model card records: changed, or from other heads.
    #[error(
        "{origin}: sha256 {actual} but the model card expects {expected}; the file was changed or belongs to other heads"
    )]
    Checksum {
        origin: String,
        actual: String,
        expected: String,
    },
    /// The encoder's backend failed (candle, ONNX Runtime, the tokenizer, libtorch). Transparent:
    /// it reads as the backend's own error, as it did before, which `downcast_ref` recovers.
    #[error(transparent)]
    Backend(BoxError),
    /// Loading the encoder in `dir` failed.
    #[error("loading the encoder in {}", dir.display())]
    LoadEncoder {
        dir: PathBuf,
        #[source]
        source: Box<Error>,
    },
    /// Loading heads from `dir` failed.
    #[error("loading heads from {} (train them with `quotestance train`)", dir.display())]
    LoadHeads {
        dir: PathBuf,
        #[source]
        source: Box<Error>,
    },
    /// A labelled-quotes file (`datasets/stance/*.csv` or quotestance's output with gold labels)
    /// is malformed; `line` is the line of the row, when one is at fault. `message` is empty when
    /// the csv error (the source) says it all.
    #[error("{}", located(path, *line, message))]
    Labelled {
        path: PathBuf,
        line: Option<u64>,
        message: String,
        #[source]
        source: Option<csv::Error>,
    },
    /// A request this classifier or these heads cannot serve (a neutral share for a classifier
    /// without heads, a backend left out of this build).
    #[error("{0}")]
    Unsupported(String),
}

/// Result of the classify library.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An invalid model without a source.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidModel {
            message: message.into(),
            source: None,
        }
    }

    /// An invalid model because of `source`.
    pub fn invalid_because(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Error::InvalidModel {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// A file that could not be read.
    pub fn reading(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action: "reading",
            path: path.into(),
            source,
        }
    }
}

impl From<candle_core::Error> for Error {
    fn from(e: candle_core::Error) -> Self {
        Error::Backend(Box::new(e))
    }
}

impl From<ort::Error> for Error {
    fn from(e: ort::Error) -> Self {
        Error::Backend(Box::new(e))
    }
}

#[cfg(feature = "rust-bert")]
impl From<tch::TchError> for Error {
    fn from(e: tch::TchError) -> Self {
        Error::Backend(Box::new(e))
    }
}

#[cfg(feature = "rust-bert")]
impl From<::rust_bert::RustBertError> for Error {
    fn from(e: ::rust_bert::RustBertError) -> Self {
        Error::Backend(Box::new(e))
    }
}

/// `path:line: message`, leaving out the line when there is none and the message when it is empty.
fn located(path: &std::path::Path, line: Option<u64>, message: &str) -> String {
    let mut out = path.display().to_string();
    if let Some(line) = line {
        out.push_str(&format!(":{line}"));
    }
    if !message.is_empty() {
        out.push_str(": ");
        out.push_str(message);
    }
    out
}
