//! How long the report of a generated 100,000-quote file takes to become interactive in headless
//! Chromium: from navigation start to the end of the page's first render (its script sets
//! `window.quotestanceReady`), the median of five loads. Prints `SKIPPED:` without chromedriver
//! on PATH (.ci/run installs Debian's chromium and chromium-driver).
//!
//! `cargo bench --bench report_browser`

use quotestance::report::{Quotes, html};

#[path = "../tests/support/chromium.rs"]
mod chromium;
#[path = "../tests/support/generated_quotes.rs"]
mod generated_quotes;

fn main() {
    let Some(chromedriver) = chromium::on_path("chromedriver") else {
        println!("SKIPPED: report_browser (no chromedriver on PATH)");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let quotes_path = dir.path().join("quotes.csv");
    generated_quotes::write_quotes(&quotes_path, 100_000);
    let quotes = Quotes::read(&quotes_path).expect("generated quotes");
    let page = html::render(&quotes, None).expect("page");
    let html_path = dir.path().join("report.html");
    std::fs::write(&html_path, &page).expect("write the page");
    let driver = chromium::Driver::start(&chromedriver);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut ready_ms: Vec<f64> = runtime.block_on(async {
        let client = chromium::browser(driver.port).await;
        let mut times = Vec::new();
        for _ in 0..5 {
            client.goto("about:blank").await.expect("blank page");
            client
                .goto(&format!("file://{}", html_path.display()))
                .await
                .expect("open the page");
            let ready = client
                .execute("return window.quotestanceReady;", Vec::new())
                .await
                .expect("read the marker");
            times.push(ready.as_f64().expect("the page set its ready time"));
        }
        client.close().await.expect("close the browser");
        times
    });
    ready_ms.sort_by(f64::total_cmp);
    println!(
        "report_browser: 100,000 quotes ({:.1} MB page) interactive in {:.0} ms (median of 5: {:?})",
        page.len() as f64 / 1e6,
        ready_ms[2],
        ready_ms.iter().map(|t| t.round()).collect::<Vec<_>>()
    );
}
