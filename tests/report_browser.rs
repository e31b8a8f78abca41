//! The report in a real browser: headless Chromium through WebDriver (chromedriver). Checks that
//! the page's script runs on the fixture of tests/report.rs: the quote count shown equals the
//! CSV's, and a stance filter leaves the rows it should. Saves a screenshot and the page under
//! `target/tmp/report-browser/`. Without chromedriver on PATH it prints `SKIPPED:` and passes
//! (.ci/run installs Debian's chromium and chromium-driver where apt is available).

use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::{Client, Locator};

#[path = "support/chromium.rs"]
mod chromium;
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
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(out.join("report.png"), png).expect("save the screenshot");
        client.close().await.expect("close the browser");
    });
    println!("screenshot: {}", out.join("report.png").display());
}
