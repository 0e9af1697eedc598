#!/usr/bin/env bash
# Shared by tools/slurm_train.sh and tools/slurm_test.sh: srun one task per
# GPU (GPUS in all, GPUS_PER_NODE per node) running a tool of this folder
# with --launcher slurm:
#   tools/slurm_run.sh TOOL.py PARTITION JOB_NAME [tool arguments]
set -euo pipefail
TOOL=$1
PARTITION=$2
JOB_NAME=$3
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-""}
HERE=$(cd "$(dirname "$0")" && pwd)
# the project's environment when there is one (tools/setup_env.sh)
DEFAULT_PYTHON=python
[ -x "$HERE/../.venv/bin/python" ] && DEFAULT_PYTHON="$HERE/../.venv/bin/python"
PYTHON=${PYTHON:-$DEFAULT_PYTHON}

PYTHONPATH="$HERE/..${PYTHONPATH:+:$PYTHONPATH}" \
srun -p "$PARTITION" \
    --job-name="$JOB_NAME" \
    --gres=gpu:"$GPUS_PER_NODE" \
    --ntasks="$GPUS" \
    --ntasks-per-node="$GPUS_PER_NODE" \
    --cpus-per-task="$CPUS_PER_TASK" \
    --kill-on-bad-exit=1 \
    $SRUN_ARGS \
    "$PYTHON" -u "$HERE/$TOOL" "${@:4}"
