"""Checks the deployment recipes, and runs them locally when the binary supports sharding.

    deploy/check.sh            # makes deploy/.venv (PyYAML) and runs this

1. deploy/kubernetes/indexed-job.yaml parses, and its two Jobs agree: an Indexed Job whose
   completions, parallelism and QUOTESTANCE_SHARDS are one number N, running `run ... --shard auto`
   with a per-index output, and a merge Job that waits for N parts.
2. The Slurm scripts pass `bash -n`.
3. If `quotestance run --help` mentions --shard: plays both recipes on this machine over a corpus
   (datasets/articles/articles.jsonl by default), one process per shard with the variables the
   scheduler would set (JOB_COMPLETION_INDEX; SLURM_ARRAY_TASK_ID/COUNT/MIN), then the merge step,
   and checks that the merged file is byte for byte what a direct run writes (merge restores the
   order of a full run).

Exits 1 on any failure.
"""

import csv
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = os.environ.get(
    "QUOTESTANCE_BIN",
    str(pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "quotestance"),
)


def fail(message: str) -> None:
    sys.exit(f"deploy check: FAIL: {message}")


def check_kubernetes() -> tuple[dict, dict, int]:
    docs = [d for d in yaml.safe_load_all((ROOT / "deploy/kubernetes/indexed-job.yaml").read_text()) if d]
    jobs = {d["metadata"]["name"]: d for d in docs}
    if set(jobs) != {"quotestance-shards", "quotestance-merge"} or any(d["kind"] != "Job" for d in docs):
        fail(f"expected the Jobs quotestance-shards and quotestance-merge, found {sorted(jobs)}")
    shards = jobs["quotestance-shards"]
    spec = shards["spec"]
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    n = int(env["QUOTESTANCE_SHARDS"]["value"])
    if spec["completionMode"] != "Indexed" or spec["completions"] != n or spec["parallelism"] != n:
        fail(f"completionMode/completions/parallelism {spec['completionMode']}/{spec['completions']}/{spec['parallelism']} do not match QUOTESTANCE_SHARDS={n}")
    if env["QUOTESTANCE_PART"]["valueFrom"]["fieldRef"]["fieldPath"] != "metadata.annotations['batch.kubernetes.io/job-completion-index']":
        fail("QUOTESTANCE_PART does not come from the completion index")
    args = container["args"]
    if args[0] != "run" or "--shard" not in args or args[args.index("--shard") + 1] != "auto":
        fail(f"the shard container does not run `run ... --shard auto`: {args}")
    if "$(QUOTESTANCE_PART)" not in args[args.index("-o") + 1]:
        fail("the output is not per index")
    merge = jobs["quotestance-merge"]["spec"]["template"]["spec"]
    wait = merge["initContainers"][0]["args"][0]
    if f"-ge {n} ]" not in wait:
        fail(f"the merge waits for a different number of parts than {n}: {wait}")
    print(f"kubernetes: 2 Jobs, {n} shards, parsed and consistent")
    return container, merge["containers"][0], n


def check_slurm() -> None:
    for script in sorted((ROOT / "deploy/slurm").iterdir()):
        subprocess.run(["bash", "-n", str(script)], check=True)
    text = (ROOT / "deploy/slurm/quotestance-array.sbatch").read_text()
    if not re.search(r"^#SBATCH --array=\d+-\d+$", text, re.M):
        fail("no contiguous #SBATCH --array line")
    print("slurm: scripts pass bash -n")


def rows(path: pathlib.Path) -> list[tuple]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, sorted(tuple(r) for r in reader)


def compare(direct: pathlib.Path, merged: pathlib.Path, what: str) -> None:
    (h1, a), (h2, b) = rows(direct), rows(merged)
    if h1 != h2 or a != b or direct.read_bytes() != merged.read_bytes():
        missing = len(set(a) - set(b))
        extra = len(set(b) - set(a))
        fail(f"{what}: merged output differs from a direct run ({len(a)} vs {len(b)} rows, {missing} missing, {extra} extra)")
    print(f"{what}: merged output is byte for byte a direct run's ({len(a)} rows)")


def run(args, env=None, **kw) -> None:
    result = subprocess.run(args, env={**os.environ, **(env or {})}, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        fail(f"{args} exited with {result.returncode}:\n{result.stderr}")


def play(corpus_file: str, container: dict, merge: dict, n: int) -> None:
    # Strip job-array variables this shell may have, so only the ones set below are seen.
    for v in ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "AWS_BATCH_JOB_ARRAY_INDEX", "QUOTESTANCE_SHARDS"):
        os.environ.pop(v, None)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        # The corpus as a folder, as the recipes mount it.
        data = tmp / "data"
        (data / "out").mkdir(parents=True)
        (data / "corpus").mkdir()
        shutil.copy(corpus_file, data / "corpus")
        corpus = str(data / "corpus")
        direct = tmp / "direct.csv"
        run([BIN, "run", corpus, "--skip-classify", "--quiet", "-o", str(direct)])

        # Kubernetes: the container's args with /data mapped to a folder here, --skip-classify
        # added (the check is about sharding, not labels), one process per index.
        for index in range(n):
            args = [a.replace("$(QUOTESTANCE_PART)", str(index)).replace("/data", str(data))
                    for a in container["args"]]
            run([BIN, *args, "--skip-classify"], env={"JOB_COMPLETION_INDEX": str(index), "QUOTESTANCE_SHARDS": str(n)})
        script = merge["args"][0].replace("/data", str(data)).replace("quotestance ", f"{BIN} ", 1)
        run(["/bin/sh", "-c", script])
        compare(direct, data / "out" / "quotes.csv", f"kubernetes ({n} indexes)")

        # Slurm: the array script as each task, then the merge script; --array=1-N to check that
        # task ids need not start at 0.
        out = tmp / "slurm"
        for task in range(1, n + 1):
            env = {"CORPUS": corpus, "OUT": str(out), "QUOTESTANCE": BIN, "SLURM_ARRAY_TASK_ID": str(task),
                   "SLURM_ARRAY_TASK_COUNT": str(n), "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": str(n),
                   "SLURM_ARRAY_TASK_STEP": "1", "SLURM_CPUS_PER_TASK": "1"}
            run(["bash", str(ROOT / "deploy/slurm/quotestance-array.sbatch"), "--skip-classify"], env=env)
        run(["bash", str(ROOT / "deploy/slurm/merge.sbatch")], env={"CORPUS": corpus, "OUT": str(out), "QUOTESTANCE": BIN})
        compare(direct, out / "quotes.csv", f"slurm (--array=1-{n})")


def main() -> None:
    container, merge, n = check_kubernetes()
    check_slurm()
    corpus = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "datasets/articles/articles.jsonl")
    help_text = subprocess.run([BIN, "run", "--help"], capture_output=True, text=True).stdout
    merge_help = subprocess.run([BIN, "merge", "--help"], capture_output=True, text=True)
    if "--shard" not in help_text or merge_help.returncode != 0:
        print(f"SKIPPED: playing the recipes ({BIN} has no `run --shard` or no `merge` yet)")
        return
    play(corpus, container, merge, n)


if __name__ == "__main__":
    main()
