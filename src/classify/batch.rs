//! Batching texts for an encoder: identical texts are embedded once, texts are sorted by token
//! length so that each batch pads little (about twice the throughput of input order on CPU), and
//! results come back in input order.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::classify::Result;
use crate::classify::encoder::{Encoder, TextTokenizer};

/// How to batch.
#[derive(Clone, Copy, Debug)]
pub struct BatchOptions {
    pub batch_size: usize,
    /// Sort by token length before batching.
    pub sort: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            batch_size: 16,
            sort: true,
        }
    }
}

/// Embeddings of `texts`, in input order.
pub fn embed(
    tokenizer: &TextTokenizer,
    encoder: &dyn Encoder,
    texts: &[&str],
    options: BatchOptions,
) -> Result<Vec<Vec<f32>>> {
    // Deduplicate: syndicated news repeats itself.
    let mut unique: Vec<&str> = Vec::new();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    let index: Vec<usize> = texts
        .iter()
        .map(|t| {
            *slot.entry(t).or_insert_with(|| {
                unique.push(t);
                unique.len() - 1
            })
        })
        .collect();
    let ids = tokenizer.encode(&unique)?;
    let mut order: Vec<usize> = (0..unique.len()).collect();
    if options.sort {
        order.sort_by_key(|&k| (ids[k].len(), k));
    }
    let chunks: Vec<&[usize]> = order.chunks(options.batch_size.max(1)).collect();
    let run = |chunk: &&[usize]| {
        let batch: Vec<Vec<u32>> = chunk.iter().map(|&k| ids[k].clone()).collect();
        encoder.embed(&batch)
    };
    let results: Vec<Result<Vec<Vec<f32>>>> = if encoder.parallel_batches() > 1 {
        // One task per batch, so threads that finish short batches steal the long ones.
        chunks.par_iter().with_max_len(1).map(run).collect()
    } else {
        chunks.iter().map(run).collect()
    };
    let mut embeddings: Vec<Vec<f32>> = vec![Vec::new(); unique.len()];
    for (chunk, result) in chunks.iter().zip(results) {
        for (&k, e) in chunk.iter().zip(result?) {
            embeddings[k] = e;
        }
    }
    Ok(index.into_iter().map(|k| embeddings[k].clone()).collect())
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::classify::Error;

    /// A word-level tokenizer over a tiny vocabulary, with no special tokens: one id per word.
    fn tokenizer() -> TextTokenizer {
        let dir = tempfile::tempdir().unwrap();
        let json = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],
            "normalizer":null,"pre_tokenizer":{"type":"Whitespace"},"post_processor":null,
            "decoder":null,"model":{"type":"WordLevel","vocab":{"[UNK]":0,"a":1,"b":2,"c":3,
            "d":4},"unk_token":"[UNK]"}}"#;
        std::fs::write(dir.path().join("tokenizer.json"), json).unwrap();
        TextTokenizer::from_folder(dir.path(), 64).unwrap()
    }

    /// Embeds a sequence as [its length, the sum of its ids] and records each batch it is given.
    #[derive(Default)]
    struct Recording {
        batches: Mutex<Vec<Vec<Vec<u32>>>>,
        fail: bool,
    }

    impl Encoder for Recording {
        fn name(&self) -> &str {
            "recording"
        }
        fn dim(&self) -> usize {
            2
        }
        fn embed(&self, batch: &[Vec<u32>]) -> Result<Vec<Vec<f32>>> {
            if self.fail {
                return Err(Error::Backend("the backend failed".into()));
            }
            self.batches.lock().unwrap().push(batch.to_vec());
            Ok(batch
                .iter()
                .map(|ids| vec![ids.len() as f32, ids.iter().sum::<u32>() as f32])
                .collect())
        }
    }

    const TEXTS: [&str; 6] = ["a b c d", "a", "b c", "a", "d d d", "c"];

    fn expected() -> Vec<Vec<f32>> {
        // [length, sum of ids] of each text, in input order.
        vec![
            vec![4.0, 10.0],
            vec![1.0, 1.0],
            vec![2.0, 5.0],
            vec![1.0, 1.0],
            vec![3.0, 12.0],
            vec![1.0, 3.0],
        ]
    }

    #[test]
    fn embeddings_come_back_in_input_order_sorted_or_not() {
        let tokenizer = tokenizer();
        for sort in [true, false] {
            let encoder = Recording::default();
            let options = BatchOptions {
                batch_size: 2,
                sort,
            };
            let got = embed(&tokenizer, &encoder, &TEXTS, options).unwrap();
            assert_eq!(got, expected(), "sort: {sort}");
        }
    }

    #[test]
    fn identical_texts_are_embedded_once() {
        let encoder = Recording::default();
        embed(&tokenizer(), &encoder, &TEXTS, BatchOptions::default()).unwrap();
        let sequences: usize = encoder.batches.lock().unwrap().iter().map(Vec::len).sum();
        assert_eq!(sequences, 5, "\"a\" appears twice and is embedded once");
    }

    #[test]
    fn sorted_batches_are_full_and_grow_in_length() {
        let encoder = Recording::default();
        let options = BatchOptions {
            batch_size: 2,
            sort: true,
        };
        embed(&tokenizer(), &encoder, &TEXTS, options).unwrap();
        let batches = encoder.batches.lock().unwrap();
        let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 2, 1]);
        let lengths: Vec<usize> = batches.iter().flatten().map(Vec::len).collect();
        assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "{lengths:?}");
    }

    #[test]
    fn a_batch_size_of_zero_means_one() {
        let encoder = Recording::default();
        let options = BatchOptions {
            batch_size: 0,
            sort: true,
        };
        let got = embed(&tokenizer(), &encoder, &TEXTS, options).unwrap();
        assert_eq!(got, expected());
        assert!(encoder.batches.lock().unwrap().iter().all(|b| b.len() == 1));
    }

    #[test]
    fn a_backend_error_is_returned() {
        let encoder = Recording {
            fail: true,
            ..Recording::default()
        };
        let err = embed(&tokenizer(), &encoder, &TEXTS, BatchOptions::default()).unwrap_err();
        assert!(err.to_string().contains("the backend failed"), "{err}");
    }
}
