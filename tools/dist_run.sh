#!/usr/bin/env bash
# torchrun for tools/dist_train.sh and tools/dist_test.sh (one copy):
#   tools/dist_run.sh SCRIPT NUM_PROCS SCRIPT_ARGUMENTS... (incl. --launcher pytorch)
# One process per GPU; on a machine without GPUs the processes share the CPU
# and talk over gloo. Multi-node: set NNODES, NODE_RANK, MASTER_ADDR, PORT.
set -euo pipefail
SCRIPT=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-127.0.0.1}
HERE=$(cd "$(dirname "$0")" && pwd)
# the project's environment when there is one (tools/setup_env.sh), so the
# script works without activating it
DEFAULT_PYTHON=python
[ -x "$HERE/../.venv/bin/python" ] && DEFAULT_PYTHON="$HERE/../.venv/bin/python"
PYTHON=${PYTHON:-$DEFAULT_PYTHON}

PYTHONPATH="$HERE/..${PYTHONPATH:+:$PYTHONPATH}" \
exec "$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" --node_rank="$NODE_RANK" --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" --master_port="$PORT" \
    "$HERE/$SCRIPT" "${@:3}"
