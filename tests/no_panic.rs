//! Property tests: random bytes and quote-mark soup never make segmentation, extraction or ingest
//! panic, and every span they return is a valid slice of the input.

use proptest::prelude::*;
use quotestance::extract::{quotes, segment};
use quotestance::ingest::{Corpus, Input, ReadOptions};

/// Text built from the characters that stress the rules most.
fn soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\"",
        "“",
        "”",
        "‘",
        "’",
        "'",
        "«",
        "»",
        "„",
        "‹",
        "›",
        ".",
        "!",
        "?",
        "…",
        "...",
        ",",
        ":",
        ";",
        "—",
        "-",
        "(",
        ")",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "said",
        "says",
        "told",
        "according to",
        "he",
        "she",
        "they",
        "the",
        "a",
        "Mr",
        "Mr.",
        "Dr.",
        "U.S.",
        "a.m.",
        "No.",
        "that",
        "Smith",
        "John Smith",
        "President",
        "minister",
        "spokesman",
        "for",
        "of",
        "Kremlin",
        "accused",
        "urged",
        "denied",
        "and",
        "3.5",
        "2025",
        "é",
        "日本",
        "🙂",
        "\u{0}",
        "\u{feff}",
        "which",
        "who",
        ",",
        "adding",
        "saying",
        "The",
        "It",
        "We",
        "A",
        "D-N.Y.",
    ]);
    prop::collection::vec(pieces, 0..120).prop_map(|v| v.concat())
}

fn check(text: &str) {
    for s in segment::sentences(text) {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    }
    for q in quotes::extract(text) {
        assert!(
            q.span.start < q.span.end && q.span.end <= text.len(),
            "{q:?}"
        );
        assert!(text.is_char_boundary(q.span.start) && text.is_char_boundary(q.span.end));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn quote_mark_soup_never_panics(text in soup()) {
        check(&text);
    }

    #[test]
    fn random_unicode_never_panics(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_files_never_panic_the_readers(bytes in prop::collection::vec(any::<u8>(), 0..600), ext in prop::sample::select(vec!["jsonl", "csv", "txt"])) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("f.{ext}"));
        std::fs::write(&path, &bytes).unwrap();
        let corpus = Corpus::open(&[Input::Path(path)], ReadOptions::default()).unwrap();
        for article in corpus.take(1000).flatten() {
            check(&article.text);
        }
    }
}
