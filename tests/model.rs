//! Tests that load the real encoder (all-MiniLM-L6-v2, fetched once into the model cache) and the
//! shipped heads.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use predicates::prelude::*;
use quotestance::classify::batch::{self, BatchOptions};
use quotestance::classify::encoder::{self, Backend, Encoder, EncoderOptions, TextTokenizer};
use quotestance::classify::{self, Classifier, Kind, ModelOptions};
use quotestance::models;

/// The verified model folder (fetched on first use).
fn model_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        classify::model_folder(&ModelOptions::default())
            .expect("the model can be fetched and verified")
    })
    .clone()
}

fn on(backend: Backend) -> EncoderOptions {
    EncoderOptions {
        backend,
        ..EncoderOptions::default()
    }
}

fn encoder(backend: Backend) -> (TextTokenizer, Box<dyn Encoder>) {
    let dir = model_dir();
    (
        TextTokenizer::from_folder(&dir, encoder::DEFAULT_MAX_TOKENS).unwrap(),
        encoder::load(&dir, &on(backend)).unwrap(),
    )
}

/// Embeddings from the reference backend, candle.
fn embed(texts: &[&str]) -> Vec<Vec<f32>> {
    embed_on(Backend::Candle, texts)
}

fn embed_on(backend: Backend, texts: &[&str]) -> Vec<Vec<f32>> {
    let (tokenizer, encoder) = encoder(backend);
    batch::embed(&tokenizer, encoder.as_ref(), texts, BatchOptions::default()).unwrap()
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `quotestance run` on the bundled sample with the verified model and `args`; the output rows.
fn run_sample(args: &[&str]) -> Vec<csv::StringRecord> {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample");
    let out = Command::cargo_bin("quotestance")
        .unwrap()
        .args(["run", sample.to_str().unwrap(), "--quiet"])
        .args(["--model", model_dir().to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    reader.records().map(Result::unwrap).collect()
}

const REFERENCE_SENTENCE: &str = "The minister said the talks would resume in Geneva on Monday.";

#[test]
fn embedding_matches_the_stored_reference() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference_embedding.json");
    let got = &embed(&[REFERENCE_SENTENCE])[0];
    // After a change meant to alter embeddings, the new reference is printed here (run with
    // --nocapture) for a person to review and store; the test never rewrites it itself.
    println!(
        "embedding of {REFERENCE_SENTENCE:?}: {}",
        serde_json::to_string(got).unwrap()
    );
    let reference: Vec<f32> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(got.len(), 384);
    let norm: f32 = got.iter().map(|v| v * v).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4, "embeddings are L2-normalised");
    let max_diff = got
        .iter()
        .zip(&reference)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(max_diff < 1e-4, "max difference {max_diff}");
}

#[test]
fn paraphrases_are_closer_than_unrelated_sentences() {
    let pairs = [
        (
            "The government will not negotiate with the rebels.",
            "Officials refuse to hold talks with the insurgents.",
            "The football season starts in August.",
        ),
        (
            "Heavy rain flooded the town centre overnight.",
            "The town centre was under water after a night of downpours.",
            "The central bank raised interest rates.",
        ),
        (
            "The company denied polluting the river.",
            "The firm said it was not responsible for contaminating the river.",
            "Scientists discovered a new species of frog.",
        ),
    ];
    for (a, b, unrelated) in pairs {
        let e = embed(&[a, b, unrelated]);
        let (close, far) = (cosine(&e[0], &e[1]), cosine(&e[0], &e[2]));
        assert!(
            close > far + 0.2,
            "{a:?}: paraphrase {close:.3} vs unrelated {far:.3}"
        );
    }
}

/// Sentences of many lengths, batched together so padding is exercised.
const BACKEND_CHECK: [&str; 10] = [
    REFERENCE_SENTENCE,
    "No.",
    "We will not accept any deal that leaves our members worse off than they were in 2019.",
    "\"If they cross the line again, we will respond with overwhelming force,\" the general warned.",
    "The company denied wrongdoing and said it had cooperated fully with regulators.",
    "Police urged residents to stay indoors until the flooding subsides.",
    "According to the ministry, exports rose 4.2% in the third quarter.",
    "Der Minister sagte, die Gespräche würden am Montag fortgesetzt.",
    "Officials offered to reopen the border crossing if the attacks stop, but only for aid convoys, and only during daylight hours, a senior diplomat said on condition of anonymity.",
    "Great result for the team!",
];

/// The mean and the lowest cosine between a backend's embeddings and candle's on
/// [`BACKEND_CHECK`].
fn cosine_to_candle(backend: Backend) -> (f32, f32) {
    let reference = embed(&BACKEND_CHECK);
    let got = embed_on(backend, &BACKEND_CHECK);
    assert_eq!(got.len(), reference.len());
    let cosines: Vec<f32> = reference
        .iter()
        .zip(&got)
        .map(|(a, b)| cosine(a, b))
        .collect();
    let mean = cosines.iter().sum::<f32>() / cosines.len() as f32;
    (mean, cosines.iter().copied().fold(1.0, f32::min))
}

#[test]
fn onnx_runtime_fp32_matches_candle() {
    let (_, worst) = cosine_to_candle(Backend::OrtFp32);
    assert!(worst >= 0.999, "worst cosine {worst}");
}

/// int8 activations are quantised per token, so a text of one or two word pieces ("No.") loses
/// the most: it gets its own floor. Everything else stays above 0.98.
#[test]
fn onnx_runtime_int8_stays_close_to_candle() {
    let (mean, worst) = cosine_to_candle(Backend::Ort);
    eprintln!("int8 against candle: mean cosine {mean:.4}, worst {worst:.4}");
    assert!(mean >= 0.985, "mean cosine {mean}");
    assert!(worst >= 0.96, "worst cosine {worst}");
    let longer: Vec<&str> = BACKEND_CHECK
        .iter()
        .copied()
        .filter(|t| t.len() > 10)
        .collect();
    let reference = embed(&longer);
    let got = embed_on(Backend::Ort, &longer);
    for ((a, b), text) in reference.iter().zip(&got).zip(&longer) {
        assert!(cosine(a, b) >= 0.98, "{text:?}: cosine {}", cosine(a, b));
    }
}

#[cfg(feature = "rust-bert")]
#[test]
fn rust_bert_matches_candle() {
    let (_, worst) = cosine_to_candle(Backend::RustBert);
    assert!(worst >= 0.999, "worst cosine {worst}");
}

/// End to end, what a row says does not depend on which quotes share its batch: the same rows,
/// spans, speakers and labels, and scores equal in their four written decimals except where a
/// score lies within about 1e-6 of a rounding boundary, which moves it by one in the last
/// decimal (448 of these rows had differed in their seventh digit before scores were rounded in
/// JSON as in CSV).
#[test]
fn json_output_does_not_depend_on_the_batch_size() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |batch_size: &str| -> Vec<serde_json::Value> {
        let out = Command::cargo_bin("quotestance")
            .unwrap()
            .args([
                "run",
                "--quiet",
                "--format",
                "jsonl",
                "--batch-size",
                batch_size,
            ])
            .args(["--model", model_dir().to_str().unwrap()])
            .arg(root.join("datasets/articles/articles.jsonl"))
            .arg(root.join("datasets/news/heldout-acts.jsonl"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let (alone, batched) = (run("1"), run("16"));
    assert!(alone.len() > 500);
    assert_eq!(alone.len(), batched.len());
    let mut moved = 0;
    for (a, b) in alone.iter().zip(&batched) {
        for field in [
            "article_id",
            "start",
            "end",
            "speaker",
            "quote",
            "stance",
            "sentiment",
        ] {
            assert_eq!(a[field], b[field], "{field} of {a}");
        }
        for field in ["stance_score", "sentiment_score"] {
            let (x, y) = (a[field].as_f64().unwrap(), b[field].as_f64().unwrap());
            assert!((x - y).abs() <= 1.0001e-4, "{field}: {x} vs {y}");
            moved += usize::from(x != y);
        }
    }
    assert!(
        moved * 200 <= alone.len() * 2,
        "{moved} of {} scores moved in their last decimal",
        alone.len() * 2
    );
}

/// Labels must not depend on which quotes share a batch: otherwise a sharded run, a resumed run
/// or another `--batch-size` would label the same quote differently. (int8 with one activation
/// scale per batch changed 36 of 647 labels between batch sizes 1 and 16.) The quotes are read
/// in their context windows, as `run` gives them to the classifier.
#[test]
fn labels_do_not_depend_on_the_batch_on_any_backend() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/stance/news-dev.csv");
    let inputs: Vec<classify::QuoteInput> = quotestance::train::read_examples(&path)
        .unwrap()
        .iter()
        .take(160)
        .map(quotestance::train::Example::input)
        .collect();
    assert!(
        inputs.iter().any(|q| !q.before.is_empty()),
        "quotes in context"
    );
    for backend in [Backend::Ort, Backend::OrtFp32, Backend::Candle] {
        let label = |batch_size: usize| {
            classify::build(
                Kind::Trained,
                &ModelOptions {
                    model_dir: Some(model_dir()),
                    backend,
                    batch: BatchOptions {
                        batch_size,
                        sort: true,
                    },
                    ..ModelOptions::default()
                },
            )
            .unwrap()
            .classify(&inputs)
            .unwrap()
        };
        let (alone, batched) = (label(1), label(16));
        for ((a, b), input) in alone.iter().zip(&batched).zip(&inputs) {
            assert_eq!(
                (&a.stance, &a.sentiment),
                (&b.stance, &b.sentiment),
                "{backend:?}: {:?}",
                input.quote
            );
            assert!(
                (a.stance_score - b.stance_score).abs() < 1e-3,
                "{backend:?}: {:?}: {} vs {}",
                input.quote,
                a.stance_score,
                b.stance_score
            );
        }
    }
}

/// Training and classifying build the encoder's text alike: what `train` embedded for a labelled
/// quote is what every backend embeds for that quote at run time (one function builds both,
/// through the window the shipped heads' card records).
#[test]
fn training_and_classifying_read_the_same_window() {
    let heads = quotestance::classify::heads::Heads::shipped().unwrap();
    let options = quotestance::train::InputOptions {
        window: heads.card.window,
        context_ngrams: heads.card.features.context,
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/stance/news-dev.csv");
    let examples = quotestance::train::read_examples(&path).unwrap();
    let mut widened = 0;
    for example in &examples {
        let at_run_time = heads.encoder_text(&example.input());
        assert_eq!(at_run_time, options.encoder_text(example));
        widened += usize::from(at_run_time != example.text);
    }
    assert!(
        heads.card.window.is_quote_only() || widened > examples.len() / 2,
        "the shipped heads read most quotes with words of their sentence ({widened} of {})",
        examples.len()
    );
}

/// A cache with the model but no ONNX Runtime library.
fn home_without_runtime() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let dir = models::folder_in(home.path(), &models::MINILM);
    std::fs::create_dir_all(&dir).unwrap();
    for file in models::REQUIRED_FILES {
        std::fs::copy(model_dir().join(file), dir.join(file)).unwrap();
    }
    home
}

#[test]
fn without_the_runtime_auto_falls_back_to_candle_and_says_so() {
    let home = home_without_runtime();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample/wire.jsonl");
    let output = Command::cargo_bin("quotestance")
        .unwrap()
        .env("QUOTESTANCE_HOME", home.path())
        .env_remove("QUOTESTANCE_ORT_LIB")
        .args(["run", sample.to_str().unwrap(), "--offline", "--quiet"])
        .assert()
        .success()
        .stderr(predicate::str::contains("candle backend"))
        .stderr(predicate::str::contains("models fetch"))
        .get_output()
        .stdout
        .clone();
    let rows = String::from_utf8(output).unwrap();
    assert!(
        rows.lines().count() > 1,
        "quotes are still labelled: {rows}"
    );
    assert!(rows.lines().nth(1).is_some_and(|l| !l.ends_with(",,,")));
}

#[test]
fn asking_for_onnx_runtime_without_it_is_an_error_with_the_fix() {
    let home = home_without_runtime();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample/wire.jsonl");
    Command::cargo_bin("quotestance")
        .unwrap()
        .env("QUOTESTANCE_HOME", home.path())
        .env_remove("QUOTESTANCE_ORT_LIB")
        .args(["run", sample.to_str().unwrap(), "--offline", "--quiet"])
        .args(["--backend", "ort"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("ONNX Runtime is not in the cache"))
        .stderr(predicate::str::contains("quotestance models fetch"));
}

#[cfg(feature = "rust-bert")]
#[test]
fn run_on_rust_bert_labels_the_sample() {
    let rows = run_sample(&["--backend", "rust-bert"]);
    assert!(rows.len() > 50);
    for row in &rows {
        assert!(classify::STANCE_LABELS.contains(&&row[8]), "{row:?}");
        assert!(classify::SENTIMENT_LABELS.contains(&&row[10]), "{row:?}");
    }
}

#[cfg(not(feature = "rust-bert"))]
#[test]
fn asking_for_rust_bert_without_the_feature_says_how_to_get_it() {
    let home = home_without_runtime();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample/wire.jsonl");
    Command::cargo_bin("quotestance")
        .unwrap()
        .env("QUOTESTANCE_HOME", home.path())
        .args(["run", sample.to_str().unwrap(), "--offline", "--quiet"])
        .args(["--backend", "rust-bert"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "built without the rust-bert feature",
        ))
        .stderr(predicate::str::contains("scripts/setup-libtorch.sh"));
}

#[test]
fn a_tampered_runtime_library_is_refused() {
    let runtime = models::ONNXRUNTIME.expect("a runtime is pinned for the CI platform");
    let home = home_without_runtime();
    let lib = models::runtime_path_in(home.path(), &runtime);
    std::fs::create_dir_all(lib.parent().unwrap()).unwrap();
    std::fs::write(&lib, b"\x7fELF not really a library").unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample/wire.jsonl");
    Command::cargo_bin("quotestance")
        .unwrap()
        .env("QUOTESTANCE_HOME", home.path())
        .env_remove("QUOTESTANCE_ORT_LIB")
        .args(["run", sample.to_str().unwrap(), "--offline", "--quiet"])
        .args(["--backend", "ort"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("tampered"))
        .stderr(predicate::str::contains("models fetch"));
}

#[test]
fn batching_order_and_deduplication_do_not_change_embeddings() {
    let texts = [
        "A short one.",
        "A much longer sentence about the ceasefire negotiations in the region.",
        "A short one.",
        "Mid-length text here.",
    ];
    let (tokenizer, encoder) = encoder(Backend::Candle);
    let sorted = batch::embed(
        &tokenizer,
        encoder.as_ref(),
        &texts,
        BatchOptions {
            batch_size: 2,
            sort: true,
        },
    )
    .unwrap();
    let unsorted = batch::embed(
        &tokenizer,
        encoder.as_ref(),
        &texts,
        BatchOptions {
            batch_size: 1,
            sort: false,
        },
    )
    .unwrap();
    for (a, b) in sorted.iter().zip(&unsorted) {
        assert!(a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-4));
    }
    assert_eq!(sorted[0], sorted[2]);
}

#[test]
fn tampered_weights_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for file in models::REQUIRED_FILES {
        std::fs::copy(model_dir().join(file), dir.path().join(file)).unwrap();
    }
    models::verify(&models::MINILM, dir.path()).expect("an intact copy verifies");
    let weights = dir.path().join("model.safetensors");
    let mut bytes = std::fs::read(&weights).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&weights, bytes).unwrap();
    let err = models::verify(&models::MINILM, dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("tampered") && err.contains("models fetch"),
        "{err}"
    );
}

/// Two processes fetching into one cold cache at once (shards started together) both succeed,
/// and neither pulls the model folder from under the other: the second keeps the first's
/// verified copy instead of replacing it.
#[test]
fn concurrent_fetches_into_a_cold_cache_both_succeed() {
    let home = tempfile::tempdir().unwrap();
    let fetch = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("quotestance"))
            .env("QUOTESTANCE_HOME", home.path())
            .args(["models", "fetch"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (fetch(), fetch());
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Command::cargo_bin("quotestance")
        .unwrap()
        .env("QUOTESTANCE_HOME", home.path())
        .args(["models", "verify"])
        .assert()
        .success();
}

/// Every file the encoder reads is pinned: halving the attention heads in config.json or
/// turning off lower-casing in tokenizer.json changes every label, so `models verify` and every
/// load refuse the edited copy.
#[test]
fn an_edited_config_or_tokenizer_is_refused() {
    type Edit = fn(String) -> String;
    let edits: [(&str, Edit); 2] = [
        ("config.json", |text| {
            text.replace("\"num_attention_heads\": 12", "\"num_attention_heads\": 6")
        }),
        ("tokenizer.json", |text| {
            text.replace("\"lowercase\":true", "\"lowercase\":false")
        }),
    ];
    for (file, edit) in edits {
        let home = tempfile::tempdir().unwrap();
        let dir = models::folder_in(home.path(), &models::MINILM);
        std::fs::create_dir_all(&dir).unwrap();
        for name in models::REQUIRED_FILES {
            std::fs::copy(model_dir().join(name), dir.join(name)).unwrap();
        }
        let path = dir.join(file);
        let original = std::fs::read_to_string(&path).unwrap();
        let edited = edit(original.clone());
        assert!(edited != original, "{file}: the edit applies");
        std::fs::write(&path, edited).unwrap();
        let verify = Command::cargo_bin("quotestance")
            .unwrap()
            .env("QUOTESTANCE_HOME", home.path())
            .args(["models", "verify"])
            .output()
            .unwrap();
        assert_eq!(verify.status.code(), Some(1), "{file}");
        let stderr = String::from_utf8_lossy(&verify.stderr);
        assert!(
            stderr.contains(file) && stderr.contains("tampered"),
            "{file}: {stderr}"
        );
        let run = Command::cargo_bin("quotestance")
            .unwrap()
            .env("QUOTESTANCE_HOME", home.path())
            .args(["run", "-", "--offline", "--backend", "candle"])
            .write_stdin("{\"id\":\"a\",\"text\":\"Anna Berg said the talks would resume.\"}\n")
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(1), "{file}: a run refuses it too");
    }
}

fn trained() -> Box<dyn Classifier> {
    classify::build(
        Kind::Trained,
        &ModelOptions {
            model_dir: Some(model_dir()),
            ..ModelOptions::default()
        },
    )
    .unwrap()
}

/// The shipped heads on the news dev set (384 quotes in their article context), in fp32 (see
/// [`HELD_OUT`] for why), through the same path as `eval --quotes`. The dev set chose the heads'
/// L2 and temperature, so this guards against a broken rebuild; the held-out pin below is the
/// real bar.
#[test]
fn shipped_heads_hold_their_news_dev_scores() {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/stance/news-dev.csv");
    let examples = quotestance::train::read_examples(&dev).unwrap();
    let fp32 = classify::build(
        Kind::Trained,
        &ModelOptions {
            model_dir: Some(model_dir()),
            backend: Backend::OrtFp32,
            ..ModelOptions::default()
        },
    )
    .unwrap();
    let report = quotestance::eval::evaluate_quotes(fp32.as_ref(), &examples).unwrap();
    assert_eq!(report.quotes, examples.len());
    assert!(
        report.labels.stance.macro_f1 >= DEV_STANCE - 0.01
            && report.labels.sentiment.macro_f1 >= DEV_SENTIMENT - 0.01,
        "news dev macro-F1: stance {:.3}, sentiment {:.3}",
        report.labels.stance.macro_f1,
        report.labels.sentiment.macro_f1
    );
}

/// `--neutral-share` end to end: at a higher share than the training quotes' (0.50) fewer
/// quotes are called acts and fewer neutral ones among them; sentiment does not move.
#[test]
fn a_higher_neutral_share_calls_fewer_quotes_acts() {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/stance/news-dev.csv");
    let scores = |share: Option<&str>| -> serde_json::Value {
        let mut eval = Command::cargo_bin("quotestance").unwrap();
        eval.args(["eval", "--quotes"]).arg(&dev).args(["--json"]);
        if let Some(share) = share {
            eval.args(["--neutral-share", share]);
        }
        let out = eval.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (trained, natural) = (scores(None), scores(Some("0.75")));
    let acts = |v: &serde_json::Value, key: &str| v["labels"]["acts"][key].as_f64().unwrap();
    assert!(acts(&natural, "predicted_acts") < acts(&trained, "predicted_acts"));
    assert!(acts(&natural, "neutral_as_act") < acts(&trained, "neutral_as_act"));
    assert_eq!(
        natural["labels"]["sentiment"]["confusion"],
        trained["labels"]["sentiment"]["confusion"]
    );
}

/// The shipped heads' scores in fp32 (`eval --quotes datasets/stance/news-dev.csv --backend
/// ort-fp32`; the README's int8 figures are 0.722 and 0.763 on an Intel Xeon).
const DEV_STANCE: f64 = 0.732;
const DEV_SENTIMENT: f64 = 0.756;

/// The final held-out scores, end to end (extraction, then classification of the matched
/// quotes) with the shipped heads: the sixth held-out set, the fifth, the fourth and the old
/// held-out articles; and extraction alone on the first three held-out sets, whose quotes now train the
/// classifier (`datasets/stance/news-retired-heldout.csv`) but which no extraction rule was tuned
/// on. Pinned within a point, so that a change that loses them fails here rather than on users'
/// corpora. The labels are pinned in fp32 (`--backend ort-fp32`, which candle matches to four
/// decimals), not in the default int8: ONNX Runtime's int8 kernels round differently on different
/// CPUs (AVX-512 VNNI against AVX2), which moves quotes near a boundary and the macro-F1 of these
/// small sets by up to 0.025 (README, "Figures and CPUs").
const HELD_OUT: [(&[&str], Pin); 7] = [
    (
        &["news/heldout7-natural", "news/heldout7-acts"],
        Pin {
            extraction_f1: 0.976,
            speaker_accuracy: 0.921,
            labels: Some((0.666, 0.757)),
        },
    ),
    (
        &["news/heldout6-natural", "news/heldout6-acts"],
        Pin {
            extraction_f1: 0.973,
            speaker_accuracy: 0.922,
            labels: Some((0.712, 0.714)),
        },
    ),
    (
        &["news/heldout5-natural", "news/heldout5-acts"],
        Pin {
            extraction_f1: 0.974,
            speaker_accuracy: 0.936,
            labels: Some((0.697, 0.730)),
        },
    ),
    (
        &["news/heldout4-natural", "news/heldout4-acts"],
        Pin {
            extraction_f1: 0.971,
            speaker_accuracy: 0.917,
            labels: None,
        },
    ),
    (
        &["news/heldout3-natural", "news/heldout3-acts"],
        Pin {
            extraction_f1: 0.958,
            speaker_accuracy: 0.915,
            labels: None,
        },
    ),
    (
        &["news/heldout-natural", "news/heldout-acts"],
        Pin {
            extraction_f1: 0.972,
            speaker_accuracy: 0.942,
            labels: None,
        },
    ),
    (
        &["articles/heldout"],
        Pin {
            extraction_f1: 0.959,
            speaker_accuracy: 0.894,
            labels: Some((0.706, 0.696)),
        },
    ),
];

struct Pin {
    extraction_f1: f64,
    speaker_accuracy: f64,
    /// Stance and sentiment macro-F1, where the set is held out for the classifier too.
    labels: Option<(f64, f64)>,
}

#[test]
fn held_out_scores_stay_within_a_point_of_the_readme() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets");
    for (sets, pin) in HELD_OUT {
        let mut eval = Command::cargo_bin("quotestance").unwrap();
        eval.args([
            "eval",
            "--classifier",
            "trained",
            "--backend",
            "ort-fp32",
            "--json",
        ]);
        for set in sets {
            eval.arg("--articles")
                .arg(data.join(format!("{set}.jsonl")));
            eval.arg("--gold").arg(data.join(format!("{set}_gold.csv")));
        }
        let out = eval.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut got = vec![
            (
                "extraction F1",
                &report["detection"]["f1"],
                pin.extraction_f1,
            ),
            (
                "speaker accuracy",
                &report["speaker_accuracy"],
                pin.speaker_accuracy,
            ),
        ];
        if let Some((stance, sentiment)) = pin.labels {
            got.push((
                "stance macro-F1",
                &report["labels"]["stance"]["macro_f1"],
                stance,
            ));
            got.push((
                "sentiment macro-F1",
                &report["labels"]["sentiment"]["macro_f1"],
                sentiment,
            ));
        }
        for (name, value, pinned) in got {
            let value = value.as_f64().unwrap();
            assert!(
                value >= pinned - 0.01,
                "{sets:?}: {name} {value:.3}, pinned at {pinned:.3}"
            );
        }
    }
}

#[test]
fn shipped_heads_label_unambiguous_quotes() {
    let cases = [
        (
            "If they cross the border again, we will destroy every position they hold.",
            "threat",
        ),
        (
            "We are ready to sit down tomorrow and we will send a delegation to Geneva.",
            "offer",
        ),
        (
            "We categorically deny any involvement in the attack; our units were not there.",
            "denial",
        ),
        (
            "The government must release the detained journalists immediately.",
            "demand",
        ),
        (
            "This minister lied to parliament and betrayed the families who trusted him.",
            "accusation",
        ),
        (
            "We reject this proposal outright and we will not sign it.",
            "rejection",
        ),
        (
            "Figures published today show unemployment fell to 4.1 percent in March.",
            "neutral",
        ),
    ];
    let classifier = trained();
    let texts: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let labels = classifier.classify_texts(&texts).unwrap();
    for ((text, want), got) in cases.iter().zip(&labels) {
        assert_eq!(got.stance, *want, "{text}");
        assert!(got.stance_score > 0.0 && got.stance_score <= 1.0);
    }
    let sentiment = classifier
        .classify_texts(&[
            "This is a wonderful result and we are proud of every volunteer.",
            "This is a shameful, disgusting betrayal of the victims.",
        ])
        .unwrap();
    assert_eq!(sentiment[0].sentiment, "positive");
    assert_eq!(sentiment[1].sentiment, "negative");
}

#[test]
fn awkward_inputs_are_classified_without_panics() {
    let long = "word ".repeat(20_000);
    let inputs = [
        "",
        "   ",
        &long,
        "Путин заявил, что переговоры продолжатся.",
        "习近平表示将继续谈判。",
        "هذا غير مقبول",
        "tab\tand\u{0}null\u{7}bell\u{1b}[31m escape",
        "🙂🙂🙂",
    ];
    let labels = trained().classify_texts(&inputs).unwrap();
    assert_eq!(labels.len(), inputs.len());
    for l in &labels {
        assert!(classify::STANCE_LABELS.contains(&l.stance.as_str()));
        assert!(l.stance_score.is_finite() && l.sentiment_score.is_finite());
    }
}

#[test]
fn zero_shot_and_lexicon_classifiers_run() {
    let zero_shot = classify::build(
        Kind::ZeroShot,
        &ModelOptions {
            model_dir: Some(model_dir()),
            ..ModelOptions::default()
        },
    )
    .unwrap();
    let labels = zero_shot
        .classify_texts(&[
            "We will retaliate with overwhelming force.",
            "The report was published this morning.",
        ])
        .unwrap();
    assert_eq!(labels.len(), 2);
    assert_eq!(labels[0].stance, "threat");
    let lexicon = classify::build(Kind::Lexicon, &ModelOptions::default()).unwrap();
    assert_eq!(
        lexicon.classify_texts(&["We deny it."]).unwrap()[0].stance,
        "denial"
    );
}

#[test]
fn run_fills_stance_and_sentiment() {
    let rows = run_sample(&[]);
    assert!(rows.len() > 50);
    for row in &rows {
        assert!(classify::STANCE_LABELS.contains(&&row[8]), "{row:?}");
        let score: f32 = row[9].parse().unwrap();
        assert!((0.0..=1.0).contains(&score));
        assert!(classify::SENTIMENT_LABELS.contains(&&row[10]), "{row:?}");
    }
}

#[test]
fn offline_without_a_cached_model_says_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample/sport-b18.txt");
    Command::cargo_bin("quotestance")
        .unwrap()
        .env("QUOTESTANCE_HOME", home.path())
        .args(["run", sample.to_str().unwrap(), "--offline", "--quiet"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("quotestance models fetch"));
}

#[test]
fn unsupported_model_folders_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    for file in models::REQUIRED_FILES {
        std::fs::copy(model_dir().join(file), dir.path().join(file)).unwrap();
    }
    std::fs::write(dir.path().join("config.json"), r#"{"model_type": "gpt2"}"#).unwrap();
    let err = encoder::load(dir.path(), &on(Backend::Candle))
        .err()
        .expect("gpt2 is refused");
    // The typed error's chain, as the CLI prints it.
    let chain = format!("{:#}", anyhow::Error::from(err));
    assert!(
        chain.contains("loading the encoder")
            && chain.contains("model_type \"gpt2\" is not supported")
            && chain.contains("BERT-family"),
        "the error says why: {chain}"
    );
}

/// With the default classifier on the default int8 backend, shards merged back equal one run:
/// the same rows, spans, speakers and labels (labels do not depend on the batch: see
/// `labels_do_not_depend_on_the_batch_on_any_backend`), and the same scores, except that a score
/// within about 1e-6 of a rounding boundary may move by one in its fourth decimal, since
/// floating-point sums over another batch shape differ in their seventh digit.
#[test]
fn merged_shards_of_a_classified_run_equal_one_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/articles/articles.jsonl");
    let input = input.to_str().unwrap();
    let run = |extra: &[&str], out: &Path| {
        Command::cargo_bin("quotestance")
            .unwrap()
            .args(["run", input, "--backend", "ort", "--quiet", "-o"])
            .arg(out)
            .args(extra)
            .assert()
            .success();
    };
    let full = dir.path().join("full.csv");
    run(&[], &full);
    let parts: Vec<PathBuf> = (0..2)
        .map(|k| {
            let part = dir.path().join(format!("part-{k}.csv"));
            run(&["--shard", &format!("{k}/2")], &part);
            part
        })
        .collect();
    let merged = dir.path().join("merged.csv");
    Command::cargo_bin("quotestance")
        .unwrap()
        .arg("merge")
        .arg(&merged)
        .args(&parts)
        .args(["--inputs", input, "--quiet"])
        .assert()
        .success();
    let full = std::fs::read_to_string(&full).unwrap();
    assert!(
        full.lines().count() > 400,
        "the dev articles have ~500 quotes"
    );
    assert!(full.lines().nth(1).is_some_and(|l| !l.ends_with(",,,")));
    let merged = std::fs::read_to_string(&merged).unwrap();
    let records = |text: &str| -> Vec<csv::StringRecord> {
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect()
    };
    let (full, merged) = (records(&full), records(&merged));
    assert_eq!(full.len(), merged.len());
    let mut moved = 0;
    for (a, b) in full.iter().zip(&merged) {
        for k in 0..a.len() {
            if k == 9 || k == 11 {
                let (x, y): (f64, f64) = (a[k].parse().unwrap(), b[k].parse().unwrap());
                assert!((x - y).abs() <= 0.000_11, "{a:?} against {b:?}");
                moved += usize::from(a[k] != b[k]);
            } else {
                assert_eq!(&a[k], &b[k], "{a:?} against {b:?}");
            }
        }
    }
    assert!(moved <= 2, "{moved} scores moved in their fourth decimal");
}

/// `train` learns whatever labels its files carry, writes heads, n-gram vocabulary and card, and
/// `run --heads` labels with them; the saved heads reload to the same predictions.
#[test]
fn trained_heads_with_custom_labels_round_trip_through_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    // A two-way stance ("hostile" for threats and accusations) from the first rows of each set.
    let relabel = |from: &str, to: &Path, rows: usize| {
        let mut reader = csv::Reader::from_path(root.join(from)).unwrap();
        let mut writer = csv::Writer::from_path(to).unwrap();
        writer
            .write_record(["text", "stance", "sentiment", "kind", "domain"])
            .unwrap();
        for row in reader.records().take(rows) {
            let row = row.unwrap();
            let stance = if ["threat", "accusation"].contains(&&row[1]) {
                "hostile"
            } else {
                "other"
            };
            writer
                .write_record([&row[0], stance, &row[2], &row[3], &row[4]])
                .unwrap();
        }
    };
    let (train, dev, heads) = (
        dir.path().join("train.csv"),
        dir.path().join("dev.csv"),
        dir.path().join("heads"),
    );
    relabel("datasets/stance/train.csv", &train, 400);
    relabel("datasets/stance/dev.csv", &dev, 120);
    let model = model_dir();
    let quotestance = || Command::cargo_bin("quotestance").unwrap();
    quotestance()
        .args(["train", "--train", train.to_str().unwrap()])
        .args(["--dev", dev.to_str().unwrap()])
        .args(["--out", heads.to_str().unwrap()])
        .args(["--model", model.to_str().unwrap()])
        .args(["--fine-tune-epochs", "0"])
        .assert()
        .success()
        .stdout(predicate::str::contains("stance:    dev accuracy"));
    for file in ["heads.safetensors", "ngrams.txt", "model-card.json"] {
        assert!(heads.join(file).is_file(), "{file} written");
    }
    let loaded = quotestance::classify::heads::Heads::load(&heads).unwrap();
    assert_eq!(loaded.stance.labels, ["hostile", "other"]);
    assert!(loaded.featurizer.vocabulary.len() > 100);

    let stances: Vec<String> = run_sample(&["--heads", heads.to_str().unwrap()])
        .iter()
        .map(|row| row[8].to_string())
        .collect();
    assert!(stances.len() > 50);
    assert!(stances.iter().all(|s| s == "hostile" || s == "other"));
    assert!(stances.iter().any(|s| s == "hostile") && stances.iter().any(|s| s == "other"));

    // Two loads of the same files predict bit for bit alike (feature sums run in a fixed order).
    let text = "If they attack again, we will retaliate with everything we have.";
    let quote = quotestance::classify::QuoteInput::plain(text);
    let embedding = embed_on(Backend::Auto, &[&loaded.encoder_text(&quote)]).remove(0);
    let again = quotestance::classify::heads::Heads::load(&heads).unwrap();
    assert_eq!(
        loaded.predict(&quote, &embedding),
        again.predict(&quote, &embedding)
    );
    assert_eq!(loaded.predict(&quote, &embedding).0.0, "hostile");
}

/// `train --fine-tune-epochs` changes every adapted weight of the encoder, saves the change as an
/// adapter beside the heads, and every backend that loads those heads merges it in.
#[test]
fn fine_tuning_changes_the_encoder_and_every_backend_applies_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let (train, heads) = (dir.path().join("train.csv"), dir.path().join("heads"));
    let all = std::fs::read_to_string(root.join("datasets/stance/train.csv")).unwrap();
    let mut lines = all.lines();
    let header = lines.next().unwrap();
    // Every 20th row, so that all labels appear: 160 quotes, 10 steps an epoch.
    let rows: Vec<&str> = lines.step_by(20).collect();
    std::fs::write(&train, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    let model = model_dir();
    Command::cargo_bin("quotestance")
        .unwrap()
        .args(["train", "--train", train.to_str().unwrap()])
        .args(["--dev", train.to_str().unwrap()])
        .args(["--out", heads.to_str().unwrap()])
        .args(["--model", model.to_str().unwrap()])
        .args(["--fine-tune-epochs", "2", "--fine-tune-lr", "2e-3"])
        .assert()
        .success()
        .stderr(predicate::str::contains("fine-tuned in"));
    let loaded = quotestance::classify::heads::Heads::load(&heads).unwrap();
    let report = loaded
        .card
        .fine_tuning
        .clone()
        .expect("the card records the fine-tuning");
    assert_eq!(report.steps, 20);
    let adapter = loaded
        .adapter
        .clone()
        .expect("the adapter is loaded with the heads");
    assert_eq!(adapter.sha256, report.adapter_sha256);

    // Every adapted tensor moved: LoRA on 6 linears and biases in each of the 6 layers, and the
    // 13 layer norms.
    assert_eq!(adapter.deltas.len(), 6 * 6 * 2 + 13 * 2);
    for (name, delta) in &adapter.deltas {
        let norm = delta
            .dense()
            .unwrap()
            .sqr()
            .unwrap()
            .sum_all()
            .unwrap()
            .to_scalar::<f32>()
            .unwrap();
        assert!(norm > 0.0, "{name} did not change");
    }

    // The merged encoder embeds differently from the base one, and ONNX Runtime int8 applies
    // the same change as candle.
    let text = "We will not accept these terms, and we demand that the talks resume.";
    let tokenizer = TextTokenizer::from_folder(&model, encoder::DEFAULT_MAX_TOKENS).unwrap();
    let embed_with = |backend: Backend| {
        let options = EncoderOptions {
            adapter: Some(adapter.clone()),
            ..on(backend)
        };
        let encoder = encoder::load(&model, &options).unwrap();
        batch::embed(
            &tokenizer,
            encoder.as_ref(),
            &[text],
            BatchOptions::default(),
        )
        .unwrap()
        .remove(0)
    };
    let base = embed(&[text]).remove(0);
    let tuned = embed_with(Backend::Candle);
    let tuned_int8 = embed_with(Backend::Ort);
    assert!(
        cosine(&base, &tuned) < 0.9999,
        "cosine to base {}",
        cosine(&base, &tuned)
    );
    assert!(cosine(&tuned, &tuned_int8) > 0.98);
    assert!(cosine(&tuned, &tuned_int8) > cosine(&base, &tuned_int8));
    #[cfg(feature = "rust-bert")]
    assert!(cosine(&tuned, &embed_with(Backend::RustBert)) > 0.9999);

    // run --heads uses the adapter; a changed adapter file is refused.
    assert!(run_sample(&["--heads", heads.to_str().unwrap()]).len() > 50);
    let path = heads.join("encoder-adapter.safetensors");
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x40;
    std::fs::write(&path, bytes).unwrap();
    let err = quotestance::classify::heads::Heads::load(&heads).unwrap_err();
    assert!(format!("{err:#}").contains("sha256"), "{err:#}");
}
