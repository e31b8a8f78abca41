#!/usr/bin/env bash
# Sets up the CPU-only libtorch that the optional rust-bert backend (`--features rust-bert`) builds
# and runs against, and prints the environment to use it.
#
# rust-bert 0.23.0 pins tch 0.17, which needs libtorch 2.4.0 exactly. PyTorch's own download of
# libtorch is not pinned by checksum anywhere we can verify, so we take it from the PyPI wheel
# (torch 2.4.0, pinned) into a virtual environment, then delete the CUDA libraries: tch's build
# script links CUDA when libtorch_cuda is present, and the CPU kernels are all quotestance uses.
# libtorch_cpu still links the CUDA runtime and CUPTI (for its profiler), so those two small
# wheels are installed too; torch's RPATH finds them beside it.
#
# Idempotent: a second run only checks the install and prints the environment again.
#
#   scripts/setup-libtorch.sh            # installs into .libtorch/ (gitignored), prints exports
#   source .libtorch/env                 # or: eval "$(scripts/setup-libtorch.sh --print)"
#   cargo build --release --features rust-bert
#
# Environment: PYTHON (default python3; must be 3.8 to 3.12, the versions torch 2.4.0 has wheels
# for), QUOTESTANCE_LIBTORCH_DIR (default <repo>/.libtorch).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${QUOTESTANCE_LIBTORCH_DIR:-$root/.libtorch}"
python="${PYTHON:-python3}"
quiet=0
if [[ "${1:-}" == "--print" ]]; then
  quiet=1
fi

# The pins, together: changing one means changing the recipe (tch's version fixes torch's).
requirements=(
  "torch==2.4.0"
  "nvidia-cuda-runtime-cu12==12.1.105"
  "nvidia-cuda-cupti-cu12==12.1.105"
)
stamp="${requirements[*]} cpu-only"

say() {
  if [[ $quiet -eq 0 ]]; then
    echo "setup-libtorch: $*" >&2
  fi
}

venv="$dir/venv"
ready="$dir/.ready"

if [[ ! -f "$ready" || "$(cat "$ready")" != "$stamp" ]]; then
  if ! "$python" -c 'import sys; sys.exit(not ((3, 8) <= sys.version_info[:2] <= (3, 12)))'; then
    echo "setup-libtorch: $python is $("$python" --version 2>&1); torch 2.4.0 has wheels for Python 3.8 to 3.12 only (set PYTHON)" >&2
    exit 1
  fi
  say "installing ${requirements[*]} into $venv (about 800 MB to download)"
  rm -f "$ready"
  if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
  fi
  # --no-deps: torch's other dependencies (sympy, the CUDA maths libraries, ...) are Python-side
  # or GPU-only; libtorch itself needs only what is listed above.
  "$venv/bin/python" -m pip install --quiet --no-deps --no-input "${requirements[@]}"
fi

site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
libtorch="$site/torch"
lib="$libtorch/lib"
if [[ ! -f "$lib/libtorch_cpu.so" ]]; then
  echo "setup-libtorch: $lib/libtorch_cpu.so is missing; remove $dir and run again" >&2
  exit 1
fi

# CPU only: without libtorch_cuda, tch links no CUDA and needs no GPU driver.
shopt -s nullglob
cuda=("$lib"/libtorch_cuda* "$lib"/libc10_cuda* "$lib"/libcusparseLt* "$lib"/libcaffe2_nvrtc*)
shopt -u nullglob
if [[ ${#cuda[@]} -gt 0 ]]; then
  say "removing ${#cuda[@]} CUDA libraries from $lib"
  rm -f "${cuda[@]}"
fi
echo "$stamp" >"$ready"

env_file="$dir/env"
cat >"$env_file" <<EOF
export LIBTORCH="$libtorch"
export LIBTORCH_CXX11_ABI=0
export LD_LIBRARY_PATH="$lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
EOF

if [[ $quiet -eq 0 ]]; then
  say "libtorch 2.4.0 (CPU) is ready. To build and run with --features rust-bert:"
  echo "  source $env_file" >&2
  echo "or:" >&2
fi
cat "$env_file"
