//! The report in a real browser: headless Chromium through WebDriver (chromedriver). On the
//! fixture of tests/report.rs, on the bundled sample corpus (run with the lexicon classifier) and
//! on a generated 100,000-quote file: the quote count shown equals the CSV's; on the fixture a
//! stance filter leaves the rows it should; on the fixture and the sample, every article's
//! highlighted spans hold exactly their quotes. Saves a screenshot and the pages under
//! `target/tmp/report-browser/`. Without chromedriver on PATH it prints `SKIPPED:` and passes
//! (.ci/run installs Debian's chromium and chromium-driver where apt is available).

use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::{Client, Locator};

#[path = "support/chromium.rs"]
mod chromium;
#[path = "support/generated_quotes.rs"]
mod generated_quotes;
use chromium::{Driver, browser, on_path};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/report")
        .join(name)
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .expect("text")
}

async fn rows_shown(client: &Client) -> usize {
    client
        .find_all(Locator::Css("#quotes tbody tr"))
        .await
        .expect("rows")
        .len()
}

/// The `quote` column of a quotes CSV, in row order (the page's row numbers).
fn quotes_of(csv_path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(csv_path).expect("quotes");
    let column = reader
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == "quote")
        .expect("a quote column");
    reader
        .records()
        .map(|r| r.expect("row")[column].to_string())
        .collect()
}

/// Writes the report of `quotes` (with `articles`, if any) to `html`.
fn write_report(quotes: &Path, articles: Option<&Path>, html: &Path) {
    let mut report = Command::new(env!("CARGO_BIN_EXE_quotestance"));
    report
        .args(["report", "--quiet", "-o"])
        .arg(html)
        .arg(quotes);
    if let Some(articles) = articles {
        report.arg("--articles").arg(articles);
    }
    assert!(report.status().expect("run report").success());
}

/// Opens every article in the article view and checks that each highlighted quote's text (its
/// marks joined) is the CSV's quote of that row; returns how many quotes were highlighted.
async fn check_highlights(client: &Client, quotes: &[String]) -> usize {
    let options = client
        .find_all(Locator::Css("#article-select option"))
        .await
        .expect("articles")
        .len();
    assert!(options > 0, "the article view lists articles");
    let mut seen = std::collections::BTreeSet::new();
    for k in 0..options {
        client
            .find(Locator::Css("#article-select"))
            .await
            .expect("article list")
            .select_by_value(&k.to_string())
            .await
            .expect("choose an article");
        let marks = client
            .execute(
                "return Array.from(document.querySelectorAll('#article-text mark'))\
                 .map(m => [m.dataset.q, m.textContent]);",
                Vec::new(),
            )
            .await
            .expect("the marks");
        let mut texts: std::collections::BTreeMap<usize, String> = Default::default();
        for mark in marks.as_array().expect("a list") {
            let row: usize = mark[0].as_str().expect("data-q").parse().expect("a row");
            texts
                .entry(row)
                .or_default()
                .push_str(mark[1].as_str().expect("text"));
        }
        for (row, text) in texts {
            assert_eq!(text, quotes[row], "article {k}, quote row {row}");
            assert!(
                seen.insert(row),
                "quote row {row} highlighted in two articles"
            );
        }
    }
    seen.len()
}

#[test]
fn report_runs_in_chromium() {
    let Some(chromedriver) = on_path("chromedriver") else {
        println!("SKIPPED: report_runs_in_chromium (no chromedriver on PATH)");
        return;
    };
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    std::fs::create_dir_all(&out).expect("output folder");
    let html = out.join("report.html");
    let status = Command::new(env!("CARGO_BIN_EXE_quotestance"))
        .args(["report", "--quiet", "-o"])
        .arg(&html)
        .arg(fixture("quotes.csv"))
        .arg("--articles")
        .arg(fixture("articles.jsonl"))
        .status()
        .expect("run report");
    assert!(status.success());
    let csv_rows = csv::Reader::from_path(fixture("quotes.csv"))
        .expect("fixture")
        .records()
        .count();
    let denials = 2;
    let driver = Driver::start(&chromedriver);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = browser(driver.port).await;
        client
            .goto(&format!("file://{}", html.display()))
            .await
            .expect("open the page");
        let count = text_of(&client, "#explorer-count").await;
        assert_eq!(count, format!("{csv_rows} of {csv_rows} quotes match."));
        assert_eq!(rows_shown(&client).await, csv_rows);
        client
            .find(Locator::Css("#f-stance"))
            .await
            .expect("stance filter")
            .select_by_label("denial")
            .await
            .expect("choose denial");
        let count = text_of(&client, "#explorer-count").await;
        assert_eq!(count, format!("{denials} of {csv_rows} quotes match."));
        assert_eq!(rows_shown(&client).await, denials);
        let quotes = quotes_of(&fixture("quotes.csv"));
        assert_eq!(check_highlights(&client, &quotes).await, csv_rows);
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(out.join("report.png"), png).expect("save the screenshot");

        // The bundled sample corpus, end to end.
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample");
        let sample_csv = out.join("sample.csv");
        let run = Command::new(env!("CARGO_BIN_EXE_quotestance"))
            .args(["run", "--quiet", "--classifier", "lexicon", "-o"])
            .arg(&sample_csv)
            .arg(&sample)
            .status()
            .expect("run the sample");
        assert!(run.success());
        let sample_html = out.join("sample.html");
        write_report(&sample_csv, Some(&sample), &sample_html);
        let quotes = quotes_of(&sample_csv);
        client
            .goto(&format!("file://{}", sample_html.display()))
            .await
            .expect("open the sample's page");
        let n = quotes.len();
        let count = text_of(&client, "#explorer-count").await;
        assert_eq!(count, format!("{n} of {n} quotes match."));
        assert_eq!(check_highlights(&client, &quotes).await, n);

        // A generated 100,000-quote file.
        let big_csv = out.join("generated.csv");
        generated_quotes::write_quotes(&big_csv, 100_000);
        let big_html = out.join("generated.html");
        write_report(&big_csv, None, &big_html);
        client
            .goto(&format!("file://{}", big_html.display()))
            .await
            .expect("open the generated page");
        let count = text_of(&client, "#explorer-count").await;
        assert_eq!(count, "100,000 of 100,000 quotes match.");
        assert_eq!(rows_shown(&client).await, 50, "one page of the explorer");
        client.close().await.expect("close the browser");
    });
    println!("screenshot: {}", out.join("report.png").display());
}
