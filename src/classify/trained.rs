//! The default classifier: sentence embedding, then the trained linear heads.

use super::{Classifier, Error, Labels, QuoteInput, Result};
use crate::classify::batch::{self, BatchOptions};
use crate::classify::encoder::{Encoder, TextTokenizer};
use crate::classify::heads::Heads;

pub struct Trained {
    tokenizer: TextTokenizer,
    encoder: Box<dyn Encoder>,
    heads: Heads,
    batch: BatchOptions,
}

impl Trained {
    pub fn new(
        tokenizer: TextTokenizer,
        encoder: Box<dyn Encoder>,
        heads: Heads,
        batch: BatchOptions,
    ) -> Result<Self> {
        if heads.card.embedding_dim != encoder.dim() {
            return Err(Error::invalid(format!(
                "the heads were trained on {}-wide embeddings but the encoder gives {}",
                heads.card.embedding_dim,
                encoder.dim()
            )));
        }
        Ok(Trained {
            tokenizer,
            encoder,
            heads,
            batch,
        })
    }

    pub fn heads(&self) -> &Heads {
        &self.heads
    }
}

impl Classifier for Trained {
    fn name(&self) -> &str {
        "trained"
    }

    fn backend(&self) -> Option<&str> {
        Some(self.encoder.name())
    }

    fn classify(&self, quotes: &[QuoteInput]) -> Result<Vec<Labels>> {
        let texts: Vec<String> = quotes.iter().map(|q| self.heads.encoder_text(q)).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let embeddings = batch::embed(&self.tokenizer, self.encoder.as_ref(), &texts, self.batch)?;
        Ok(quotes
            .iter()
            .zip(&embeddings)
            .map(|(q, e)| {
                let ((stance, stance_score), (sentiment, sentiment_score)) =
                    self.heads.predict(q, e);
                Labels {
                    stance,
                    stance_score,
                    sentiment,
                    sentiment_score,
                }
            })
            .collect())
    }
}
