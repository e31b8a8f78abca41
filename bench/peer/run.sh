#!/usr/bin/env bash
# Side by side, in one run on one machine: quotes per second of the Python stack people would
# otherwise use (sentence-transformers all-MiniLM-L6-v2 + a scikit-learn logistic-regression head)
# against quotestance's default classifier (on its default ONNX Runtime int8 backend, and on
# candle), on the same quotes, from the same model folder, with
# the same thread count. The last line is the ratio. The quotes are the news dev set with their
# context columns: quotestance reads each quote in its context window, as `run` does (so the ratio
# includes what context costs), the peer reads the quote alone, as a plain script would.
#
#   bench/peer/run.sh            # THREADS=2 RUNS=3 by default
#
# The first run builds a virtual environment in bench/peer/.venv (sentence-transformers pulls
# PyTorch: a few GB). Nothing it measures is committed; copy the ratio into the README by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."

THREADS="${THREADS:-2}"
RUNS="${RUNS:-3}"
VENV=bench/peer/.venv
QUOTES=datasets/stance/news-dev.csv
TRAIN=datasets/stance/news-train.csv

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV (sentence-transformers, scikit-learn)..." >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check sentence-transformers scikit-learn
fi

cargo build --release --quiet
BIN="${CARGO_TARGET_DIR:-target}/release/quotestance"
"$BIN" models fetch >/dev/null
MODEL="$("$BIN" models path | head -n 1)"

export OMP_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS" RAYON_NUM_THREADS="$THREADS" TOKENIZERS_PARALLELISM=false

python_rate="$("$VENV/bin/python" bench/peer/peer.py --model "$MODEL" --train "$TRAIN" --quotes "$QUOTES" --threads "$THREADS" --runs "$RUNS")"

# Median quotes/s of quotestance's default classifier on one backend.
rust_rate() {
  local rates=()
  for _ in $(seq "$RUNS"); do
    rates+=("$("$BIN" eval --quotes "$QUOTES" --backend "$1" --json 2>/dev/null | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["quotes_per_second"])')")
  done
  printf '%s\n' "${rates[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
ort_rate="$(rust_rate ort)"
candle_rate="$(rust_rate candle)"

echo "threads: $THREADS  runs: $RUNS  quotes: $(($(wc -l < "$QUOTES") - 1))"
echo "python sentence-transformers + scikit-learn: $python_rate quotes/s (median)"
echo "quotestance, candle fp32 backend:            $candle_rate quotes/s (median)"
echo "quotestance, ONNX Runtime int8 (default):    $ort_rate quotes/s (median)"
awk -v r="$candle_rate" -v p="$python_rate" 'BEGIN { printf "ratio quotestance-candle/python = %.2f\n", r / p }'
awk -v r="$ort_rate" -v p="$python_rate" 'BEGIN { printf "ratio quotestance/python = %.2f\n", r / p }'
