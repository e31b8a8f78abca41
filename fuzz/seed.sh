#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ (gitignored) with starting inputs: the stored inputs of
# tests/data/fuzz/<target>/ and the repository's own articles, one article per file for the text
# targets and a few records per file for the readers (whose first two bytes are the flags and size
# limit byte that tests/fuzz_checks/mod.rs reads). Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

for target in ingest_jsonl ingest_csv segment quotes; do
  mkdir -p "fuzz/corpus/$target"
  cp tests/data/fuzz/"$target"/* "fuzz/corpus/$target/" 2>/dev/null || true
done

python3 - <<'PY'
import csv, io, json, pathlib

root = pathlib.Path(".")
corpus = root / "fuzz" / "corpus"
records = []
for path in sorted((root / "datasets" / "articles").glob("*.jsonl")) + [root / "datasets" / "sample" / "wire.jsonl"]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            records.append(json.loads(line))
texts = [r["text"] for r in records]
texts.append((root / "datasets" / "sample" / "sport-b18.txt").read_text(encoding="utf-8"))
with open(root / "datasets" / "sample" / "courts.csv", newline="", encoding="utf-8") as f:
    texts += [row["text"] for row in csv.DictReader(f)]

for k, text in enumerate(texts):
    for target in ("segment", "quotes"):
        (corpus / target / f"article-{k:03}").write_text(text, encoding="utf-8")
    # The same text split in halves: shorter inputs mutate faster.
    half = len(text) // 2
    cut = text.rfind("\n", 0, half)
    if cut > 0:
        (corpus / "quotes" / f"article-{k:03}-a").write_text(text[:cut], encoding="utf-8")

for k in range(0, len(records), 3):
    chunk = records[k : k + 3]
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chunk)
    (corpus / "ingest_jsonl" / f"records-{k:03}").write_bytes(b"\0\0" + body.encode("utf-8"))
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["id", "text"])
    for r in chunk:
        w.writerow([r["id"], r["text"]])
    (corpus / "ingest_csv" / f"records-{k:03}").write_bytes(b"\0\0" + out.getvalue().encode("utf-8"))
PY
for target in ingest_jsonl ingest_csv segment quotes; do
  echo "fuzz/corpus/$target: $(ls "fuzz/corpus/$target" | wc -l) inputs"
done
