#!/usr/bin/env bash
# The CUDA numbers in one go: eager / compiled / CUDA graphs, in the order
# of what the goals need (docs/benchmarks.md, "Compiling the repeated
# unit"), within BUDGET seconds (default 420: a lent device's 15 minutes
# hold its start, the install and a rerun); a step that would start with
# less than its time limit left is skipped and named.
#   1. CUDA graphs (compiled + reduce-overhead), bf16: Newell 8 x 256,
#      MSSH 8 x 256, MMPose's HourglassNet, princeton-vl's reference
#      (REFERENCE, default ../shared/anchors/pytorch_stacked_hourglass)
#      -> speed_cuda_bf16_cudagraphs.json
#   2. eager fp32, the same models and anibali's hg8 where
#      pytorch-stacked-hourglass is installed (a wheel in WHEELS, default
#      .whl, is installed for the run: the benchmark's environment only)
#      -> speed_cuda_eager_peers.json
#   3. compiled bf16 without graphs (compiles again: the CUDA-graph setting
#      is part of inductor's cache key)
#      -> speed_cuda_bf16_compile.json
#   4. tools/train.py --cuda-graphs --amp bf16 through mmengine's runner:
#      2 LSP epochs of the soft-gated 4 x 144 (needs data/lsp)
#      -> train_cuda_bf16_cudagraphs_sghg4-144_lsp.json
#   5. kernels per training step on the device, eager vs compiled, bf16
#      -> ops_per_step_cuda_bf16.json
#   6. with FULL=1: eager fp32 and bf16 of every family and MMPose's
#      models, and the fp32 compiled / CUDA-graph runs
# Usage: bash tools/analysis/speed_cuda.sh [OUT_DIR]   (default benchmarks)
# DRY_RUN=1 runs each step on the CPU at toy sizes (the CUDA-graph steps
# only check that they refuse there): the script's plumbing.
# Render the docs tables afterwards with
#   for f in OUT_DIR/speed_cuda*.json; do python tools/analysis/speed.py --render $f; done
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-benchmarks}
PY=${PYTHON:-python}
BATCH=${BATCH:-32}
BUDGET=${BUDGET:-420}
REFERENCE=${REFERENCE:-../shared/anchors/pytorch_stacked_hourglass}
WHEELS=${WHEELS:-.whl}
MODELS=(--models 'ours StackedHourglass 8x256'
        'ours MultiScaleStackedHourglass 8x256'
        'MMPose HourglassNet (hourglass52)')
if [ -n "${DRY_RUN:-}" ]; then
    DEVICE=cpu
    # 128x128: at 64x64 the reference's hourglass bottom is 1x1, where
    # inductor's CPU code generation failed (a scatter of size 1x1)
    SIZE=(--input-size 128 128 --batch-size 2 --iters 1 --infer-batches 1)
    MODELS=(--models 'ours StackedHourglass 8x256')
    BUDGET=${DRY_BUDGET:-1800}
    SCALE=5  # a CPU measures its peak and compiles slower
    BF16=()  # a CPU without native bf16 would emulate it: float32 here
else
    $PY -c 'import torch, sys; sys.exit(not torch.cuda.is_available())' || {
        echo "speed_cuda.sh: torch sees no CUDA GPU (torch.cuda.is_available() is False); DRY_RUN=1 checks the script on a CPU" >&2; exit 1; }
    DEVICE=cuda
    SIZE=(--batch-size "$BATCH" --iters 5)
    SCALE=1
    BF16=(--amp bf16)
fi
mkdir -p "$OUT"  # only once the device is known to be there
FAILED="$OUT/speed_cuda_failures.txt"
: > "$FAILED"
REF=()
[ -f "$REFERENCE/models/posenet.py" ] && REF=(--reference "$REFERENCE")
ANIBALI=()
if ls "$WHEELS"/pytorch_stacked_hourglass-*.whl >/dev/null 2>&1; then
    $PY -m pip install -q --no-deps --no-index --target /tmp/anibali \
        "$WHEELS"/pytorch_stacked_hourglass-*.whl && \
        export PYTHONPATH="/tmp/anibali${PYTHONPATH:+:$PYTHONPATH}"
fi
$PY -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("stacked_hourglass") is None)' \
    && ANIBALI=(--anibali)

step() {  # step NAME LIMIT ARGS...: one speed.py run within the budget
    local name=$1 limit=$(( $2 * SCALE )); shift 2
    if (( BUDGET - SECONDS < limit )); then
        echo "$name: skipped, $((BUDGET - SECONDS)) s of the budget left" | tee -a "$FAILED"
        return
    fi
    echo "=== $name ($(date +%T), limit ${limit} s)"
    if ! timeout "$limit" $PY tools/analysis/speed.py --device "$DEVICE" \
            "${SIZE[@]}" --table '' "$@"; then
        echo "$name: failed or over ${limit} s" | tee -a "$FAILED"
    fi
}

graphs() {  # graphs NAME LIMIT ARGS...: CUDA graphs, or their refusal on a CPU
    local name=$1 limit=$2; shift 2
    if [ "$DEVICE" = cuda ]; then
        step "$name" "$limit" "$@" --cuda-graphs
    else
        echo "=== $name must refuse on a CPU"
        local said
        said=$($PY tools/analysis/speed.py --device cpu --cuda-graphs 2>&1)
        grep -q 'needs --device cuda' <<< "$said" \
            || echo "$name: no refusal on a CPU" | tee -a "$FAILED"
    fi
}

graphs 'CUDA graphs bf16' 240 "${MODELS[@]}" "${REF[@]}" "${BF16[@]}" \
    --out "$OUT/speed_${DEVICE}_bf16_cudagraphs.json"
step 'eager fp32' 90 "${MODELS[@]}" "${REF[@]}" "${ANIBALI[@]}" \
    --out "$OUT/speed_${DEVICE}_eager_peers.json"
step 'compiled bf16' 90 "${MODELS[@]}" "${REF[@]}" "${BF16[@]}" --compile \
    --out "$OUT/speed_${DEVICE}_bf16_compile.json"
if [ "$DEVICE" = cuda ]; then
    CFG=configs/soft_gated_hourglass/td-hm_sghg4-144_1xb24-200e_lsp-256x256.py
    WORK=${WORK:-work_dirs/speed_cuda_train_cudagraphs}
    if (( BUDGET - SECONDS >= 100 )); then
        echo "=== train.py $CFG --amp bf16 --cuda-graphs, 2 epochs ($(date +%T))"
        if timeout 100 $PY tools/train.py "$CFG" --amp bf16 --cuda-graphs \
                --no-validate --overwrite --work-dir "$WORK" --cfg-options \
                train_cfg.max_epochs=2 train_dataloader.drop_last=True \
                default_hooks.logger.interval=10 \
                train_dataloader.num_workers=8 \
                train_dataloader.persistent_workers=True; then
            $PY tools/analysis/analyze_logs.py cal_train_time "$WORK" \
                --batch-size 24 \
                --json-out "$OUT/train_cuda_bf16_cudagraphs_sghg4-144_lsp.json"
        else
            echo "train.py --cuda-graphs: failed or over 100 s" | tee -a "$FAILED"
        fi
    else
        echo "train.py --cuda-graphs: skipped (budget)" | tee -a "$FAILED"
    fi
fi
step 'kernels per step bf16' 90 --models 'ours StackedHourglass 8x256' \
    "${REF[@]}" "${BF16[@]}" --ops --warm-cache \
    --out "$OUT/ops_per_step_${DEVICE}_bf16.json"
if [ -n "${FULL:-}" ]; then
    step 'eager fp32, every model' 150 --out "$OUT/speed_${DEVICE}.json"
    step 'eager bf16, every model' 150 --amp bf16 \
        --out "$OUT/speed_${DEVICE}_bf16.json"
    graphs 'CUDA graphs fp32' 240 "${MODELS[@]}" "${REF[@]}" \
        --out "$OUT/speed_${DEVICE}_cudagraphs.json"
fi

echo "=== done ($(date +%T), ${SECONDS} s)"
if [ -s "$FAILED" ]; then
    cat "$FAILED"
    exit 1
fi
