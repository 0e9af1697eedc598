#!/usr/bin/env bash
# Distributed training with torchrun: tools/dist_train.sh CONFIG NUM_PROCS [train.py args]
# One process per GPU; on a machine without GPUs the processes share the CPU
# and talk over gloo. Multi-node: set NNODES, NODE_RANK, MASTER_ADDR, PORT.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 CONFIG NUM_PROCS [tools/train.py arguments]" >&2
    echo "  e.g. $0 configs/stacked_hourglass/td-hm_hourglass8-256_8xb32-210e_mpii-256x256.py 8" >&2
    exit 2
fi
CONFIG=$1
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
"$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" --node_rank="$NODE_RANK" --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" --master_port="$PORT" \
    "$HERE/train.py" "$CONFIG" --launcher pytorch "${@:3}"
