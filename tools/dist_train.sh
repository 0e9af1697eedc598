#!/usr/bin/env bash
# Distributed training with torchrun: tools/dist_train.sh CONFIG NUM_PROCS [train.py args]
# One process per GPU (CPU-only machines: processes over gloo); multi-node:
# set NNODES, NODE_RANK, MASTER_ADDR, PORT (tools/dist_run.sh).
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 CONFIG NUM_PROCS [tools/train.py arguments]" >&2
    echo "  e.g. $0 configs/stacked_hourglass/td-hm_hourglass8-256_8xb32-210e_mpii-256x256.py 8" >&2
    exit 2
fi
exec bash "$(dirname "$0")/dist_run.sh" train.py "$2" "$1" --launcher pytorch "${@:3}"
