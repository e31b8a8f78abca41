//! `summarize` and `report` through the binary, on a small hand-made quotes file
//! (tests/data/report: six quotes in three articles, one speaker and one quote carrying
//! `<script>`), plus the page size on a generated 100,000-quote file.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

#[path = "support/generated_quotes.rs"]
mod generated_quotes;

fn quotestance() -> Command {
    Command::cargo_bin("quotestance").expect("binary is built")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/report")
        .join(name)
}

fn stdout_of(args: &[&str]) -> String {
    let out = quotestance().args(args).output().expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Writes the report of the fixture (with its articles) and returns the page.
fn report_page(dir: &Path, with_articles: bool) -> String {
    let html = dir.join("report.html");
    let quotes = fixture("quotes.csv");
    let mut cmd = quotestance();
    cmd.args(["report", "--quiet", "-o"])
        .arg(&html)
        .arg(&quotes);
    if with_articles {
        cmd.arg("--articles").arg(fixture("articles.jsonl"));
    }
    cmd.assert().success();
    std::fs::read_to_string(&html).expect("the page")
}

/// The JSON of the page's data block.
fn embedded(page: &str) -> serde_json::Value {
    let open = r#"<script type="application/json" id="data">"#;
    let start = page.find(open).expect("a data block") + open.len();
    let end = start + page[start..].find("</script>").expect("the block ends");
    serde_json::from_str(&page[start..end]).expect("the data is JSON")
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

#[test]
fn embedded_counts_equal_the_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = embedded(&report_page(dir.path(), true));
    let mut reader = csv::Reader::from_path(fixture("quotes.csv")).expect("fixture");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(data["total"], rows.len());
    assert_eq!(data["shown"], rows.len());
    let stances = strings(&data["stances"]);
    let shown: Vec<String> = data["q"]["st"]
        .as_array()
        .expect("stances")
        .iter()
        .map(|k| stances[k.as_u64().expect("index") as usize].clone())
        .collect();
    let expected: Vec<String> = rows.iter().map(|r| r[8].to_string()).collect();
    assert_eq!(shown, expected);
    let speakers = strings(&data["speakers"]);
    let quotes = strings(&data["q"]["t"]);
    for (k, row) in rows.iter().enumerate() {
        let sp = data["q"]["sp"][k].as_u64().expect("speaker") as usize;
        assert_eq!(speakers[sp], &row[5]);
        assert_eq!(quotes[k], &row[7]);
    }
    assert_eq!(strings(&data["q"]["d"])[3], "2024-05-03");
    // Every quote is highlighted in its article, with the quote's own text.
    let texts = data["texts"].as_array().expect("article texts");
    assert_eq!(texts.len(), 3);
    let mut highlighted = vec![String::new(); rows.len()];
    for text in texts {
        for part in text["parts"].as_array().expect("parts") {
            if let Some(q) = part[1].as_i64().filter(|&q| q >= 0) {
                highlighted[q as usize].push_str(part[0].as_str().expect("text"));
            }
        }
    }
    assert_eq!(highlighted, quotes);
}

#[test]
fn script_in_the_data_cannot_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = report_page(dir.path(), true);
    assert!(!page.contains("<script>alert"), "raw data in the page");
    assert!(!page.contains("</script> & more"));
    assert!(page.contains(r"\u003cscript\u003ealert(1)\u003c/script\u003e \u0026 more"));
    // The two script elements of the page and nothing else.
    assert_eq!(page.matches("<script").count(), 2);
    assert!(
        !page.contains("innerHTML"),
        "the page builds its DOM with textContent"
    );
    // Self-contained: no address but the SVG namespace, no linked files.
    let outside = page.replace("http://www.w3.org/2000/svg", "");
    assert!(!outside.contains("http://") && !outside.contains("https://"));
    assert!(!page.contains("<link") && !page.contains(" src="));
}

#[test]
fn page_without_articles_has_no_article_view() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = embedded(&report_page(dir.path(), false));
    assert!(data["texts"].is_null());
    assert_eq!(data["shown"], 6);
}

/// `run --report` writes the same page `report` would over the finished output and its inputs:
/// the article view included, the kept fields among the columns.
#[test]
fn run_report_writes_the_page_of_the_finished_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (csv, html) = (dir.path().join("quotes.csv"), dir.path().join("run.html"));
    quotestance()
        .args([
            "run",
            "--skip-classify",
            "--quiet",
            "--keep-fields",
            "title",
            "-o",
        ])
        .arg(&csv)
        .arg("--report")
        .arg(&html)
        .arg(fixture("articles.jsonl"))
        .assert()
        .success();
    let rows = csv::Reader::from_path(&csv)
        .expect("output")
        .records()
        .count();
    let data = embedded(&std::fs::read_to_string(&html).expect("the page"));
    assert_eq!(data["total"], rows);
    assert!(!data["texts"].is_null(), "the article view is there");
    quotestance()
        .args(["run", "--skip-classify", "--report"])
        .arg(dir.path().join("stdout.html"))
        .arg(fixture("articles.jsonl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--report needs an output file"));
}

#[test]
fn missing_columns_are_named_with_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("other.csv");
    std::fs::write(
        &bad,
        "article_id,quote_index,start,end,speaker,cue,quote,stance_score,sentiment,sentiment_score\n",
    )
    .expect("write");
    for command in ["report", "summarize"] {
        quotestance()
            .args([command, "-o"])
            .arg(dir.path().join("out"))
            .arg(&bad)
            .assert()
            .failure()
            .stderr(predicate::str::contains(
                "other.csv is not quotestance output",
            ))
            .stderr(predicate::str::contains("no kind, stance columns"));
    }
}

#[test]
fn a_malformed_row_names_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(fixture("quotes.csv")).expect("fixture");
    let broken = text.replacen("r1,1,82,104", "r1,1,eighty,104", 1);
    let bad = dir.path().join("broken.csv");
    std::fs::write(&bad, broken).expect("write");
    quotestance()
        .arg("summarize")
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicate::str::contains("broken.csv:3:"));
}

#[test]
fn articles_that_do_not_match_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let all = std::fs::read_to_string(fixture("articles.jsonl")).expect("fixture");
    let two: String = all.lines().take(2).map(|l| format!("{l}\n")).collect();
    let partial = dir.path().join("two.jsonl");
    std::fs::write(&partial, two).expect("write");
    quotestance()
        .args(["report", "-o"])
        .arg(dir.path().join("r.html"))
        .arg(fixture("quotes.csv"))
        .arg("--articles")
        .arg(&partial)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "article \"r3\" is not in --articles",
        ))
        .stderr(predicate::str::contains("two.jsonl"));
    assert!(!dir.path().join("r.html").exists(), "no page on an error");
    let edited = dir.path().join("edited.jsonl");
    std::fs::write(
        &edited,
        all.replace("the plan was fine", "the plan was poor"),
    )
    .expect("write");
    quotestance()
        .args(["report", "-o"])
        .arg(dir.path().join("r.html"))
        .arg(fixture("quotes.csv"))
        .arg("--articles")
        .arg(&edited)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "quote 1 of article \"r3\" does not match the article text",
        ));
}

#[test]
fn summarize_speakers_as_csv_matches_hand_counts() {
    let quotes = fixture("quotes.csv");
    let csv = stdout_of(&[
        "summarize",
        "--format",
        "csv",
        quotes.to_str().expect("path"),
    ]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "speaker,quotes,share,threat,threat_share,offer,offer_share,denial,denial_share,demand,\
         demand_share,accusation,accusation_share,rejection,rejection_share,neutral,neutral_share"
    );
    let z = "0,0.0000";
    assert_eq!(
        lines[1],
        format!("Anna Berg,2,0.3333,1,0.5000,1,0.5000,{z},{z},{z},{z},{z}")
    );
    assert_eq!(
        lines[2],
        format!("Tom Hale,2,0.3333,{z},{z},2,1.0000,{z},{z},{z},{z}")
    );
    assert_eq!(
        lines[3],
        format!("(none),1,0.1667,{z},{z},{z},{z},{z},{z},1,1.0000")
    );
    assert_eq!(
        lines[4],
        format!("\"<script>alert(\"\"x\"\")</script>\",1,0.1667,{z},{z},{z},{z},1,1.0000,{z},{z}")
    );
    assert_eq!(
        lines[5],
        "total,6,1.0000,1,0.1667,1,0.1667,2,0.3333,0,0.0000,1,0.1667,0,0.0000,1,0.1667"
    );
    assert_eq!(lines.len(), 6);
}

#[test]
fn summarize_markdown_by_date_and_source() {
    let quotes = fixture("quotes.csv");
    let path = quotes.to_str().expect("path");
    let dates = stdout_of(&["summarize", "--by", "date", path]);
    let days: Vec<&str> = dates
        .lines()
        .skip(2)
        .map(|l| l.split(" | ").next().unwrap_or("").trim_start_matches("| "))
        .collect();
    assert_eq!(
        days,
        [
            "2024-05-01",
            "2024-05-03",
            "2024-06-10",
            "(none)",
            "**total**"
        ]
    );
    assert!(
        dates.contains("| 2024-05-01 | 3 | 50.0% | 1 (33.3%) | 0 (0.0%) | 2 (66.7%) |"),
        "{dates}"
    );
    let sources = stdout_of(&["summarize", "--by", "source", "--format", "md", path]);
    assert!(
        sources.starts_with("| source | quotes | share |"),
        "{sources}"
    );
    assert!(sources.contains("| wire | 5 | 83.3% |"), "{sources}");
    assert!(sources.contains("| blog | 1 | 16.7% |"), "{sources}");
    let stance = stdout_of(&["summarize", "--by", "stance", "--format", "csv", path]);
    assert!(
        stance.starts_with("stance,quotes,share\ndenial,2,0.3333\n"),
        "{stance}"
    );
}

#[test]
fn summarize_writes_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("speakers.md");
    quotestance()
        .arg("summarize")
        .arg(fixture("quotes.csv"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let table = std::fs::read_to_string(out).expect("the table");
    assert!(
        table.contains("| **total** | **6** | **100.0%** |"),
        "{table}"
    );
}

/// 100,000 quotes make a page under 30 MB (a size check; timings are the benchmark's).
#[test]
fn a_100k_quote_page_stays_under_30_mb() {
    let dir = tempfile::tempdir().expect("temp dir");
    let quotes = dir.path().join("quotes.csv");
    generated_quotes::write_quotes(&quotes, 100_000);
    let html = dir.path().join("report.html");
    quotestance()
        .args(["report", "--quiet", "-o"])
        .arg(&html)
        .arg(&quotes)
        .assert()
        .success();
    let page = std::fs::read_to_string(&html).expect("the page");
    println!("100,000 quotes: a page of {} bytes", page.len());
    assert!(page.len() < 30_000_000, "{} bytes", page.len());
    let data = embedded(&page);
    assert_eq!(data["shown"], 100_000);
    assert_eq!(data["q"]["t"].as_array().map(Vec::len), Some(100_000));
}
