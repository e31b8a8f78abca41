//! Extraction cases from real-news-style copy: each test is named after the construction it covers
//! and checks the quotes found (span text, kind, speaker, cue).

use quotestance::quotes::{QuoteKind, extract};

/// (quote text, kind, speaker, cue) of every quote in `text`.
fn quotes(text: &str) -> Vec<(String, QuoteKind, String, String)> {
    extract(text)
        .into_iter()
        .map(|q| {
            (
                text[q.span.start..q.span.end].to_string(),
                q.kind,
                q.speaker,
                q.cue,
            )
        })
        .collect()
}

#[test]
fn flattened_quote_reopened_before_its_attribution() {
    let text = "Nurse Ellen Park spoke to reporters. \"We have done our part. \"The rest is up to \
                them,\" she said.";
    let found = quotes(text);
    let texts: Vec<&str> = found.iter().map(|q| q.0.as_str()).collect();
    assert_eq!(
        texts,
        vec!["We have done our part.", "The rest is up to them,"]
    );
    assert!(found.iter().all(|q| q.2 == "Ellen Park"), "{found:?}");
}

#[test]
fn flattened_quote_reopened_after_its_attribution() {
    let text = "Airline chief Tom Reyes met staff. \"Two planes are out of service, the rest of \
                the fleet is grounded,\" he said. \"Engineers are checking every aircraft.";
    let found = quotes(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1].0, "Engineers are checking every aircraft.");
    assert!(found.iter().all(|q| q.2 == "Tom Reyes"), "{found:?}");
}

#[test]
fn flattened_quotes_over_several_lost_paragraphs() {
    let text = "Forecaster Graham Petrie expects wind. \"It's the classic pattern,\" he says. \"The \
                wind will swing around in the evening. \"So it's going to be a long afternoon,\" \
                he says.";
    let found = quotes(text);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[1].0, "The wind will swing around in the evening.");
    assert!(found.iter().all(|q| q.2 == "Graham Petrie"), "{found:?}");
}
