#!/usr/bin/env bash
# Checks the deployment recipes (see deploy/check.py): the Kubernetes YAML parses and is consistent,
# the Slurm scripts pass `bash -n`, and, when the binary shards, both recipes played locally give
# the rows of a direct run. Makes deploy/.venv (PyYAML) on first use.
#
#   deploy/check.sh [CORPUS]     # QUOTESTANCE_BIN=PATH to check a binary other than target/release
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=deploy/.venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check pyyaml
fi
if [ -z "${QUOTESTANCE_BIN:-}" ]; then
  cargo build --release --locked --quiet
fi
exec "$VENV/bin/python" deploy/check.py "$@"
