//! quotestance: extract quotes from news articles, attribute them to speakers, and label their
//! stance and sentiment.
//!
//! The folders are the stages, and imports point down only:
//!
//! ```text
//! report/    a finished run as tables and a self-contained HTML page  (over run, ingest)
//! train/     fine-tune the encoder, fit the heads                     (over eval, classify)
//! eval/      score extraction and classifiers, compare them           (over run, classify)
//! run/       the parallel pipeline, output files, journal, shards     (over classify, extract, ingest)
//! classify/  stance and sentiment: encoder backends, heads, batching  (over extract)
//! extract/   sentences, quotes, speakers; no model                    (over nothing but word tables)
//! ingest/    one streaming reader per input format
//! models     the pinned encoder and runtime, fetched and checked
//! fs         the one atomic writer, safetensors writing, sha256
//! ```
//!
//! The data path: [`ingest`] yields articles, [`extract`] their quotes, [`classify`] their labels,
//! and [`run::output`] writes the rows; [`run::pipeline`] runs it over a corpus in parallel.

pub mod classify;
pub mod eval;
pub mod extract;
pub mod fs;
pub mod ingest;
pub mod models;
pub mod report;
pub mod run;
pub mod train;
