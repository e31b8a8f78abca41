//! End-to-end tests that drive the `quotestance` binary in a scratch folder, one behaviour each.

use std::fs;
use std::io::Write;
use std::path::Path;

use assert_cmd::Command;
use flate2::Compression;
use flate2::write::GzEncoder;
use predicates::prelude::*;

mod common;
use common::{ARTICLE, jsonl_line, run_ok, scratch, write};

fn quotestance() -> Command {
    Command::cargo_bin("quotestance").expect("binary is built")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

/// Parses CSV output into records (header checked).
fn csv_rows(output: &[u8]) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_reader(output);
    let headers = reader.headers().expect("header").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        quotestance::run::output::COLUMNS.to_vec()
    );
    reader.records().map(|r| r.expect("record")).collect()
}

#[test]
fn jsonl_input_gives_one_row_per_quote() {
    let dir = scratch();
    let input = write(
        dir.path(),
        "a.jsonl",
        format!("{}\n", jsonl_line("a1", ARTICLE)).as_bytes(),
    );
    let rows = csv_rows(&run_ok(&["run", input.to_str().unwrap()]));
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(&rows[0][0], "a1");
    assert_eq!(&rows[0][4], "direct");
    assert_eq!(&rows[0][5], "Anna Berg");
    assert_eq!(&rows[1][4], "indirect");
    assert_eq!(&rows[1][5], "Anna Berg");
    assert_eq!(&rows[2][4], "mixed");
    assert_eq!(&rows[2][5], "Tom Hale");
}

#[test]
fn ndjson_csv_txt_gz_and_stdin_inputs_agree() {
    let dir = scratch();
    let jsonl = format!("{}\n", jsonl_line("x", ARTICLE));
    let reference = csv_rows(&run_ok(&[
        "run",
        write(dir.path(), "a.jsonl", jsonl.as_bytes())
            .to_str()
            .unwrap(),
    ]));
    let quote_texts =
        |rows: &[csv::StringRecord]| rows.iter().map(|r| r[7].to_string()).collect::<Vec<_>>();

    let ndjson = write(dir.path(), "b.ndjson", jsonl.as_bytes());
    assert_eq!(
        quote_texts(&csv_rows(&run_ok(&["run", ndjson.to_str().unwrap()]))),
        quote_texts(&reference)
    );

    let mut csv_writer = csv::Writer::from_writer(Vec::new());
    csv_writer.write_record(["id", "text"]).unwrap();
    csv_writer.write_record(["x", ARTICLE]).unwrap();
    let csv_path = write(dir.path(), "c.csv", &csv_writer.into_inner().unwrap());
    assert_eq!(
        quote_texts(&csv_rows(&run_ok(&["run", csv_path.to_str().unwrap()]))),
        quote_texts(&reference)
    );

    let txt = write(dir.path(), "story.txt", ARTICLE.as_bytes());
    let rows = csv_rows(&run_ok(&["run", txt.to_str().unwrap()]));
    assert_eq!(&rows[0][0], "story", "a text file's id is its stem");
    assert_eq!(quote_texts(&rows), quote_texts(&reference));

    let gz = write(dir.path(), "d.jsonl.gz", &gzip(jsonl.as_bytes()));
    assert_eq!(
        quote_texts(&csv_rows(&run_ok(&["run", gz.to_str().unwrap()]))),
        quote_texts(&reference)
    );

    let out = quotestance()
        .args(["run", "-", "--quiet", "--skip-classify"])
        .write_stdin(jsonl.clone())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(quote_texts(&csv_rows(&out.stdout)), quote_texts(&reference));
}

#[test]
fn folders_are_walked_recursively_in_path_order() {
    let dir = scratch();
    write(dir.path(), "b/second.txt", ARTICLE.as_bytes());
    write(
        dir.path(),
        "a/first.jsonl",
        format!("{}\n", jsonl_line("first", ARTICLE)).as_bytes(),
    );
    write(
        dir.path(),
        "c/third.csv.gz",
        &gzip(format!("id,text\nthird,\"{}\"\n", ARTICLE.replace('"', "\"\"")).as_bytes()),
    );
    let rows = csv_rows(&run_ok(&["run", dir.path().to_str().unwrap()]));
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| &r[0])
        .collect::<Vec<_>>()
        .into_iter()
        .fold(Vec::new(), |mut v, id| {
            if v.last() != Some(&id) {
                v.push(id);
            }
            v
        });
    assert_eq!(ids, vec!["first", "second", "third"]);
}

#[test]
fn custom_id_and_text_fields() {
    let dir = scratch();
    let line = serde_json::json!({ "doc": "d7", "body": ARTICLE }).to_string();
    let input = write(dir.path(), "a.jsonl", format!("{line}\n").as_bytes());
    let rows = csv_rows(&run_ok(&[
        "run",
        input.to_str().unwrap(),
        "--id-field",
        "doc",
        "--text-field",
        "body",
    ]));
    assert_eq!(&rows[0][0], "d7");
}

#[test]
fn jsonl_output_has_the_same_fields() {
    let dir = scratch();
    let input = write(
        dir.path(),
        "a.jsonl",
        format!("{}\n", jsonl_line("a1", ARTICLE)).as_bytes(),
    );
    let out = run_ok(&["run", input.to_str().unwrap(), "--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let keys: Vec<&str> = lines[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for column in quotestance::run::output::COLUMNS {
        assert!(keys.contains(&column), "missing {column} in {keys:?}");
    }
    assert_eq!(lines[0]["speaker"], "Anna Berg");
    assert!(lines[0]["stance"].is_null());
}

#[test]
fn offsets_are_code_points_into_the_article() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/articles/articles.jsonl");
    let texts: std::collections::HashMap<String, Vec<char>> = fs::read_to_string(&corpus)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().chars().collect(),
            )
        })
        .collect();
    let rows = csv_rows(&run_ok(&["run", corpus.to_str().unwrap()]));
    assert!(rows.len() > 300);
    for row in rows {
        let text = &texts[&row[0]];
        let (start, end): (usize, usize) = (row[2].parse().unwrap(), row[3].parse().unwrap());
        assert!(start < end && end <= text.len(), "{row:?}");
        let slice: String = text[start..end].iter().collect();
        assert_eq!(slice, &row[7], "text[start:end] == quote for {row:?}");
    }
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/articles/articles.jsonl");
    let one = run_ok(&["run", corpus.to_str().unwrap(), "--threads", "1"]);
    let eight = run_ok(&["run", corpus.to_str().unwrap(), "--threads", "8"]);
    assert!(!one.is_empty());
    assert_eq!(one, eight);
}

#[test]
fn output_file_is_written_atomically() {
    let dir = scratch();
    let input = write(
        dir.path(),
        "a.jsonl",
        format!("{}\n", jsonl_line("a1", ARTICLE)).as_bytes(),
    );
    let out = dir.path().join("quotes.csv");
    run_ok(&["run", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(csv_rows(&fs::read(&out).unwrap()).len(), 3);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn failed_run_leaves_no_output_file() {
    let dir = scratch();
    let input = write(
        dir.path(),
        "a.jsonl",
        format!("{}\n{{broken\n", jsonl_line("a1", ARTICLE)).as_bytes(),
    );
    let out = dir.path().join("quotes.csv");
    quotestance()
        .args([
            "run",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--strict",
            "--quiet",
            "--skip-classify",
        ])
        .assert()
        .code(3);
    assert!(
        !out.exists(),
        "a failed run must not leave a file that looks complete"
    );
    assert!(fs::read_dir(dir.path()).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".partial")
    }));
}

/// Runs on `input` and returns (rows, stderr).
fn run_with_warnings(input: &Path) -> (Vec<csv::StringRecord>, String) {
    let out = quotestance()
        .args(["run", input.to_str().unwrap(), "--quiet", "--skip-classify"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        csv_rows(&out.stdout),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn malformed_json_line_is_skipped_with_file_and_line() {
    let dir = scratch();
    let body = format!(
        "{}\n{{\"id\": \"bad\", \"text\": \n{}\n",
        jsonl_line("a", ARTICLE),
        jsonl_line("b", ARTICLE)
    );
    let input = write(dir.path(), "in.jsonl", body.as_bytes());
    let (rows, stderr) = run_with_warnings(&input);
    assert!(
        stderr.contains("in.jsonl:2:") && stderr.contains("malformed JSON"),
        "{stderr}"
    );
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.into_iter().collect::<Vec<_>>(), vec!["a", "b"]);
}

#[test]
fn json_without_text_field_is_skipped() {
    let dir = scratch();
    let body = format!("{{\"id\": \"x\"}}\n{}\n[1,2]\n", jsonl_line("b", ARTICLE));
    let input = write(dir.path(), "in.jsonl", body.as_bytes());
    let (rows, stderr) = run_with_warnings(&input);
    assert!(
        stderr.contains("in.jsonl:1:") && stderr.contains("no \"text\" field"),
        "{stderr}"
    );
    assert!(
        stderr.contains("in.jsonl:3:") && stderr.contains("not a JSON object"),
        "{stderr}"
    );
    assert_eq!(rows.len(), 3);
}

#[test]
fn csv_row_without_text_field_is_skipped() {
    let dir = scratch();
    let body = format!("id,text\nshort\nb,\"{}\"\n", ARTICLE.replace('"', "\"\""));
    let input = write(dir.path(), "in.csv", body.as_bytes());
    let (rows, stderr) = run_with_warnings(&input);
    assert!(
        stderr.contains("in.csv:2:") && stderr.contains("no \"text\" field"),
        "{stderr}"
    );
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| &r[0] == "b"));
}

#[test]
fn csv_without_text_column_is_reported() {
    let dir = scratch();
    let input = write(dir.path(), "in.csv", b"id,body\na,hello\n");
    let (rows, stderr) = run_with_warnings(&input);
    assert!(rows.is_empty());
    assert!(
        stderr.contains("in.csv:1:") && stderr.contains("no \"text\" column"),
        "{stderr}"
    );
}

#[test]
fn invalid_utf8_is_skipped_with_its_line() {
    let dir = scratch();
    let mut body = format!("{}\n", jsonl_line("a", ARTICLE)).into_bytes();
    body.extend_from_slice(b"{\"id\": \"bad\", \"text\": \"caf\xe9\"}\n");
    body.extend_from_slice(format!("{}\n", jsonl_line("c", ARTICLE)).as_bytes());
    let input = write(dir.path(), "in.jsonl", &body);
    let (rows, stderr) = run_with_warnings(&input);
    assert!(
        stderr.contains("in.jsonl:2:") && stderr.contains("invalid UTF-8"),
        "{stderr}"
    );
    assert_eq!(rows.len(), 6);

    let txt = write(dir.path(), "bad.txt", b"line one\nline \xff two\n");
    let (rows, stderr) = run_with_warnings(&txt);
    assert!(rows.is_empty());
    assert!(
        stderr.contains("bad.txt:2:") && stderr.contains("invalid UTF-8"),
        "{stderr}"
    );
}

#[test]
fn empty_files_are_fine() {
    let dir = scratch();
    for name in ["e.jsonl", "e.csv", "e.txt"] {
        let input = write(dir.path(), name, b"");
        let (rows, _) = run_with_warnings(&input);
        assert!(rows.is_empty(), "{name}");
    }
}

#[test]
fn oversized_article_is_skipped_and_the_rest_processed() {
    let dir = scratch();
    let huge = "word ".repeat(10_500_000); // about 50 MB
    let body = format!(
        "{}\n{}\n{}\n",
        jsonl_line("a", ARTICLE),
        jsonl_line("huge", &huge),
        jsonl_line("c", ARTICLE)
    );
    drop(huge);
    let input = write(dir.path(), "big.jsonl", body.as_bytes());
    drop(body);
    let (rows, stderr) = run_with_warnings(&input);
    assert!(
        stderr.contains("big.jsonl:2:") && stderr.contains("--max-article-bytes"),
        "{stderr}"
    );
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.into_iter().collect::<Vec<_>>(), vec!["a", "c"]);
}

#[test]
fn binary_file_in_a_folder_is_skipped() {
    let dir = scratch();
    write(dir.path(), "a.txt", ARTICLE.as_bytes());
    write(dir.path(), "b.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    write(dir.path(), "c.png", b"\x89PNG\r\n\x1a\n\x00\x00");
    write(dir.path(), "d.txt", ARTICLE.as_bytes());
    let (rows, stderr) = run_with_warnings(dir.path());
    assert!(
        stderr.contains("b.txt:") && stderr.contains("binary"),
        "{stderr}"
    );
    assert!(
        stderr.contains("c.png") && stderr.contains("skipped"),
        "{stderr}"
    );
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.into_iter().collect::<Vec<_>>(), vec!["a", "d"]);
}

#[test]
fn strict_turns_the_first_bad_record_into_exit_3() {
    let dir = scratch();
    let input = write(
        dir.path(),
        "in.jsonl",
        format!("{}\nnot json\n", jsonl_line("a", ARTICLE)).as_bytes(),
    );
    quotestance()
        .args([
            "run",
            input.to_str().unwrap(),
            "--strict",
            "--quiet",
            "--skip-classify",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("in.jsonl:2:"));
}

#[test]
fn missing_input_is_an_error() {
    quotestance()
        .args(["run", "/no/such/file.jsonl", "--skip-classify"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/no/such/file.jsonl"));
}

#[test]
fn neutral_share_is_checked_before_anything_runs() {
    let dir = scratch();
    let input = write(dir.path(), "a.jsonl", jsonl_line("a1", ARTICLE).as_bytes());
    let input = input.to_str().unwrap();
    for bad in ["0", "1", "1.5", "-0.2", "most"] {
        quotestance()
            .args(["run", input, &format!("--neutral-share={bad}")])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--neutral-share"));
    }
    // It moves the trained heads; the keyword classifier has no prior to move.
    quotestance()
        .args([
            "run",
            input,
            "--classifier",
            "lexicon",
            "--neutral-share",
            "0.75",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("lexicon classifier has none"));
}

#[test]
fn help_documents_exit_codes() {
    // The help's own section, not the --strict flag's line, must list every code.
    let out = quotestance().args(["run", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    let section = help
        .split("Exit codes:")
        .nth(1)
        .expect("an Exit codes section");
    for code in ["0  success", "1  error", "2  usage error", "3  --strict"] {
        assert!(section.contains(code), "{code:?} in {section}");
    }
}

#[test]
fn segment_prints_one_sentence_per_line() {
    quotestance()
        .args(["segment", "-"])
        .write_stdin("Dr. Smith left at 9 a.m. on Monday. He said\nnothing. “Go!” he said.")
        .assert()
        .success()
        .stdout("Dr. Smith left at 9 a.m. on Monday.\nHe said nothing.\n“Go!” he said.\n");
}

#[test]
fn eval_on_the_bundled_gold_meets_the_targets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = quotestance()
        .args([
            "eval",
            "--articles",
            root.join("datasets/articles/articles.jsonl")
                .to_str()
                .unwrap(),
            "--gold",
            root.join("datasets/articles/gold.csv").to_str().unwrap(),
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f1 = report["detection"]["f1"].as_f64().unwrap();
    let speaker = report["speaker_accuracy"].as_f64().unwrap();
    assert!(f1 >= 0.90, "detection F1 {f1}");
    assert!(speaker >= 0.90, "speaker accuracy {speaker}");
}

#[test]
fn eval_scores_a_predictions_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gold = root.join("datasets/articles/gold.csv");
    // The gold scored against itself is perfect.
    let out = quotestance()
        .args([
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            gold.to_str().unwrap(),
            "--json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["detection"]["f1"].as_f64(), Some(1.0));
    assert_eq!(report["speaker_accuracy"].as_f64(), Some(1.0));
}

#[test]
fn compare_agrees_with_eval_and_writes_its_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let articles = root.join("datasets/articles/heldout.jsonl");
    let gold = root.join("datasets/articles/heldout_gold.csv");
    let dir = scratch();
    let out = quotestance()
        .args([
            "compare",
            "--articles",
            articles.to_str().unwrap(),
            "--gold",
            gold.to_str().unwrap(),
            "--classifier",
            "lexicon",
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let eval = quotestance()
        .args([
            "eval",
            "--articles",
            articles.to_str().unwrap(),
            "--gold",
            gold.to_str().unwrap(),
            "--classifier",
            "lexicon",
            "--json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&eval.stdout).unwrap();
    let mut table = csv::Reader::from_path(dir.path().join("table.csv")).unwrap();
    let header = table.headers().unwrap().clone();
    let row = table.records().next().unwrap().unwrap();
    let cell = |name: &str| {
        let k = header.iter().position(|h| h == name).expect(name);
        row[k].to_string()
    };
    assert_eq!(cell("classifier"), "lexicon");
    assert_eq!(cell("backend"), "-", "the lexicon runs no encoder");
    // Cells hold the value and its interval: "0.500 [0.423, 0.580]".
    let value = |name: &str| -> f64 {
        cell(name)
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let close = |name: &str, expected: &serde_json::Value| {
        (value(name) - expected.as_f64().unwrap()).abs() < 0.0006
    };
    let interval = &report["intervals"]["stance_macro_f1"];
    assert!(
        cell("stance_macro_f1").contains(&format!(
            "[{:.3}, {:.3}]",
            interval["low"].as_f64().unwrap(),
            interval["high"].as_f64().unwrap()
        )),
        "compare and eval give the same interval: {row:?}"
    );
    assert!(
        close("stance_accuracy", &report["labels"]["stance"]["accuracy"]),
        "{row:?}"
    );
    assert!(
        close("stance_macro_f1", &report["labels"]["stance"]["macro_f1"]),
        "{row:?}"
    );
    assert!(
        close(
            "sentiment_accuracy",
            &report["labels"]["sentiment"]["accuracy"]
        ),
        "{row:?}"
    );
    assert!(
        close(
            "sentiment_macro_f1",
            &report["labels"]["sentiment"]["macro_f1"]
        ),
        "{row:?}"
    );
    assert_eq!(
        value("quotes") as u64,
        report["labels"]["stance"]["support"].as_u64().unwrap()
    );
    for file in [
        "table.md",
        "pairs.csv",
        "subsets.csv",
        "chart.svg",
        "chart.png",
        "confusion-lexicon-stance.csv",
        "confusion-lexicon-sentiment.csv",
    ] {
        assert!(
            dir.path().join(file).metadata().unwrap().len() > 0,
            "{file}"
        );
    }
    assert!(
        fs::read(dir.path().join("chart.png"))
            .unwrap()
            .starts_with(b"\x89PNG")
    );
}

/// `compare --by domain` scores every system on the articles of each domain: the groups split
/// the matched quotes exactly, and each group's count is its articles' matched quotes.
#[test]
fn compare_breaks_scores_down_by_an_article_field() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let articles = root.join("datasets/articles/heldout.jsonl");
    let gold = root.join("datasets/articles/heldout_gold.csv");
    let dir = scratch();
    let out = quotestance()
        .args(["compare", "--articles", articles.to_str().unwrap()])
        .args(["--gold", gold.to_str().unwrap()])
        .args([
            "--classifier",
            "lexicon",
            "--by",
            "domain",
            "--bootstrap",
            "0",
        ])
        .args(["--runs", "1", "--out", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let domains: std::collections::BTreeSet<String> = fs::read_to_string(&articles)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!("domain={}", v["domain"].as_str().unwrap())
        })
        .collect();
    assert!(domains.len() > 2);
    let total: u64 = csv::Reader::from_path(dir.path().join("table.csv"))
        .unwrap()
        .records()
        .next()
        .unwrap()
        .unwrap()[2]
        .parse()
        .unwrap();
    let mut grouped = 0;
    let mut seen = std::collections::BTreeSet::new();
    for record in csv::Reader::from_path(dir.path().join("subsets.csv"))
        .unwrap()
        .records()
    {
        let record = record.unwrap();
        if record[2].starts_with("domain=") {
            assert!(domains.contains(&record[2]), "{record:?}");
            seen.insert(record[2].to_string());
            grouped += record[3].parse::<u64>().unwrap();
        }
    }
    assert_eq!(grouped, total, "the domains split the matched quotes");
    assert!(seen.len() > 2);
    let md = fs::read_to_string(dir.path().join("subsets.md")).unwrap();
    assert!(md.contains("| lexicon | - | domain="), "{md}");
}
