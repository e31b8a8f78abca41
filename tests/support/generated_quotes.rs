//! A generated quotes file of any size, in quotestance's CSV schema with `date` and `source`
//! columns: for the report's size test and benchmark. Deterministic (a fixed LCG), so sizes and
//! timings compare across runs.

use std::path::Path;

const WORDS: [&str; 24] = [
    "we",
    "will",
    "not",
    "accept",
    "the",
    "terms",
    "of",
    "this",
    "agreement",
    "government",
    "must",
    "pay",
    "border",
    "talks",
    "never",
    "said",
    "ready",
    "deal",
    "prices",
    "ministry",
    "strike",
    "tomorrow",
    "unless",
    "demands",
];
const STANCES: [&str; 7] = [
    "threat",
    "offer",
    "denial",
    "demand",
    "accusation",
    "rejection",
    "neutral",
];
const SENTIMENTS: [&str; 3] = ["positive", "negative", "neutral"];
const KINDS: [&str; 3] = ["direct", "indirect", "mixed"];

/// Writes `n` quotes to `path` (about 5 per article, 2,000 speakers, dates over two years).
pub fn write_quotes(path: &Path, n: usize) {
    let file = std::fs::File::create(path).expect("create the quotes file");
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(file));
    out.write_record(
        "article_id,quote_index,start,end,kind,speaker,cue,quote,stance,stance_score,sentiment,\
         sentiment_score,date,source"
            .split(','),
    )
    .expect("write");
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |m: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % m
    };
    for k in 0..n {
        let words = 8 + next(30);
        let quote: Vec<&str> = (0..words).map(|_| WORDS[next(WORDS.len())]).collect();
        let quote = quote.join(" ");
        let start = 100 + next(2000);
        let day = next(730);
        let record = [
            format!("g{}", k / 5),
            (k % 5).to_string(),
            start.to_string(),
            (start + quote.chars().count()).to_string(),
            KINDS[next(3)].to_string(),
            format!("Speaker {}", next(2000)),
            "said".to_string(),
            quote,
            STANCES[next(7)].to_string(),
            format!("{:.4}", next(10_000) as f64 / 10_000.0),
            SENTIMENTS[next(3)].to_string(),
            format!("{:.4}", next(10_000) as f64 / 10_000.0),
            format!(
                "{}-{:02}-{:02}",
                2023 + day / 365,
                1 + (day % 365) / 31 % 12,
                1 + day % 28
            ),
            ["wire", "blog", "paper"][next(3)].to_string(),
        ];
        out.write_record(&record).expect("write");
    }
    out.flush().expect("flush");
}
