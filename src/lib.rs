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
//! [`pipeline`] runs the stages over a corpus in parallel; [`eval`] scores extraction against gold;
//! [`report`] summarises a finished run as tables and a self-contained HTML page.

pub mod classify;
pub mod eval;
pub mod fs;
pub mod ingest;
pub mod lexicon;
pub mod models;
pub mod quotes;
pub mod report;
pub mod run;
pub mod segment;
pub mod speakers;
pub mod tokens;
pub mod train;
