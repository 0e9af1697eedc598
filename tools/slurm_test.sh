#!/usr/bin/env bash
# Testing on a Slurm cluster, as MMPose's tools/slurm_test.sh:
#   tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [test.py args]
set -euo pipefail
if [ $# -lt 4 ]; then
    echo "usage: $0 PARTITION JOB_NAME CONFIG CHECKPOINT [tools/test.py arguments]" >&2
    exit 2
fi
exec bash "$(dirname "$0")/slurm_run.sh" test.py "$1" "$2" "$3" "$4" \
    --launcher=slurm "${@:5}"
