//! Extraction: from an article's text to its quotes and their speakers, with no model. It reads
//! top to bottom: [`tokens`] (words with byte offsets), [`segment`] (sentences), [`quotes`]
//! (quote marks, reported speech, attribution) and [`speakers`] (the fullest name of each
//! speaker), over the word tables of [`words`].

pub mod quotes;
pub mod segment;
pub mod speakers;
pub mod tokens;
pub mod words;
