//! Replays every input stored under `tests/data/fuzz/<target>/` (crashes the fuzzers found, once
//! fixed, and a small curated slice of the corpus) through the same checks the fuzz targets in
//! `fuzz/` run, so a fixed crash stays fixed without cargo-fuzz or a nightly toolchain.

mod fuzz_checks;

use std::panic::{self, AssertUnwindSafe};

/// Runs `check` on every stored input of `target`, then fails naming each input that panicked.
fn replay(target: &str, check: fn(&[u8])) {
    let inputs = fuzz_checks::stored_inputs(target);
    assert!(!inputs.is_empty(), "no stored inputs for {target}");
    let mut failed = Vec::new();
    for path in &inputs {
        let data = std::fs::read(path).unwrap();
        if panic::catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target}: failed on {failed:#?}");
}

#[test]
fn stored_jsonl_inputs_read_without_panic() {
    replay("ingest_jsonl", fuzz_checks::ingest_jsonl);
}

#[test]
fn stored_csv_inputs_read_without_panic() {
    replay("ingest_csv", fuzz_checks::ingest_csv);
}

#[test]
fn stored_texts_segment_into_valid_spans() {
    replay("segment", fuzz_checks::segment);
}

#[test]
fn stored_texts_give_quotes_inside_the_article() {
    replay("quotes", fuzz_checks::quotes);
}
