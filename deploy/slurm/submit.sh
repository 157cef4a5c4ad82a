#!/usr/bin/env bash
# Submits a sharded backstop run to Slurm: the array job (one shard per task) and a merge
# job that starts only when every task has succeeded. Prints both job ids.
#
#   BACKSTOP_OUT=/shared/runs/big BACKSTOP_PATHS=10000000 BACKSTOP_SHARDS=16 \
#     deploy/slurm/submit.sh --partition=compute --account=myproj
#
# Arguments are passed to both sbatch calls (partition, account, qos, ...). Settings, from
# the environment, with their defaults:
#   BACKSTOP_SHARDS      4           array tasks = shards
#   BACKSTOP_OUT         $PWD/outputs/slurm   run directory (made absolute; must be on a
#                                    filesystem every node sees)
#   BACKSTOP_PATHS       1000000     Monte Carlo paths; set it empty for the config's
#   BACKSTOP_CHUNK_SIZE  50000       paths per chunk; needs chunks >= shards
#   BACKSTOP_BIN         backstop on PATH, else this checkout's bin/backstop (made absolute)
#   BACKSTOP_CONFIG, BACKSTOP_SEED, BACKSTOP_POLICIES, BACKSTOP_BAND_PATHS, BACKSTOP_WORKERS:
#                        see backstop-array.sbatch (defaults: the config's; cpus-per-task)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

shards=${BACKSTOP_SHARDS:-4}
export BACKSTOP_OUT=${BACKSTOP_OUT:-$PWD/outputs/slurm}
export BACKSTOP_PATHS=${BACKSTOP_PATHS-1000000}
export BACKSTOP_CHUNK_SIZE=${BACKSTOP_CHUNK_SIZE-50000}
if [ -z "${BACKSTOP_BIN:-}" ]; then
  BACKSTOP_BIN=$(command -v backstop || echo "$here/../../bin/backstop")
fi
[ -x "$BACKSTOP_BIN" ] || { echo "submit.sh: no backstop binary at $BACKSTOP_BIN (make build, or set BACKSTOP_BIN)" >&2; exit 2; }
# Batch scripts run from a spool copy, maybe on another node: give them absolute paths.
BACKSTOP_BIN=$(realpath "$BACKSTOP_BIN")
BACKSTOP_OUT=$(realpath -m "$BACKSTOP_OUT")
[ -z "${BACKSTOP_CONFIG:-}" ] || BACKSTOP_CONFIG=$(realpath "$BACKSTOP_CONFIG")
export BACKSTOP_BIN BACKSTOP_CONFIG
mkdir -p "$BACKSTOP_OUT"

array=$(sbatch --parsable --array="1-$shards" "$@" "$here/backstop-array.sbatch")
array=${array%%;*} # "id;cluster" on a multi-cluster setup
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes "$@" "$here/backstop-merge.sbatch")
merge=${merge%%;*}
echo "array job $array ($shards shards) -> $BACKSTOP_OUT"
echo "merge job $merge (after every task of $array succeeds)"
