#!/usr/bin/env bash
# The CUDA numbers in one go (about 6.5 minutes on one H200):
#   1. tools/analysis/speed.py at paper size for every family and MMPose's
#      HourglassNet / SimpleBaseline, in float32, bf16 and fp16 autocast
#      -> speed_cuda.json, speed_cuda_bf16.json, speed_cuda_fp16.json
#   2. 210 iterations (5 LSP epochs of batch 24) of the soft-gated 4 x 144
#      paper config through tools/train.py --amp bf16 (mmengine's
#      AmpOptimWrapper), its speed from the log
#      -> train_cuda_bf16_sghg4-144_lsp.json
# Usage: bash tools/analysis/speed_cuda.sh [OUT_DIR]   (default benchmarks)
# Needs data/lsp (docs/datasets.md). BATCH (default 32) is the speed
# tool's training batch: the GPU configs' per-GPU batch, where a batch of 4
# (the CPU default) would leave an H200 idle between kernel launches.
# Render the docs tables afterwards with
#   for f in OUT_DIR/speed_cuda*.json; do python tools/analysis/speed.py --render $f; done
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-benchmarks}
PY=${PYTHON:-python}
BATCH=${BATCH:-32}
python_has_cuda() { $PY -c 'import torch, sys; sys.exit(not torch.cuda.is_available())'; }
python_has_cuda || { echo "speed_cuda.sh: torch sees no CUDA GPU (torch.cuda.is_available() is False)" >&2; exit 1; }
mkdir -p "$OUT"

for amp in '' bf16 fp16; do
    echo "=== speed.py ${amp:-fp32}"
    $PY tools/analysis/speed.py --device cuda --batch-size "$BATCH" --iters 5 \
        ${amp:+--amp $amp} --table '' --out "$OUT/speed_cuda${amp:+_$amp}.json"
done

CFG=configs/soft_gated_hourglass/td-hm_sghg4-144_1xb24-200e_lsp-256x256.py
WORK=${WORK:-work_dirs/speed_cuda_train_bf16}
echo "=== train.py $CFG --amp bf16, 5 epochs"
$PY tools/train.py "$CFG" --amp bf16 --no-validate --overwrite \
    --work-dir "$WORK" --cfg-options train_cfg.max_epochs=5 \
    default_hooks.logger.interval=10 train_dataloader.num_workers=8 \
    train_dataloader.persistent_workers=True
$PY tools/analysis/analyze_logs.py cal_train_time "$WORK" --batch-size 24 \
    --json-out "$OUT/train_cuda_bf16_sghg4-144_lsp.json"
