"""Compare two quotestance JSONL outputs row for row; exit 1 on any difference.

    python compare.py DIRECT.jsonl SPARK_OUTPUT_DIR_OR_FILE

Rows are compared after sorting both sides canonically, by (article_id, quote_index) and then by
the whole row: Spark's part files come back in partition order, which is input order for a text
file today, but nothing in Spark's contract promises it, so the check must not depend on it. What
must hold is that both runs produce exactly the same multiset of rows. Scores (when classified)
are compared to 1e-6: a partition's process batches different quotes together than a single run
does, and batch padding can move the last bits of a float.
"""

import json
import pathlib
import sys

SCORES = ("stance_score", "sentiment_score")


def read_rows(path: pathlib.Path) -> list[dict]:
    files = sorted(path.glob("part-*")) if path.is_dir() else [path]
    if path.is_dir() and not (path / "_SUCCESS").exists():
        sys.exit(f"{path}: no _SUCCESS marker, the Spark job did not finish")
    rows = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def key(row: dict):
    fixed = {k: v for k, v in row.items() if k not in SCORES}
    return (str(row.get("article_id")), int(row.get("quote_index", -1)), json.dumps(fixed, sort_keys=True))


def same(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    for k in a:
        if k in SCORES and a[k] is not None and b[k] is not None:
            if abs(a[k] - b[k]) > 1e-6:
                return False
        elif a[k] != b[k]:
            return False
    return True


def main() -> None:
    direct = sorted(read_rows(pathlib.Path(sys.argv[1])), key=key)
    spark = sorted(read_rows(pathlib.Path(sys.argv[2])), key=key)
    if not direct:
        sys.exit("the direct run gave no rows: nothing to compare")
    differences = 0
    for k in range(max(len(direct), len(spark))):
        a = direct[k] if k < len(direct) else None
        b = spark[k] if k < len(spark) else None
        if a is None or b is None or not same(a, b):
            differences += 1
            if differences <= 5:
                print(f"row {k} differs:\n  direct: {a}\n  spark:  {b}", file=sys.stderr)
    print(f"direct: {len(direct)} rows, spark: {len(spark)} rows, {differences} differences")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
