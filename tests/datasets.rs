//! The written stance datasets keep the promises of their card (datasets/README.md): sizes, label
//! sets and counts, no duplicates, and a dev set that does not paraphrase the training sets
//! (`train.csv`, and `train-round2.csv`, which the shipped heads do not use).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use quotestance::classify::{SENTIMENT_LABELS, STANCE_LABELS};

struct Item {
    text: String,
    stance: String,
    sentiment: String,
    kind: String,
}

fn read(name: &str) -> Vec<Item> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("datasets/stance")
        .join(name);
    let mut reader = csv::Reader::from_path(&path).unwrap();
    assert_eq!(
        reader.headers().unwrap(),
        vec!["text", "stance", "sentiment", "kind", "domain"]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Item {
                text: r[0].to_string(),
                stance: r[1].to_string(),
                sentiment: r[2].to_string(),
                kind: r[3].to_string(),
            }
        })
        .collect()
}

fn words(text: &str) -> HashSet<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn sizes_labels_and_counts_match_the_card() {
    let (train, dev, round2) = (read("train.csv"), read("dev.csv"), read("train-round2.csv"));
    assert!(train.len() >= 3000, "{} training items", train.len());
    assert!(dev.len() >= 600, "{} dev items", dev.len());
    assert!(round2.len() >= 3000, "{} second-round items", round2.len());
    for item in train.iter().chain(&dev).chain(&round2) {
        assert!(!item.text.trim().is_empty());
        assert!(
            STANCE_LABELS.contains(&item.stance.as_str()),
            "{}",
            item.stance
        );
        assert!(
            SENTIMENT_LABELS.contains(&item.sentiment.as_str()),
            "{}",
            item.sentiment
        );
        assert!(["direct", "indirect", "mixed"].contains(&item.kind.as_str()));
    }
    let mut stance: BTreeMap<&str, usize> = BTreeMap::new();
    for item in &train {
        *stance.entry(&item.stance).or_default() += 1;
    }
    for label in STANCE_LABELS {
        assert!(
            stance.get(label).copied().unwrap_or(0) >= 250,
            "{label}: {stance:?}"
        );
    }
}

#[test]
fn no_duplicates_and_dev_does_not_paraphrase_train() {
    let (mut train, dev) = (read("train.csv"), read("dev.csv"));
    train.extend(read("train-round2.csv"));
    let mut seen = HashSet::new();
    for item in train.iter().chain(&dev) {
        assert!(
            seen.insert(item.text.to_lowercase()),
            "duplicate: {}",
            item.text
        );
    }
    let train_words: Vec<HashSet<String>> = train.iter().map(|i| words(&i.text)).collect();
    for item in &dev {
        let w = words(&item.text);
        if w.len() < 3 {
            continue; // "No comment." may recur by chance
        }
        for t in &train_words {
            let overlap = w.intersection(t).count() as f64 / w.union(t).count() as f64;
            assert!(
                overlap <= 0.6,
                "dev item too close to a training item: {}",
                item.text
            );
        }
    }
}
