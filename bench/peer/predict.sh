#!/usr/bin/env bash
# The Python peer's labels for the gold quotes of a held-out news set (heldout5 or heldout6,
# default heldout6: the earlier sets now train the classifier), for
#   quotestance compare … --predictions python-peer=bench/peer/out/SET-predictions.csv
# The peer (sentence-transformers all-MiniLM-L6-v2 + scikit-learn logistic regression, see
# peer.py) trains on the same labelled quotes as the shipped heads and labels the gold quote
# spans (classification only: it has no extractor). Uses the virtual environment of run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
SET="${1:-heldout6}"

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
GOLD="$OUT/$SET-gold.csv"
{ cat "datasets/news/$SET-natural_gold.csv"; tail -n +2 "datasets/news/$SET-acts_gold.csv"; } > "$GOLD"
"$VENV/bin/python" bench/peer/peer.py --model "$MODEL" \
  --train datasets/stance/news-train.csv datasets/stance/news-retired-heldout.csv datasets/articles/gold.csv \
  --predict "$GOLD" --out "$OUT/$SET-predictions.csv"
echo "wrote $OUT/$SET-predictions.csv"
