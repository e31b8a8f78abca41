#!/usr/bin/env bash
# Scale bench: does a whole-pipeline run stay within a fixed memory bound, and does it keep its
# speed from the first tenth of a large corpus to the last?
#
#   bench/scale/run.sh
#
# 1. Generates (once; reused while its size and seed match) a synthetic corpus of at least 1 GiB of
#    article text from the repository's own articles (bench/scale/gen.py: unique ids, swapped
#    surnames, shuffled paragraphs and sentences) into $WORK (default ${TMPDIR:-/tmp}/quotestance-scale).
# 2. Runs `quotestance run CORPUS --skip-classify` on it under bench/scale/monitor.py, which samples
#    the bytes written and reports peak RSS and the throughput of each tenth of the run.
# 3. Runs the default classifier on a smaller generated slice (CLASSIFIED_BYTES, 2 MB by default:
#    the classifier labels ~100 quotes/s on two cores, about 11,000 quotes here), same report.
#    It is a single chunk of the pipeline, so it reports peak RSS and overall speed, not tenths.
#    CLASSIFIED_BYTES=0 skips it.
#
# Fails (exit 1) if a run fails, its peak RSS exceeds BOUND_MIB (1024 MiB), or its last tenth is
# slower than MIN_RATIO (0.5) times its first tenth. QUOTESTANCE_BIN=PATH measures that binary
# instead of building target/release/quotestance. Not part of CI: it takes minutes and the
# figures depend on the machine. Copy the printed figures into the README by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZE_BYTES="${SIZE_BYTES:-1073741824}"
CLASSIFIED_BYTES="${CLASSIFIED_BYTES:-2000000}"
BOUND_MIB="${BOUND_MIB:-1024}"
MIN_RATIO="${MIN_RATIO:-0.5}"
THREADS="${THREADS:-$(nproc)}"
SEED="${SEED:-1}"
WORK="${WORK:-${TMPDIR:-/tmp}/quotestance-scale}"

if [ -n "${QUOTESTANCE_BIN:-}" ]; then
  BIN="$QUOTESTANCE_BIN"   # an already built binary, measured as it is
else
  cargo build --release --locked --quiet
  BIN="${CARGO_TARGET_DIR:-target}/release/quotestance"
fi
mkdir -p "$WORK"

corpus() { # NAME BYTES: generates $WORK/NAME.jsonl unless the one there was made with these settings
  local name="$1" bytes="$2"
  local meta="$WORK/$name.meta" want="bytes=$bytes seed=$SEED gen=$(sha256sum bench/scale/gen.py | cut -c1-16)"
  if [ ! -f "$WORK/$name.jsonl" ] || [ "$(head -1 "$meta" 2>/dev/null)" != "$want" ]; then
    echo "generating $WORK/$name.jsonl ($bytes bytes of article text)..." >&2
    python3 bench/scale/gen.py --out "$WORK/$name.jsonl" --bytes "$bytes" --seed "$SEED" > "$WORK/$name.totals"
    echo "$want" > "$meta"
  fi
  echo "$name: $(cat "$WORK/$name.totals")" >&2
}

status=0
corpus large "$SIZE_BYTES"
python3 bench/scale/monitor.py --label "extraction (--skip-classify)" \
  --input-bytes "$(stat -c %s "$WORK/large.jsonl")" --bound-mib "$BOUND_MIB" --min-ratio "$MIN_RATIO" \
  --output "$WORK/large.csv" -- "$BIN" run "$WORK/large.jsonl" --skip-classify --quiet --threads "$THREADS" -o "$WORK/large.csv" || status=1
rm -f "$WORK/large.csv"

if [ "$CLASSIFIED_BYTES" -gt 0 ]; then
  "$BIN" models fetch >/dev/null
  corpus classified "$CLASSIFIED_BYTES"
  python3 bench/scale/monitor.py --label "classified (trained)" \
    --input-bytes "$(stat -c %s "$WORK/classified.jsonl")" --bound-mib "$BOUND_MIB" --no-tenths --rows \
    --output "$WORK/classified.csv" -- "$BIN" run "$WORK/classified.jsonl" --quiet --threads "$THREADS" -o "$WORK/classified.csv" || status=1
  rm -f "$WORK/classified.csv"
fi
echo "threads: $THREADS, corpus kept in $WORK (delete it to free the space)"
exit "$status"
