//! Classification throughput (quotes per second) of the encoder path per backend and batch size,
//! with quotes sorted by length before batching and in input order; and of the heads alone. Uses the real
//! model (fetched once into the model cache) and quotes from the bundled dev set.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use quotestance::classify::batch::{self, BatchOptions};
use quotestance::classify::encoder::{self, Backend, EncoderOptions, TextTokenizer};
use quotestance::classify::heads::Heads;
use quotestance::classify::{self, ModelOptions, QuoteInput};

fn quotes(n: usize) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/stance/dev.csv");
    quotestance::train::read_examples(&path)
        .expect("dev set")
        .into_iter()
        .take(n)
        .map(|e| e.text)
        .collect()
}

fn encoder_batches(c: &mut Criterion) {
    let dir = classify::model_folder(&ModelOptions::default()).expect("model");
    let tokenizer =
        TextTokenizer::from_folder(&dir, encoder::DEFAULT_MAX_TOKENS).expect("tokenizer");
    let texts = quotes(128);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    // Each backend, side by side: ONNX Runtime int8 (the default), ONNX Runtime fp32, candle.
    for backend in [Backend::Ort, Backend::OrtFp32, Backend::Candle] {
        let options = EncoderOptions {
            backend,
            ..EncoderOptions::default()
        };
        let encoder = encoder::load(&dir, &options).expect("encoder");
        let mut group = c.benchmark_group(format!("encode-{}", encoder.name()));
        group.sample_size(10);
        group.throughput(Throughput::Elements(refs.len() as u64));
        for batch_size in [1, 16, 64] {
            for sort in [true, false] {
                let id = BenchmarkId::new(if sort { "sorted" } else { "unsorted" }, batch_size);
                group.bench_with_input(id, &batch_size, |b, &batch_size| {
                    b.iter(|| {
                        batch::embed(
                            &tokenizer,
                            encoder.as_ref(),
                            black_box(&refs),
                            BatchOptions { batch_size, sort },
                        )
                        .expect("embed")
                    });
                });
            }
        }
        group.finish();
    }

    let encoder = encoder::load(&dir, &EncoderOptions::default()).expect("encoder");
    let heads = Heads::shipped().expect("shipped heads");
    let embeddings =
        batch::embed(&tokenizer, encoder.as_ref(), &refs, BatchOptions::default()).expect("embed");
    let mut group = c.benchmark_group("heads");
    group.throughput(Throughput::Elements(refs.len() as u64));
    group.bench_function("stance+sentiment", |b| {
        b.iter(|| {
            refs.iter()
                .zip(&embeddings)
                .map(|(t, e)| heads.predict(&QuoteInput::plain(t), e).0.1)
                .sum::<f32>()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("tokenize");
    group.throughput(Throughput::Elements(refs.len() as u64));
    group.bench_function("wordpiece", |b| {
        b.iter(|| tokenizer.encode(black_box(&refs)).expect("tokenize"))
    });
    group.finish();
}

/// The whole pipeline on the sample corpus: read, extract, classify, write; with the shipped heads
/// (the encoder reads each quote in its context window) and, side by side, with the heads in
/// models/heads-span (the encoder reads the quote alone, as before context windows): the ratio of
/// the two is what reading the context costs.
fn pipeline(c: &mut Criterion) {
    use quotestance::ingest::{Corpus, Input, ReadOptions};
    use quotestance::run::pipeline::{self, Quiet, RunOptions};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("datasets/sample");
    let span_heads = root.join("models/heads-span");
    let mut classifiers = vec![(
        "sample",
        classify::build(classify::Kind::Trained, &ModelOptions::default()).expect("classifier"),
    )];
    if span_heads.is_dir() {
        let options = ModelOptions {
            heads_dir: Some(span_heads),
            ..ModelOptions::default()
        };
        classifiers.push((
            "sample-span-heads",
            classify::build(classify::Kind::Trained, &options).expect("span-only classifier"),
        ));
    }
    let articles = Corpus::open(&[Input::Path(sample.clone())], ReadOptions::default())
        .expect("sample")
        .filter_map(Result::ok)
        .count();
    let run = |classifier: &dyn classify::Classifier| {
        let corpus =
            Corpus::open(&[Input::Path(sample.clone())], ReadOptions::default()).expect("sample");
        let sink = tempfile::NamedTempFile::new().expect("temp file");
        let destination =
            quotestance::run::output::Destination::open(sink.path().to_str().expect("path"))
                .expect("destination");
        let mut writer = quotestance::run::output::RowWriter::new(
            destination,
            quotestance::run::output::OutputFormat::Csv,
            &[],
        )
        .expect("writer");
        let summary = pipeline::run(
            corpus,
            &mut writer,
            &RunOptions::default(),
            Some(classifier),
            &Quiet,
        )
        .expect("run");
        writer.finish().expect("finish");
        summary.quotes
    };
    let quotes = run(classifiers[0].1.as_ref());
    for (name, count) in [("articles", articles as u64), ("quotes", quotes)] {
        let mut group = c.benchmark_group(format!("pipeline-{name}"));
        group.sample_size(10);
        group.throughput(Throughput::Elements(count));
        for (id, classifier) in &classifiers {
            group.bench_function(*id, |b| b.iter(|| run(classifier.as_ref())));
        }
        group.finish();
    }
}

criterion_group!(benches, encoder_batches, pipeline);
criterion_main!(benches);
