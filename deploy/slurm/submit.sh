#!/bin/bash
# Submits the quotestance array and the merge that runs once every array task has succeeded.
#
#   deploy/slurm/submit.sh CORPUS OUT_DIR [extra sbatch options for the array, e.g. --array=0-31]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
corpus="$(realpath "$1")"
out="$(realpath -m "$2")"
shift 2
array="$(sbatch --parsable --export=ALL,CORPUS="$corpus",OUT="$out" "$@" "$here/quotestance-array.sbatch")"
array="${array%%;*}"   # --parsable prints JOBID or JOBID;CLUSTER
merge="$(sbatch --parsable --dependency=afterok:"$array" --export=ALL,CORPUS="$corpus",OUT="$out" "$here/merge.sbatch")"
echo "array job $array, merge job ${merge%%;*}: $out/quotes.csv when both are done"
