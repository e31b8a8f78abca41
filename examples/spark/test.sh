#!/usr/bin/env bash
# Checks that the Spark example gives exactly the rows of a direct run: builds the binary, pipes a
# JSONL corpus through it with Spark in local mode (several partitions, so several quotestance
# processes), runs the same binary on the same file directly, and compares the two outputs with
# compare.py. Exits non-zero on any difference.
#
#   examples/spark/test.sh [CORPUS.jsonl]     # default: datasets/articles/articles.jsonl
#
# Needs Java 17+ and python3; the first run creates examples/spark/.venv with PySpark (gitignored).
# Runs extraction only, then again with the lexicon classifier (no model download needed);
# CLASSIFIER=trained adds a run with the default classifier (fetches the encoder once). That check
# relies on a quote's scores not depending on which other quotes share its encoder batch, since each
# partition batches its own quotes; compare.py allows 1e-6 for float noise.
set -euo pipefail
cd "$(dirname "$0")/../.."

CORPUS="${1:-datasets/articles/articles.jsonl}"
VENV=examples/spark/.venv
PARTITIONS="${PARTITIONS:-4}"

command -v java >/dev/null || { echo "spark example: java not found (Spark needs Java 17+)" >&2; exit 1; }
if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV (pyspark)..." >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check pyspark
fi

cargo build --release --locked --quiet
BIN="${CARGO_TARGET_DIR:-target}/release/quotestance"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

check() { # NAME, then the classifier flags for the direct run, then pipe_corpus.py's flags
  local name="$1" direct_flag="$2"
  local -a spark_flags=("${@:3}")
  echo "== $name: $CORPUS, $PARTITIONS partitions"
  # shellcheck disable=SC2086 # the flags are one or two words, split on purpose
  "$BIN" run "$CORPUS" --format jsonl --quiet $direct_flag -o "$WORK/$name-direct.jsonl"
  "$VENV/bin/python" examples/spark/pipe_corpus.py --input "$CORPUS" --output "$WORK/$name-spark" \
    --binary "$BIN" --partitions "$PARTITIONS" "${spark_flags[@]}"
  "$VENV/bin/python" examples/spark/compare.py "$WORK/$name-direct.jsonl" "$WORK/$name-spark"
}

check extraction "--skip-classify"
check lexicon "--classifier lexicon" --classifier lexicon
if [ "${CLASSIFIER:-}" = trained ]; then
  check trained "--classifier trained" --classifier trained
fi
echo "spark example: outputs identical"
