//! End-to-end tests of the corpus-scale features, driving the real binary: sharding and merging,
//! resuming killed runs, the end-of-run summary, streaming from standard input, and output that
//! cannot be written. All run extraction only (`--skip-classify`), so no model is needed.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{ARTICLE, jsonl_line, run_ok, scratch, write};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_quotestance"))
}

fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// A corpus with awkward ordering: ids that do not sort like the input, repeated ids (two `x.jsonl`
/// files without ids give the same `x:LINE` ids), articles with no quotes, and the bundled
/// development articles.
fn corpus(dir: &Path) -> PathBuf {
    let root = dir.join("corpus");
    let mut a = String::new();
    let mut b = String::new();
    for k in 0..60 {
        let text = if k % 4 == 0 {
            "A short note with no quotes at all.".to_string()
        } else {
            ARTICLE.replace("Friday", &format!("day {k}"))
        };
        a.push_str(&format!("{}\n", serde_json::json!({ "text": text })));
        let other = if k % 3 == 0 {
            ARTICLE.replace("tomorrow", &format!("on day {k}"))
        } else {
            "Nobody said anything.".to_string()
        };
        b.push_str(&format!("{}\n", serde_json::json!({ "text": other })));
    }
    write(&root, "1/x.jsonl", a.as_bytes());
    write(&root, "2/x.jsonl", b.as_bytes());
    let articles = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/articles/articles.jsonl");
    fs::copy(&articles, root.join("3-articles.jsonl")).expect("copy");
    root
}

/// Runs every shard of `n` and merges them; returns the merged bytes.
fn sharded_then_merged(dir: &Path, input: &Path, n: u64, format: &str) -> Vec<u8> {
    sharded_then_merged_with(dir, input, n, format, &[])
}

/// As [`sharded_then_merged`], with more `run` arguments for every shard.
fn sharded_then_merged_with(
    dir: &Path,
    input: &Path,
    n: u64,
    format: &str,
    extra: &[&str],
) -> Vec<u8> {
    let mut parts = Vec::new();
    // Parts are given to merge in reverse: their order on the command line does not matter.
    for k in (0..n).rev() {
        let part = dir.join(format!("part-{k}-of-{n}.{format}"));
        let shard = format!("{k}/{n}");
        let mut args = vec![
            "run",
            s(input),
            "--format",
            format,
            "--shard",
            &shard,
            "-o",
            s(&part),
        ];
        args.extend_from_slice(extra);
        run_ok(&args);
        parts.push(part);
    }
    let merged = dir.join(format!("merged-{n}.{format}"));
    let out = bin()
        .args(["merge", s(&merged)])
        .args(parts.iter().map(|p| s(p)))
        .args(["--inputs", s(input), "--quiet"])
        .output()
        .expect("merge");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fs::read(&merged).expect("merged output")
}

#[test]
fn merged_shards_equal_one_full_run_byte_for_byte() {
    let dir = scratch();
    let input = corpus(dir.path());
    let full = run_ok(&["run", s(&input)]);
    assert!(full.len() > 10_000);
    for n in [1, 2, 3, 7] {
        assert!(
            sharded_then_merged(dir.path(), &input, n, "csv") == full,
            "{n} shards merged differ from the full run"
        );
    }
}

/// Articles with a source and a date in three forms, one of them unreadable.
fn dated_corpus(dir: &Path) -> PathBuf {
    let path = dir.join("dated.jsonl");
    let dates = ["March 5, 2024", "2024-03-06T09:00:00Z", "05/03/2024"];
    let mut lines = String::new();
    for k in 0..30 {
        let text = ARTICLE.replace("Friday", &format!("day {k}"));
        let record = serde_json::json!({
            "id": format!("d{k}"),
            "text": text,
            "source": format!("Wire {}", k % 4),
            "published": dates[k % 3],
        });
        lines.push_str(&format!("{record}\n"));
    }
    fs::write(&path, lines).expect("write corpus");
    path
}

#[test]
fn kept_fields_and_dates_go_into_every_row_and_survive_shards() {
    let dir = scratch();
    let input = dated_corpus(dir.path());
    let kept = ["--keep-fields", "source,id", "--date-field", "published"];
    for format in ["csv", "jsonl"] {
        let mut args = vec!["run", s(&input), "--format", format];
        args.extend_from_slice(&kept);
        let full = run_ok(&args);
        assert!(sharded_then_merged_with(dir.path(), &input, 3, format, &kept) == full);
        if format == "jsonl" {
            let first: serde_json::Value =
                serde_json::from_slice(full.split(|&b| b == b'\n').next().unwrap()).unwrap();
            assert_eq!(first["source"], "Wire 0");
            assert_eq!(first["date"], "2024-03-05");
            continue;
        }
        let mut reader = csv::Reader::from_reader(full.as_slice());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(
            headers.iter().skip(12).collect::<Vec<_>>(),
            ["source", "id", "date"]
        );
        let mut days = std::collections::BTreeMap::new();
        for record in reader.records() {
            let record = record.unwrap();
            assert_eq!(&record[0], &record[13], "the kept id is the row's article");
            *days.entry(record[14].to_string()).or_insert(0) += 1;
        }
        let days: Vec<&String> = days.keys().collect();
        assert_eq!(
            days,
            ["", "2024-03-05", "2024-03-06"],
            "unreadable dates stay empty"
        );
    }
    // The unreadable date is named with its file and line.
    let out = bin()
        .args(["run", s(&input), "--skip-classify", "-o", "-"])
        .args(kept)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("dated.jsonl:3: published \"05/03/2024\" is not a date"),
        "{stderr}"
    );
    // A kept name the schema has is a usage error.
    let out = bin()
        .args([
            "run",
            s(&input),
            "--skip-classify",
            "--keep-fields",
            "speaker",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already has a speaker column"));
}

#[test]
fn merged_jsonl_shards_equal_one_full_run() {
    let dir = scratch();
    let input = corpus(dir.path());
    let full = run_ok(&["run", s(&input), "--format", "jsonl"]);
    assert!(sharded_then_merged(dir.path(), &input, 3, "jsonl") == full);
}

/// The lexicon classifier labels each quote on its own, so its labels and scores survive sharding
/// unchanged too. (Encoder classifiers batch a quote with its chunk's neighbours; see the README.)
#[test]
fn merged_lexicon_labelled_shards_equal_one_full_run() {
    let dir = scratch();
    let input = corpus(dir.path());
    let labelled = |extra: &[&str], out: &Path| {
        let run = bin()
            .args([
                "run",
                s(&input),
                "--classifier",
                "lexicon",
                "--format",
                "jsonl",
            ])
            .args(["--quiet", "-o", s(out)])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    };
    let full = dir.path().join("full.jsonl");
    labelled(&[], &full);
    let parts: Vec<PathBuf> = (0..3)
        .map(|k| {
            let part = dir.path().join(format!("p{k}.jsonl"));
            labelled(&["--shard", &format!("{k}/3")], &part);
            part
        })
        .collect();
    let merged = dir.path().join("merged.jsonl");
    let merge = bin()
        .args(["merge", s(&merged)])
        .args(parts.iter().map(|p| s(p)))
        .args(["--inputs", s(&input), "--quiet"])
        .output()
        .unwrap();
    assert!(merge.status.success());
    let full = fs::read(&full).unwrap();
    assert!(String::from_utf8_lossy(&full).contains("\"stance\":\""));
    assert!(fs::read(&merged).unwrap() == full);
}

#[test]
fn each_article_is_in_exactly_one_shard() {
    let dir = scratch();
    let input = corpus(dir.path());
    let full = String::from_utf8(run_ok(&["run", s(&input), "--format", "jsonl"])).unwrap();
    let mut rows = 0;
    for k in 0..3 {
        let part = String::from_utf8(run_ok(&[
            "run",
            s(&input),
            "--format",
            "jsonl",
            "--shard",
            &format!("{k}/3"),
        ]))
        .unwrap();
        for line in part.lines() {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = row["article_id"].as_str().unwrap();
            assert_eq!(quotestance::run::shard::shard_of(id, 3), k, "{id}");
        }
        rows += part.lines().count();
    }
    assert_eq!(rows, full.lines().count());
}

#[test]
fn merge_refuses_mixed_formats() {
    let dir = scratch();
    let input = corpus(dir.path());
    let csv = dir.path().join("p0.csv");
    let jsonl = dir.path().join("p1.jsonl");
    run_ok(&["run", s(&input), "--shard", "0/2", "-o", s(&csv)]);
    run_ok(&[
        "run",
        s(&input),
        "--shard",
        "1/2",
        "--format",
        "jsonl",
        "-o",
        s(&jsonl),
    ]);
    let merged = dir.path().join("merged.csv");
    let out = bin()
        .args([
            "merge",
            s(&merged),
            s(&csv),
            s(&jsonl),
            "--inputs",
            s(&input),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("format csv against jsonl"), "{stderr}");
    assert!(!merged.exists());
}

#[test]
fn merge_refuses_an_incomplete_set_of_parts() {
    let dir = scratch();
    let input = corpus(dir.path());
    let parts: Vec<PathBuf> = (0..3)
        .map(|k| {
            let part = dir.path().join(format!("p{k}.csv"));
            run_ok(&[
                "run",
                s(&input),
                "--shard",
                &format!("{k}/3"),
                "-o",
                s(&part),
            ]);
            part
        })
        .collect();
    let merged = dir.path().join("merged.csv");
    let out = bin()
        .args(["merge", s(&merged), s(&parts[0]), s(&parts[2])])
        .args(["--inputs", s(&input)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("shard"), "{stderr}");
    assert!(!merged.exists(), "a failed merge must not leave its output");
}

#[test]
fn shard_is_validated_and_numbered_from_zero() {
    for bad in ["3/3", "1/0", "two/3", "1"] {
        let out = bin()
            .args(["run", "-", "--skip-classify", "--shard", bad])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--shard"), "{bad}: {stderr}");
    }
    let out = bin()
        .args(["run", "-", "--skip-classify", "--shard", "3/3"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("numbered from 0 to 2"));
}

#[test]
fn shard_auto_reads_job_array_variables() {
    let dir = scratch();
    let input = corpus(dir.path());
    let explicit = run_ok(&["run", s(&input), "--shard", "1/4"]);
    let run_with = |vars: &[(&str, &str)], extra: &[&str]| {
        let mut command = bin();
        // Start from a clean slate even when the suite itself runs in a job array.
        for var in quotestance::run::shard::INDEX_VARIABLES.into_iter().chain([
            quotestance::run::shard::COUNT_VARIABLE,
            "SLURM_ARRAY_TASK_MIN",
            "SLURM_ARRAY_TASK_STEP",
            "SLURM_ARRAY_TASK_COUNT",
        ]) {
            command.env_remove(var);
        }
        let out = command
            .args(["run", s(&input), "--quiet", "--skip-classify"])
            .args(extra)
            .envs(vars.iter().copied())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{vars:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let auto = ["--shard", "auto"];
    let kubernetes = run_with(
        &[("JOB_COMPLETION_INDEX", "1")],
        &[&auto[..], &["--shards", "4"]].concat(),
    );
    assert!(kubernetes == explicit, "Kubernetes index");
    let aws = run_with(
        &[
            ("AWS_BATCH_JOB_ARRAY_INDEX", "1"),
            ("QUOTESTANCE_SHARDS", "4"),
        ],
        &auto,
    );
    assert!(aws == explicit, "AWS Batch index");
    // `--array=1-4`: task 2 is the second shard.
    let slurm = run_with(
        &[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ],
        &auto,
    );
    assert!(slurm == explicit, "Slurm index");
    // Without --shard, job-array variables are ignored: the whole corpus is processed.
    let ignored = run_with(
        &[("JOB_COMPLETION_INDEX", "1"), ("QUOTESTANCE_SHARDS", "4")],
        &[],
    );
    assert!(ignored == run_ok(&["run", s(&input)]));
}

#[test]
fn shard_auto_without_a_job_array_is_a_usage_error() {
    let mut command = bin();
    for var in quotestance::run::shard::INDEX_VARIABLES {
        command.env_remove(var);
    }
    let out = command
        .args([
            "run",
            "-",
            "--skip-classify",
            "--shard",
            "auto",
            "--shards",
            "4",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("JOB_COMPLETION_INDEX"), "{stderr}");
}

/// A corpus big enough that extraction takes a few seconds on one thread.
fn big_corpus(dir: &Path) -> PathBuf {
    let mut body = String::new();
    for k in 0..60_000 {
        let text = ARTICLE.replace("Friday", &format!("day {k}"));
        body.push_str(&jsonl_line(&format!("a{k}"), &text));
        body.push('\n');
        if k % 9_999 == 5 {
            body.push_str("{broken\n");
        }
    }
    write(dir, "big.jsonl", body.as_bytes())
}

/// A seed that differs from run to run, so the kill points differ too.
fn seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(7, |d| d.as_nanos() as u64)
}

fn next_random(state: &mut u64) -> u64 {
    // xorshift64*
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

fn has_commit(journal: &Path) -> bool {
    fs::read_to_string(journal).is_ok_and(|j| j.contains("\"commit\""))
}

#[test]
fn runs_killed_at_random_points_resume_to_the_same_bytes() {
    let dir = scratch();
    let input = big_corpus(dir.path());
    let reference = dir.path().join("reference.csv");
    run_ok(&["run", s(&input), "--threads", "1", "-o", s(&reference)]);

    let out = dir.path().join("out.csv");
    let journal = dir.path().join(".out.csv.journal");
    let args = [
        "run",
        s(&input),
        "--threads",
        "1",
        "-o",
        s(&out),
        "--resume",
        "--quiet",
        "--skip-classify",
    ];
    let summary = dir.path().join("summary.json");
    let mut state = seed() | 1;
    eprintln!("kill-point seed {state}");
    let mut kills = 0;
    loop {
        let mut child = bin()
            .args(args)
            .args(["--summary", s(&summary)])
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        if kills == 3 {
            assert!(child.wait().expect("wait").success());
            break;
        }
        if kills == 0 {
            // The first kill lands after at least one commit, so the resume has work to keep.
            while !has_commit(&journal) && child.try_wait().expect("wait").is_none() {
                std::thread::sleep(Duration::from_millis(5));
            }
        } else {
            let delay = Duration::from_millis(next_random(&mut state) % 1500);
            let until = Instant::now() + delay;
            while Instant::now() < until && child.try_wait().expect("wait").is_none() {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success());
            break; // it finished before the kill
        }
        child.kill().expect("SIGKILL"); // SIGKILL on Unix
        child.wait().expect("wait");
        kills += 1;
        assert!(!out.exists(), "a killed run must not leave its output");
    }
    assert!(kills >= 1, "the corpus is too small to kill a run mid-way");

    assert!(
        fs::read(&out).unwrap() == fs::read(&reference).unwrap(),
        "resumed output differs from an uninterrupted run"
    );
    // Written by the run that completed, which resumed the killed ones' work.
    let summary: serde_json::Value = serde_json::from_slice(&fs::read(&summary).unwrap()).unwrap();
    let resumed = summary["resumed_articles"].as_u64().unwrap();
    assert!(
        resumed > 0,
        "nothing was kept from the killed runs: {summary}"
    );
    assert_eq!(summary["articles"], 60_000);
    assert_eq!(summary["skipped_by_reason"]["malformed_json"], 7);
    assert!(!journal.exists());
    assert!(!dir.path().join(".out.csv.partial").exists());
}

#[test]
fn resume_refuses_a_journal_from_other_arguments() {
    let dir = scratch();
    let input = big_corpus(dir.path());
    let out = dir.path().join("out.csv");
    let journal = dir.path().join(".out.csv.journal");
    let mut child = bin()
        .args(["run", s(&input), "--threads", "1", "-o", s(&out)])
        .args(["--quiet", "--skip-classify"])
        .spawn()
        .expect("spawn");
    while !has_commit(&journal) && child.try_wait().expect("wait").is_none() {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    assert!(
        journal.exists(),
        "the run finished before it could be killed"
    );
    let refused = bin()
        .args(["run", s(&input), "--format", "jsonl", "-o", s(&out)])
        .args(["--resume", "--quiet", "--skip-classify"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("other inputs or options") && stderr.contains(".out.csv.journal"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn resume_without_a_journal_starts_from_the_beginning() {
    let dir = scratch();
    let input = write(
        dir.path(),
        "in.jsonl",
        format!("{}\n", jsonl_line("a", ARTICLE)).as_bytes(),
    );
    let out = dir.path().join("out.csv");
    let run = bin()
        .args([
            "run",
            s(&input),
            "-o",
            s(&out),
            "--resume",
            "--skip-classify",
        ])
        .output()
        .unwrap();
    assert!(run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("starting from the beginning"));
    assert!(fs::read(&out).unwrap() == run_ok(&["run", s(&input)]));
}

#[test]
fn resume_needs_an_output_file() {
    let dir = scratch();
    let input = write(dir.path(), "in.jsonl", b"");
    let out = bin()
        .args(["run", s(&input), "--resume", "--skip-classify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o FILE"));
}

/// Two good articles, a malformed line, a record without text and one over the size limit.
fn mixed_input(dir: &Path) -> PathBuf {
    let body = format!(
        "{}\n{{broken\n{{\"id\": \"no-text\"}}\n{}\n{}\n",
        jsonl_line("a", ARTICLE),
        jsonl_line("huge", &"word ".repeat(1000)),
        jsonl_line("b", ARTICLE)
    );
    write(dir, "in.jsonl", body.as_bytes())
}

#[test]
fn summary_json_counts_articles_quotes_and_skips_by_reason() {
    let dir = scratch();
    let input = mixed_input(dir.path());
    let summary = dir.path().join("summary.json");
    let out = dir.path().join("out.csv");
    run_ok(&[
        "run",
        s(&input),
        "-o",
        s(&out),
        "--max-article-bytes",
        "2000",
        "--summary",
        s(&summary),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&summary).unwrap()).unwrap();
    assert_eq!(json["articles"], 2);
    assert_eq!(json["quotes"], 6);
    assert_eq!(json["skipped"], 3);
    assert_eq!(
        json["skipped_by_reason"],
        serde_json::json!({ "malformed_json": 1, "missing_field": 1, "too_large": 1 })
    );
    assert_eq!(json["resumed_articles"], 0);
    assert_eq!(json["shard"], "0/1");
    assert_eq!(json["format"], "csv");
    assert_eq!(json["output"], s(&out));
    for rate in [
        "elapsed_seconds",
        "articles_per_second",
        "quotes_per_second",
    ] {
        assert!(
            json[rate].as_f64().is_some_and(|v| v >= 0.0),
            "{rate}: {json}"
        );
    }
}

#[test]
fn summary_on_stderr_is_suppressed_by_quiet_but_warnings_are_not() {
    let dir = scratch();
    let input = mixed_input(dir.path());
    let args = [
        "run",
        s(&input),
        "--skip-classify",
        "--max-article-bytes",
        "2000",
    ];
    let loud = bin().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&loud.stderr);
    assert!(
        stderr.contains("2 articles, 6 quotes, 3 records skipped")
            && stderr.contains("articles/s")
            && stderr.contains("quotes/s")
            && stderr.contains("malformed_json 1, missing_field 1, too_large 1"),
        "{stderr}"
    );
    let quiet = bin().args(args).arg("--quiet").output().unwrap();
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(!stderr.contains("quotestance:"), "{stderr}");
    assert_eq!(stderr.matches("warning:").count(), 3, "{stderr}");
}

#[test]
fn stdin_rows_are_written_before_stdin_is_closed() {
    let mut child = bin()
        .args([
            "run",
            "-",
            "--format",
            "jsonl",
            "--skip-classify",
            "--quiet",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (sender, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if sender.send(line.expect("line")).is_err() {
                break;
            }
        }
    });
    // A guard against hanging forever, not a speed requirement.
    let patience = Duration::from_secs(60);
    for id in ["s1", "s2"] {
        writeln!(stdin, "{}", jsonl_line(id, ARTICLE)).expect("write");
        stdin.flush().expect("flush");
        let line = lines
            .recv_timeout(patience)
            .unwrap_or_else(|_| panic!("no row for {id} while stdin is still open"));
        let row: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(row["article_id"], id);
        for _ in 0..2 {
            lines
                .recv_timeout(patience)
                .expect("the article's other rows");
        }
    }
    drop(stdin);
    assert!(child.wait().expect("wait").success());
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".partial") || n.ends_with(".journal"))
        .collect()
}

#[test]
fn output_in_a_folder_that_cannot_be_written_is_an_error_naming_it() {
    let dir = scratch();
    let input = write(
        dir.path(),
        "in.jsonl",
        format!("{}\n", jsonl_line("a", ARTICLE)).as_bytes(),
    );
    // A path under a regular file: no one can create it, root included.
    let blocker = write(dir.path(), "not-a-folder", b"");
    let out = blocker.join("quotes.csv");
    let run = bin()
        .args([
            "run",
            s(&input),
            "-o",
            s(&out),
            "--skip-classify",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(s(&out)), "{stderr}");
    assert!(leftovers(dir.path()).is_empty());
}

/// /proc takes no new files, whoever asks (this suite may run as root, for whom a `chmod 0555`
/// folder is still writable).
#[cfg(target_os = "linux")]
#[test]
fn output_in_a_read_only_folder_is_an_error_naming_it() {
    let dir = scratch();
    let input = write(
        dir.path(),
        "in.jsonl",
        format!("{}\n", jsonl_line("a", ARTICLE)).as_bytes(),
    );
    let out = "/proc/quotestance-cannot-write-here.csv";
    let run = bin()
        .args(["run", s(&input), "-o", out, "--skip-classify", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(out), "{stderr}");
    assert!(!Path::new(out).exists());
}

#[cfg(target_os = "linux")]
#[test]
fn dev_full_is_a_clear_error() {
    let dir = scratch();
    let input = write(
        dir.path(),
        "in.jsonl",
        format!("{}\n", jsonl_line("a", ARTICLE)).as_bytes(),
    );
    let as_file = bin()
        .args([
            "run",
            s(&input),
            "-o",
            "/dev/full",
            "--skip-classify",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert_eq!(as_file.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&as_file.stderr);
    assert!(
        stderr.contains("/dev/full") && stderr.contains("No space left"),
        "{stderr}"
    );
    let metadata = fs::metadata("/dev/full").unwrap();
    assert!(!metadata.is_file(), "/dev/full must still be the device");

    let as_stdout = bin()
        .args(["run", s(&input), "--skip-classify", "--quiet"])
        .stdout(
            fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .output()
        .unwrap();
    assert_eq!(as_stdout.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&as_stdout.stderr);
    assert!(
        stderr.contains("standard output") && stderr.contains("No space left"),
        "{stderr}"
    );
}

/// A disk that fills mid-run, simulated with a file-size limit (`ulimit -f`; SIGXFSZ ignored so
/// the write fails with EFBIG instead of killing the process).
#[cfg(target_os = "linux")]
#[test]
fn write_error_mid_run_removes_the_partial_output() {
    let dir = scratch();
    let mut body = String::new();
    for k in 0..2_000 {
        body.push_str(&jsonl_line(&format!("a{k}"), ARTICLE));
        body.push('\n');
    }
    let input = write(dir.path(), "in.jsonl", body.as_bytes());
    let out = dir.path().join("quotes.csv");
    let run = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_quotestance"))
        .args([
            "run",
            s(&input),
            "-o",
            s(&out),
            "--skip-classify",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(s(&out)) && stderr.contains("File too large"),
        "{stderr}"
    );
    assert!(!out.exists());
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}
