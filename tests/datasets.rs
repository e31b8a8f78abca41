//! The datasets keep the promises of their cards (datasets/README.md). The written stance sets: sizes, label
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

/// The double-annotated news sets (datasets/news/) keep the promises of their card: spans that
/// hold their quotes, valid labels, the sizes and mixes in the card, no article shared between
/// training, development and held-out sets, and annotation records that agree with the gold.
mod news {
    use std::collections::{BTreeMap, HashMap, HashSet};
    use std::path::{Path, PathBuf};

    use quotestance::classify::{SENTIMENT_LABELS, STANCE_LABELS};
    use quotestance::ingest::{Article, Location};
    use quotestance::run::output::{self, Row};

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets")
    }

    fn articles(name: &str) -> Vec<Article> {
        let path = root().join(format!("news/{name}.jsonl"));
        std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .enumerate()
            .map(|(k, line)| {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                Article {
                    id: v["id"].as_str().unwrap().to_string(),
                    text: v["text"].as_str().unwrap().to_string(),
                    source: Location {
                        path: path.display().to_string(),
                        line: k as u64 + 1,
                    },
                    fields: Vec::new(),
                }
            })
            .collect()
    }

    fn gold(name: &str) -> Vec<Row> {
        output::read_rows(&root().join(format!("news/{name}_gold.csv"))).unwrap()
    }

    const SETS: [(&str, usize, usize); 14] = [
        ("train", 456, 4916),
        ("dev", 32, 384),
        ("heldout-natural", 24, 266),
        ("heldout-acts", 24, 310),
        ("heldout3-natural", 24, 216),
        ("heldout3-acts", 24, 241),
        ("heldout4-natural", 24, 256),
        ("heldout4-acts", 24, 278),
        ("heldout5-natural", 24, 254),
        ("heldout5-acts", 24, 281),
        ("heldout6-natural", 24, 255),
        ("heldout6-acts", 24, 250),
        ("heldout7-natural", 24, 246),
        ("heldout7-acts", 24, 258),
    ];

    const HELD_OUT: [&str; 12] = [
        "heldout-natural",
        "heldout-acts",
        "heldout3-natural",
        "heldout3-acts",
        "heldout4-natural",
        "heldout4-acts",
        "heldout5-natural",
        "heldout5-acts",
        "heldout6-natural",
        "heldout6-acts",
        "heldout7-natural",
        "heldout7-acts",
    ];

    #[test]
    fn spans_hold_their_quotes_and_labels_are_valid() {
        for (name, n_articles, n_quotes) in SETS {
            let texts: HashMap<String, Vec<char>> = articles(name)
                .into_iter()
                .map(|a| (a.id, a.text.chars().collect()))
                .collect();
            let rows = gold(name);
            assert_eq!((texts.len(), rows.len()), (n_articles, n_quotes), "{name}");
            let mut last: HashMap<&str, (usize, usize)> = HashMap::new();
            for row in &rows {
                let text = &texts[&row.article_id];
                let span: String = text[row.start..row.end].iter().collect();
                assert_eq!(span, row.quote, "{name} {}", row.article_id);
                assert!(STANCE_LABELS.contains(&row.stance.as_deref().unwrap_or("")));
                assert!(SENTIMENT_LABELS.contains(&row.sentiment.as_deref().unwrap_or("")));
                assert!(
                    matches!(row.unsure, Some(0 | 1)),
                    "{name}: unsure is 0 or 1"
                );
                let (index, end) = last.get(row.article_id.as_str()).copied().unwrap_or((0, 0));
                assert_eq!(
                    row.quote_index, index,
                    "{name} {}: quote_index in order",
                    row.article_id
                );
                assert!(
                    row.start >= end,
                    "{name} {}: spans do not overlap",
                    row.article_id
                );
                last.insert(&row.article_id, (index + 1, row.end));
            }
        }
    }

    #[test]
    fn the_natural_mix_is_mostly_neutral_and_the_act_rich_part_is_not() {
        let neutral = |name: &str| {
            let rows = gold(name);
            let n = rows
                .iter()
                .filter(|r| r.stance.as_deref() == Some("neutral"))
                .count();
            n as f64 / rows.len() as f64
        };
        // Real copy taken as it comes is 75% neutral; the writers of the third to sixth held-out
        // sets, asked for that, wrote 68%, 63%, 64% and 74% (court and strike stories carry
        // acts).
        for name in [
            "heldout-natural",
            "heldout3-natural",
            "heldout4-natural",
            "heldout5-natural",
            "heldout6-natural",
            "heldout7-natural",
        ] {
            assert!(neutral(name) >= 0.60, "{name}: {}", neutral(name));
        }
        for name in [
            "heldout-acts",
            "heldout3-acts",
            "heldout4-acts",
            "heldout5-acts",
            "heldout6-acts",
            "heldout7-acts",
        ] {
            assert!(neutral(name) <= 0.35, "{name}: {}", neutral(name));
        }
    }

    #[test]
    fn no_article_or_quote_is_shared_between_sets() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for (name, _, _) in SETS {
            for article in articles(name) {
                if let Some(other) = seen.insert(article.text.clone(), name) {
                    panic!("{} is in both {other} and {name}", article.id);
                }
            }
        }
        // Stock phrases of six words ("the decision was not taken lightly") recur in news
        // written apart; a shared quote of seven words or more would be copied.
        let training: HashSet<String> = ["train", "dev"]
            .iter()
            .flat_map(|name| gold(name))
            .filter(|r| r.quote.split_whitespace().count() >= 7)
            .map(|r| r.quote)
            .collect();
        for name in HELD_OUT {
            for row in gold(name) {
                assert!(!training.contains(&row.quote), "{name}: {:?}", row.quote);
            }
        }
    }

    /// news/annotations.csv records both annotators and the adjudicated label the gold holds.
    #[test]
    fn annotation_records_agree_with_the_gold() {
        let mut reader = csv::Reader::from_path(root().join("news/annotations.csv")).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let mut records: BTreeMap<(String, usize), csv::StringRecord> = BTreeMap::new();
        for record in reader.records() {
            let record = record.unwrap();
            let start: usize = record[col("start")].parse().unwrap();
            records.insert((record[col("article_id")].to_string(), start), record);
        }
        let mut disagreements = 0;
        for (name, _, n_quotes) in SETS {
            let rows = gold(name);
            assert_eq!(rows.len(), n_quotes);
            for row in rows {
                let record = &records[&(row.article_id.clone(), row.start)];
                assert_eq!(Some(&record[col("stance")]), row.stance.as_deref());
                assert_eq!(Some(&record[col("sentiment")]), row.sentiment.as_deref());
                assert_eq!(record[col("unsure")].parse::<u8>().ok(), row.unsure);
                let (a, b) = (&record[col("stance_a")], &record[col("stance_b")]);
                if a != b {
                    disagreements += 1;
                    assert_eq!(row.unsure, Some(1), "a disputed stance is marked unsure");
                }
            }
        }
        assert_eq!(
            records.len(),
            4916 + 384 + 266 + 310 + 216 + 241 + 534 + 535 + 505 + 504
        );
        assert!(disagreements > 0);
    }

    /// datasets/stance/news-*.csv are the gold quotes of news/ sets with the context windows the
    /// pipeline builds, so training reads what `run` gives the classifier: `news-train` and
    /// `news-dev` from `train` and `dev`, `news-retired-heldout` from the three held-out sets of
    /// earlier releases that now train the classifier, in this order.
    #[test]
    fn exported_quotes_are_the_gold_in_its_context() {
        let exports: [(&str, &[&str]); 3] = [
            ("train", &["train"]),
            ("dev", &["dev"]),
            (
                "retired-heldout",
                &[
                    "heldout-natural",
                    "heldout-acts",
                    "heldout3-natural",
                    "heldout3-acts",
                    "heldout4-natural",
                    "heldout4-acts",
                ],
            ),
        ];
        for (name, sets) in exports {
            let examples =
                quotestance::train::read_examples(&root().join(format!("stance/news-{name}.csv")))
                    .unwrap();
            let mut expected = Vec::new();
            for set in sets {
                let mut by_article: HashMap<String, Vec<Row>> = HashMap::new();
                for row in gold(set) {
                    by_article
                        .entry(row.article_id.clone())
                        .or_default()
                        .push(row);
                }
                for article in articles(set) {
                    let rows = &by_article[&article.id];
                    let inputs = quotestance::run::pipeline::quote_inputs(&article, rows);
                    expected.extend(rows.iter().cloned().zip(inputs));
                }
            }
            assert_eq!(examples.len(), expected.len(), "{name}");
            for (example, (row, input)) in examples.iter().zip(&expected) {
                assert_eq!(example.text, row.quote);
                assert_eq!(Some(example.stance.as_str()), row.stance.as_deref());
                assert_eq!(Some(example.sentiment.as_str()), row.sentiment.as_deref());
                assert_eq!(&example.input(), input, "{name}: {:?}", row.quote);
            }
        }
    }
}
