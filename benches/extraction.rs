//! Throughput of the text stages, in bytes of article text per second: segmentation alone, and
//! segmentation plus quote extraction and attribution (what `quotestance run --skip-classify` does
//! per article). Input: the bundled article corpus, held in memory.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use quotestance::extract::{quotes, segment};

fn corpus() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/articles/articles.jsonl");
    std::fs::read_to_string(path)
        .expect("bundled corpus")
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("json")["text"]
                .as_str()
                .expect("text")
                .to_string()
        })
        .collect()
}

fn text_stages(c: &mut Criterion) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("text");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("segment", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| segment::sentences(black_box(t)).len())
                .sum::<usize>()
        });
    });
    group.bench_function("segment+extract", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| quotes::extract(black_box(t)).len())
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, text_stages);
criterion_main!(benches);
