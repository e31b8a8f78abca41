//! Time to build the HTML report of a generated 100,000-quote file (read, check, render), and
//! the page's size. The file is written once, outside the timed part.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use quotestance::report::{Quotes, html};

#[path = "../tests/support/generated_quotes.rs"]
mod generated_quotes;

fn report(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("quotes.csv");
    generated_quotes::write_quotes(&path, 100_000);
    let quotes = Quotes::read(&path).expect("generated quotes");
    let page = html::render(&quotes, None).expect("page");
    eprintln!("report: 100,000 quotes make a page of {} bytes", page.len());
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("render 100k", |b| {
        b.iter(|| html::render(black_box(&quotes), None).expect("page").len());
    });
    group.bench_function("read+render 100k", |b| {
        b.iter(|| {
            let quotes = Quotes::read(black_box(&path)).expect("quotes");
            html::render(&quotes, None).expect("page").len()
        });
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
