//! Running the pipeline over a corpus: the parallel stages ([`pipeline`]), the output files and
//! their atomic commit ([`output`]), the journal that makes a run resumable ([`journal`]),
//! sharding a corpus across machines ([`shard`]) and merging the shards back ([`merge`]), and the
//! manifest that records what a run was ([`manifest`]); the article fields rows carry
//! ([`fields`]).

pub mod fields;
pub mod journal;
pub mod manifest;
pub mod merge;
pub mod output;
pub mod pipeline;
pub mod shard;
