//! Hostile but realistic input, as a careless or unlucky user would hand it over: outputs that
//! name an input, shard parts that do not make a whole, links and pipes in a corpus folder, broken
//! CSV quoting, byte-order marks, huge numeric ids, absurd flags. One row per case: the files, the
//! command, the exit code, what stderr must say and what stdout must (not) hold. To add a case,
//! add a row to `CASES`; `{bin}` in a setup command is the binary.

use std::fs;
use std::process::Command;

mod common;
use common::scratch;

const BIN: &str = env!("CARGO_BIN_EXE_quotestance");

/// A corpus of two articles with quotes (ids a1, a2).
const CORPUS: &str = concat!(
    r#"{"id":"a1","text":"\u201cWe are ready to talk tomorrow,\u201d said Foreign Minister Anna Berg. She added that the offer would stand until Friday."}"#,
    "\n",
    r#"{"id":"a2","text":"The opposition leader, Tom Hale, accused the government of wasting a year."}"#,
    "\n"
);

struct Case {
    name: &'static str,
    /// Files written into the scratch folder first: (path, contents).
    files: &'static [(&'static str, &'static [u8])],
    /// Shell commands run in the scratch folder after the files are written (links, pipes, earlier
    /// runs); `{bin}` is the binary.
    setup: &'static [&'static str],
    /// The command's arguments, run in the scratch folder.
    args: &'static [&'static str],
    exit: i32,
    /// Fragments stderr must contain.
    stderr: &'static [&'static str],
    /// Fragments stdout must contain, and must not contain.
    stdout: &'static [&'static str],
    stdout_not: &'static [&'static str],
    /// Files that must hold exactly these bytes afterwards (inputs left untouched), or be absent
    /// (`None`).
    files_after: &'static [(&'static str, Option<&'static [u8]>)],
}

const NONE: Case = Case {
    name: "",
    files: &[],
    setup: &[],
    args: &[],
    exit: 0,
    stderr: &[],
    stdout: &[],
    stdout_not: &[],
    files_after: &[],
};

/// Three shard parts of x.jsonl, extraction only.
const SHARDS: &[&str] = &[
    "{bin} run x.jsonl --skip-classify -q --shard 0/3 -o p0.csv",
    "{bin} run x.jsonl --skip-classify -q --shard 1/3 -o p1.csv",
    "{bin} run x.jsonl --skip-classify -q --shard 2/3 -o p2.csv",
];

const CASES: &[Case] = &[
    // The output must never overwrite an input (exit 2, nothing touched).
    Case {
        name: "output is the input",
        files: &[("x.jsonl", CORPUS.as_bytes())],
        args: &["run", "x.jsonl", "-o", "x.jsonl", "--skip-classify"],
        exit: 2,
        stderr: &["-o x.jsonl is the input x.jsonl"],
        files_after: &[("x.jsonl", Some(CORPUS.as_bytes()))],
        ..NONE
    },
    Case {
        name: "output is the input through a symlink",
        files: &[("x.jsonl", CORPUS.as_bytes())],
        setup: &["ln -s x.jsonl link.jsonl"],
        args: &["run", "x.jsonl", "-o", "link.jsonl", "--skip-classify"],
        exit: 2,
        stderr: &["is the input x.jsonl"],
        files_after: &[("x.jsonl", Some(CORPUS.as_bytes()))],
        ..NONE
    },
    Case {
        name: "output is the input by another path",
        files: &[("a/x.jsonl", CORPUS.as_bytes())],
        args: &["run", "a/x.jsonl", "-o", "./a/../a/x.jsonl", "--skip-classify"],
        exit: 2,
        stderr: &["is the input a/x.jsonl"],
        files_after: &[("a/x.jsonl", Some(CORPUS.as_bytes()))],
        ..NONE
    },
    Case {
        name: "output is a file of the input folder",
        files: &[("c/x.jsonl", CORPUS.as_bytes())],
        args: &["run", "c", "-o", "c/x.jsonl", "--skip-classify"],
        exit: 2,
        stderr: &["is the input c/x.jsonl"],
        files_after: &[("c/x.jsonl", Some(CORPUS.as_bytes()))],
        ..NONE
    },
    Case {
        name: "summary is the output",
        files: &[("x.jsonl", CORPUS.as_bytes())],
        args: &[
            "run",
            "x.jsonl",
            "-o",
            "out.csv",
            "--summary",
            "out.csv",
            "--skip-classify",
        ],
        exit: 2,
        stderr: &["-o and --summary both name out.csv"],
        files_after: &[("out.csv", None)],
        ..NONE
    },
    Case {
        name: "summary is an input",
        files: &[("x.jsonl", CORPUS.as_bytes())],
        args: &["run", "x.jsonl", "--summary", "x.jsonl", "--skip-classify"],
        exit: 2,
        stderr: &["--summary x.jsonl is the input x.jsonl"],
        files_after: &[("x.jsonl", Some(CORPUS.as_bytes()))],
        ..NONE
    },
    // merge takes exactly the parts of one complete run.
    Case {
        name: "merge output is one of its parts",
        files: &[("x.jsonl", CORPUS.as_bytes())],
        setup: SHARDS,
        args: &[
            "merge", "p0.csv", "p0.csv", "p1.csv", "p2.csv", "--inputs", "x.jsonl",
        ],
        exit: 2,
        stderr: &["the merged output p0.csv is the input p0.csv"],
        ..NONE
    },
    Case {
        name: "merge output is an input",
        files: &[("x.jsonl", CORPUS.as_bytes())],
        setup: SHARDS,
        args: &[
            "merge", "x.jsonl", "p0.csv", "p1.csv", "p2.csv", "--inputs", "x.jsonl",
        ],
        exit: 2,
        stderr: &["is the input x.jsonl"],
        files_after: &[("x.jsonl", Some(CORPUS.as_bytes()))],
        ..NONE
    },
    Case {
        name: "merge of one part of three",
        files: &[("x.jsonl", CORPUS.as_bytes())],
        setup: SHARDS,
        args: &["merge", "m.csv", "p1.csv", "--inputs", "x.jsonl"],
        exit: 1,
        stderr: &["the parts of shard 0/3, 2/3 are missing"],
        files_after: &[("m.csv", None)],
        ..NONE
    },
    Case {
        name: "merge with an input the shards never read",
        files: &[("x.jsonl", CORPUS.as_bytes()), ("y.jsonl", CORPUS.as_bytes())],
        setup: SHARDS,
        args: &[
            "merge", "m.csv", "p0.csv", "p1.csv", "p2.csv", "--inputs", "x.jsonl", "y.jsonl",
        ],
        exit: 1,
        stderr: &["made from other inputs", "y.jsonl"],
        files_after: &[("m.csv", None)],
        ..NONE
    },
    Case {
        name: "merge of a lexicon part with extraction-only parts",
        files: &[("x.jsonl", CORPUS.as_bytes())],
        setup: &[
            "{bin} run x.jsonl --skip-classify -q --shard 0/2 -o p0.csv",
            "{bin} run x.jsonl --classifier lexicon -q --shard 1/2 -o p1.csv",
        ],
        args: &["merge", "m.csv", "p0.csv", "p1.csv", "--inputs", "x.jsonl"],
        exit: 1,
        stderr: &["parts of different runs", "--skip-classify against lexicon"],
        files_after: &[("m.csv", None)],
        ..NONE
    },
    Case {
        name: "merge of a part cut short after its run",
        files: &[("x.jsonl", CORPUS.as_bytes())],
        setup: &[
            "{bin} run x.jsonl --skip-classify -q --shard 0/2 -o p0.csv",
            "{bin} run x.jsonl --skip-classify -q --shard 1/2 -o p1.csv",
            "head -c 100 p1.csv > cut.csv && mv cut.csv p1.csv",
        ],
        args: &["merge", "m.csv", "p0.csv", "p1.csv", "--inputs", "x.jsonl"],
        exit: 1,
        stderr: &["p1.csv is 100 bytes", "changed or cut short"],
        files_after: &[("m.csv", None)],
        ..NONE
    },
    Case {
        name: "merge of a part without its manifest",
        files: &[("x.jsonl", CORPUS.as_bytes())],
        setup: &[
            "{bin} run x.jsonl --skip-classify -q --shard 0/1 > p0.csv",
        ],
        args: &["merge", "m.csv", "p0.csv", "--inputs", "x.jsonl"],
        exit: 1,
        stderr: &["no manifest p0.csv.manifest"],
        files_after: &[("m.csv", None)],
        ..NONE
    },
    // Links, pipes and loops in a corpus folder are followed or reported, never dropped silently.
    Case {
        name: "a symlinked file in a folder is read",
        files: &[("data/x.jsonl", CORPUS.as_bytes())],
        setup: &["mkdir c && ln -s ../data/x.jsonl c/linked.jsonl"],
        args: &["run", "c", "--skip-classify"],
        stdout: &["a1,0,", "Anna Berg"],
        ..NONE
    },
    Case {
        name: "a symlinked folder is walked",
        files: &[("data/x.jsonl", CORPUS.as_bytes())],
        setup: &["mkdir c && ln -s ../data c/linked"],
        args: &["run", "c", "--skip-classify"],
        stdout: &["a2,0,", "Tom Hale"],
        ..NONE
    },
    Case {
        name: "a dangling link is reported",
        files: &[("c/x.jsonl", CORPUS.as_bytes())],
        setup: &["ln -s nowhere.jsonl c/dead.jsonl"],
        args: &["run", "c", "--skip-classify"],
        stderr: &["c/dead.jsonl: a symbolic link to nothing"],
        stdout: &["Anna Berg"],
        ..NONE
    },
    Case {
        name: "a pipe in a folder is reported, not read",
        files: &[("c/x.jsonl", CORPUS.as_bytes())],
        setup: &["mkfifo c/pipe.jsonl"],
        args: &["run", "c", "--skip-classify"],
        stderr: &["c/pipe.jsonl: not a regular file"],
        stdout: &["Anna Berg"],
        ..NONE
    },
    Case {
        name: "a link loop is reported",
        files: &[("c/x.jsonl", CORPUS.as_bytes())],
        setup: &["ln -s .. c/up"],
        args: &["run", "c", "--skip-classify"],
        stderr: &["symbolic link loop"],
        stdout: &["Anna Berg"],
        ..NONE
    },
    // CSV quoting that would shift text into the id column.
    Case {
        name: "csv with an unbalanced quote mark",
        files: &[(
            "bad.csv",
            b"id,text\nk1,\"Putin said \"they are targets\" in Moscow.\"\nk2,\"Speaking to journalists in Moscow, Anna Berg said the talks would resume.\"\n",
        )],
        args: &["run", "bad.csv", "--skip-classify"],
        stderr: &["bad.csv:2: unbalanced quote mark"],
        stdout: &["k2,0,"],
        stdout_not: &["k1,"],
        ..NONE
    },
    Case {
        name: "csv with an unbalanced quote mark under --strict",
        files: &[(
            "bad.csv",
            b"id,text\nk1,\"Anna Berg said it was over.\nk2,Nobody said anything.\n",
        )],
        args: &["run", "bad.csv", "--skip-classify", "--strict"],
        exit: 3,
        stderr: &["bad.csv:2: unbalanced quote mark"],
        ..NONE
    },
    Case {
        name: "csv row with more fields than the header",
        files: &[(
            "wide.csv",
            b"id,text\nk1,Anna Berg said the talks, which stalled, would resume.\nk2,\"Tom Hale said he was ready.\"\n",
        )],
        args: &["run", "wide.csv", "--skip-classify"],
        stderr: &["wide.csv:2: row has 4 fields but the header has 2"],
        stdout: &["k2,0,"],
        stdout_not: &["k1,"],
        ..NONE
    },
    // Byte-order marks and ids.
    Case {
        name: "a byte-order mark before the first JSONL record",
        files: &[("bom.jsonl", b"\xEF\xBB\xBF{\"id\":\"b1\",\"text\":\"Anna Berg said the talks would resume.\"}\n")],
        args: &["run", "bom.jsonl", "--skip-classify"],
        stdout: &["b1,0,"],
        ..NONE
    },
    Case {
        name: "a byte-order mark at the start of a text file",
        files: &[("t1.txt", "\u{feff}\u{201c}We are ready,\u{201d} said Anna Berg.".as_bytes())],
        args: &["run", "t1.txt", "--skip-classify"],
        // Offsets count from the text, not from the mark: the quote starts after the “ at 0.
        stdout: &["t1,0,1,14,direct,Anna Berg"],
        ..NONE
    },
    Case {
        name: "numeric ids are kept as written",
        files: &[(
            "ids.jsonl",
            b"{\"id\":18446744073709551617,\"text\":\"Anna Berg said the talks would resume.\"}\n{\"id\":18446744073709551616,\"text\":\"Anna Berg said the talks would resume.\"}\n{\"id\":1e2,\"text\":\"Anna Berg said the talks would resume.\"}\n",
        )],
        args: &["run", "ids.jsonl", "--skip-classify"],
        stdout: &[
            "\n18446744073709551617,0,",
            "\n18446744073709551616,0,",
            "\n1e2,0,",
        ],
        stdout_not: &["e+19", "100.0"],
        ..NONE
    },
    // Flags and inputs that cannot work.
    Case {
        name: "absurd thread count",
        args: &["run", "-", "--threads", "100000", "--skip-classify"],
        exit: 2,
        stderr: &["four threads per core"],
        ..NONE
    },
    Case {
        name: "missing input",
        args: &["run", "nowhere.jsonl", "--skip-classify"],
        exit: 1,
        stderr: &["nowhere.jsonl: No such file"],
        ..NONE
    },
    Case {
        name: "dangling link named as input",
        setup: &["ln -s nowhere.jsonl dead.jsonl"],
        args: &["run", "dead.jsonl", "--skip-classify"],
        exit: 1,
        stderr: &["dead.jsonl: No such file"],
        ..NONE
    },
    Case {
        name: "empty files are reported and are no articles",
        files: &[("e.jsonl", b""), ("e.txt", b"  \n"), ("e.csv", b"")],
        args: &["run", "e.jsonl", "e.txt", "e.csv", "--skip-classify"],
        stderr: &[
            "e.jsonl: empty file",
            "e.txt: empty file",
            "e.csv: empty file",
            "0 articles, 0 quotes, 3 records skipped",
            "skipped: empty 3",
        ],
        ..NONE
    },
];

fn run_case(case: &Case) {
    let dir = scratch();
    for (path, contents) in case.files {
        common::write(dir.path(), path, contents);
    }
    for command in case.setup {
        let status = Command::new("sh")
            .args(["-c", &command.replace("{bin}", BIN)])
            .current_dir(dir.path())
            .status()
            .expect("sh");
        assert!(status.success(), "{}: setup `{command}` failed", case.name);
    }
    let out = Command::new(BIN)
        .args(case.args)
        .current_dir(dir.path())
        .output()
        .expect("run the binary");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    let context = format!("case {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}", case.name);
    assert_eq!(out.status.code(), Some(case.exit), "{context}");
    for fragment in case.stderr {
        assert!(
            stderr.contains(fragment),
            "stderr lacks {fragment:?}: {context}"
        );
    }
    for fragment in case.stdout {
        assert!(
            stdout.contains(fragment),
            "stdout lacks {fragment:?}: {context}"
        );
    }
    for fragment in case.stdout_not {
        assert!(
            !stdout.contains(fragment),
            "stdout has {fragment:?}: {context}"
        );
    }
    for (path, expected) in case.files_after {
        let found = fs::read(dir.path().join(path)).ok();
        assert_eq!(found.as_deref(), *expected, "{path}: {context}");
    }
    assert!(
        !stderr.contains("panicked"),
        "no panic, whatever the input: {context}"
    );
}

#[test]
fn hostile_inputs_fail_or_warn_as_the_table_says() {
    assert!(CASES.len() >= 25);
    for case in CASES {
        run_case(case);
    }
}

/// A closed pipe downstream (`| head -1`) ends every subcommand quietly with exit 0 (rows are
/// written until the pipe closes; the reader has what it asked for).
#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = scratch();
    // Enough rows to fill the pipe's buffer many times over.
    let corpus: String = (0..3000)
        .map(|k| CORPUS.replace("\"a1\"", &format!("\"a1-{k}\"")))
        .collect();
    common::write(dir.path(), "big.jsonl", corpus.as_bytes());
    for command in [
        "{bin} models path | head -1",
        "{bin} run big.jsonl --skip-classify -q | head -1",
        "{bin} run big.jsonl --skip-classify -q --format jsonl | head -c 10",
        "{bin} segment big.jsonl | head -1",
    ] {
        let out = Command::new("bash")
            .args([
                "-c",
                &format!("set -o pipefail; {}", command.replace("{bin}", BIN)),
            ])
            .current_dir(dir.path())
            .output()
            .expect("bash");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{command}: {stderr}");
        assert!(
            stderr.is_empty(),
            "{command}: nothing on stderr, got {stderr}"
        );
        assert!(!out.stdout.is_empty(), "{command}");
    }
}

/// An input that exists but cannot be opened is an error before anything runs; inside a folder it
/// is a warning and the rest is read. Permissions do not stop root, so this needs another user.
#[test]
fn unreadable_inputs_follow_one_rule() {
    let dir = scratch();
    common::write(dir.path(), "c/ok.jsonl", CORPUS.as_bytes());
    let locked = common::write(dir.path(), "c/locked.jsonl", CORPUS.as_bytes());
    fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_ok() {
        eprintln!(
            "SKIPPED: unreadable_inputs_follow_one_rule (running as root: permissions do not apply)"
        );
        return;
    }
    let named = Command::new(BIN)
        .args(["run", "c/locked.jsonl", "--skip-classify"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(named.status.code(), Some(1));
    let walked = Command::new(BIN)
        .args(["run", "c", "--skip-classify"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(walked.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&walked.stderr);
    assert!(
        stderr.contains("c/locked.jsonl") && stderr.contains("cannot open"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&walked.stdout).contains("Anna Berg"));
}
