//! Zero-shot baseline: each label is described in a few sentences, the descriptions are embedded
//! with the same encoder, and a quote takes the label whose description is nearest by cosine.
//! Scores are a softmax over scaled cosines.

use super::{Classifier, Labels, QuoteInput, Result};
use crate::classify::batch::{self, BatchOptions};
use crate::classify::encoder::{Encoder, TextTokenizer};
use crate::classify::heads::{argmax, softmax};

/// Label descriptions: several short prototypes per label, averaged.
const STANCE: [(&str, &[&str]); 7] = [
    (
        "threat",
        &[
            "We will retaliate and you will pay a heavy price.",
            "If they attack, we will strike back with force.",
            "There will be severe consequences and sanctions.",
        ],
    ),
    (
        "offer",
        &[
            "We are ready to negotiate and offer our help.",
            "We propose talks and will provide aid.",
            "Our door is open; we offer a deal.",
        ],
    ),
    (
        "denial",
        &[
            "We deny the allegations; that is false.",
            "We had nothing to do with it and are not responsible.",
            "These reports are untrue.",
        ],
    ),
    (
        "demand",
        &[
            "They must stop immediately.",
            "We call on the government to act now.",
            "We urge them to release the prisoners.",
        ],
    ),
    (
        "accusation",
        &[
            "They are to blame for this crime.",
            "The government lied and failed the people.",
            "We accuse them of corruption and abuse.",
        ],
    ),
    (
        "rejection",
        &[
            "We reject the proposal and refuse to sign.",
            "We will not accept these terms.",
            "The offer is unacceptable and we say no.",
        ],
    ),
    (
        "neutral",
        &[
            "The meeting will take place on Monday.",
            "Figures show the economy grew last year.",
            "The report was published this morning.",
        ],
    ),
];

const SENTIMENT: [(&str, &[&str]); 3] = [
    (
        "positive",
        &[
            "This is great news and we are delighted.",
            "We are hopeful, proud and grateful.",
            "A wonderful success.",
        ],
    ),
    (
        "negative",
        &[
            "This is terrible, outrageous and shameful.",
            "We are angry, afraid and deeply worried.",
            "A disaster and a disgrace.",
        ],
    ),
    (
        "neutral",
        &[
            "The figures were released on Tuesday.",
            "The committee will meet next week.",
            "The statement described the schedule.",
        ],
    ),
];

/// Cosine scale for the softmax (cosines live in a narrow band).
const SCALE: f32 = 20.0;

pub struct ZeroShot {
    tokenizer: TextTokenizer,
    encoder: Box<dyn Encoder>,
    stance: Vec<(String, Vec<f32>)>,
    sentiment: Vec<(String, Vec<f32>)>,
    batch: BatchOptions,
}

impl ZeroShot {
    pub fn new(
        tokenizer: TextTokenizer,
        encoder: Box<dyn Encoder>,
        batch: BatchOptions,
    ) -> Result<Self> {
        let stance = prototypes(&tokenizer, encoder.as_ref(), &STANCE, batch)?;
        let sentiment = prototypes(&tokenizer, encoder.as_ref(), &SENTIMENT, batch)?;
        Ok(ZeroShot {
            tokenizer,
            encoder,
            stance,
            sentiment,
            batch,
        })
    }
}

fn prototypes(
    tokenizer: &TextTokenizer,
    encoder: &dyn Encoder,
    labels: &[(&str, &[&str])],
    batch: BatchOptions,
) -> Result<Vec<(String, Vec<f32>)>> {
    labels
        .iter()
        .map(|(label, sentences)| {
            let embeddings = batch::embed(tokenizer, encoder, sentences, batch)?;
            let mut mean = vec![0f32; encoder.dim()];
            for e in &embeddings {
                mean.iter_mut().zip(e).for_each(|(m, v)| *m += v);
            }
            let norm = mean.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
            Ok((
                label.to_string(),
                mean.into_iter().map(|v| v / norm).collect(),
            ))
        })
        .collect()
}

fn nearest(prototypes: &[(String, Vec<f32>)], e: &[f32]) -> (String, f32) {
    let cosines: Vec<f32> = prototypes
        .iter()
        .map(|(_, p)| p.iter().zip(e).map(|(a, b)| a * b).sum::<f32>() * SCALE)
        .collect();
    let (k, score) = argmax(&softmax(&cosines));
    (prototypes[k].0.clone(), score)
}

impl Classifier for ZeroShot {
    fn name(&self) -> &str {
        "zero-shot"
    }

    fn backend(&self) -> Option<&str> {
        Some(self.encoder.name())
    }

    /// Reads the quote alone: the label descriptions describe quotes, not their attributions.
    fn classify(&self, quotes: &[QuoteInput]) -> Result<Vec<Labels>> {
        let texts: Vec<&str> = quotes.iter().map(|q| q.quote.as_str()).collect();
        let embeddings = batch::embed(&self.tokenizer, self.encoder.as_ref(), &texts, self.batch)?;
        Ok(embeddings
            .iter()
            .map(|e| {
                let (stance, stance_score) = nearest(&self.stance, e);
                let (sentiment, sentiment_score) = nearest(&self.sentiment, e);
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
