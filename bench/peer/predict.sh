#!/usr/bin/env bash
# The Python peer's labels for the gold quotes of the held-out news articles, for
#   quotestance compare … --predictions python-peer=bench/peer/out/heldout-predictions.csv
# The peer (sentence-transformers all-MiniLM-L6-v2 + scikit-learn logistic regression, see
# peer.py) trains on the same labelled quotes as the shipped heads and labels the gold quote
# spans (classification only: it has no extractor). Uses the virtual environment of run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=bench/peer/.venv
OUT=bench/peer/out
if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV (sentence-transformers, scikit-learn)..." >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check sentence-transformers scikit-learn
fi
cargo build --release --quiet
BIN="${CARGO_TARGET_DIR:-target}/release/quotestance"
"$BIN" models fetch >/dev/null
MODEL="$("$BIN" models path | head -n 1)"
mkdir -p "$OUT"
GOLD="$OUT/heldout-gold.csv"
{ cat datasets/news/heldout-natural_gold.csv; tail -n +2 datasets/news/heldout-acts_gold.csv; } > "$GOLD"
"$VENV/bin/python" bench/peer/peer.py --model "$MODEL" \
  --train datasets/stance/news-train.csv datasets/articles/gold.csv \
  --predict "$GOLD" --out "$OUT/heldout-predictions.csv"
echo "wrote $OUT/heldout-predictions.csv"
