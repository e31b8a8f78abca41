//! quotestance: extract quotes from news articles, attribute them to speakers, and label their
//! stance and sentiment.
//!
//! The data path reads top to bottom, one module per stage:
//!
//! ```text
//! ingest   -> Article { id, text, source }          (JSONL, CSV, text files, folders, stdin; streaming)
//! segment  -> sentences with byte offsets            (rules + abbreviation tables)
//! quotes   -> Quote { span, kind, cue, speaker }     (direct, indirect, mixed; attribution)
//! output   -> CSV / JSONL rows                       (input order, code-point offsets, atomic files)
//! ```
//!
//! [`pipeline`] runs the stages over a corpus in parallel; [`eval`] scores extraction against gold.

pub mod adapter;
pub mod batch;
pub mod classify;
pub mod encoder;
pub mod eval;
pub mod features;
pub mod finetune;
pub mod heads;
pub mod ingest;
pub mod journal;
pub mod lexicon;
pub mod manifest;
pub mod merge;
pub mod models;
pub mod output;
pub mod pipeline;
pub mod quotes;
pub mod segment;
pub mod shard;
pub mod speakers;
pub mod tokens;
pub mod train;
