#!/usr/bin/env bash
# The CUDA numbers in one go, eager / compiled / CUDA graphs, fp32 and bf16
# (planned at about 7 minutes on one H200; each step has its own time limit
# so that one slow compilation cannot eat the rest):
#   1. eager, fp32 and bf16: every family at paper size, MMPose's
#      HourglassNet and SimpleBaseline, princeton-vl's reference 8 x 256
#      (REFERENCE, default ../shared/anchors/pytorch_stacked_hourglass) and
#      anibali's hg8 where pytorch-stacked-hourglass is installed
#      -> speed_cuda.json, speed_cuda_bf16.json
#   2. compiled (regional compilation) and compiled + CUDA graphs, bf16
#      then fp32, for Newell 8 x 256, the soft-gated and MSSH models,
#      MMPose's HourglassNet and the reference (inductor's cache makes the
#      CUDA-graph runs reuse the compiled code)
#      -> speed_cuda_bf16_compile.json, speed_cuda_bf16_cudagraphs.json,
#         speed_cuda_compile.json, speed_cuda_cudagraphs.json
#   3. kernels per training step on the GPU, eager vs compiled, bf16
#      -> ops_per_step_cuda_bf16.json
#   4. tools/train.py --cuda-graphs --amp bf16 through mmengine's runner:
#      2 LSP epochs of the soft-gated 4 x 144 (needs data/lsp)
#      -> train_cuda_bf16_cudagraphs_sghg4-144_lsp.json
# Usage: bash tools/analysis/speed_cuda.sh [OUT_DIR]   (default benchmarks)
# DRY_RUN=1 runs every step on the CPU at toy sizes (the CUDA-graph steps
# only check that they refuse there): the script's plumbing, in ~5 minutes.
# A wheel of pytorch-stacked-hourglass in WHEELS (default .whl) is installed
# for the run (the benchmark's environment only, never a dependency).
# Render the docs tables afterwards with
#   for f in OUT_DIR/speed_cuda*.json; do python tools/analysis/speed.py --render $f; done
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-benchmarks}
PY=${PYTHON:-python}
BATCH=${BATCH:-32}
REFERENCE=${REFERENCE:-../shared/anchors/pytorch_stacked_hourglass}
WHEELS=${WHEELS:-.whl}
mkdir -p "$OUT"
FAILED="$OUT/speed_cuda_failures.txt"
: > "$FAILED"

if [ -n "${DRY_RUN:-}" ]; then
    DEVICE=cpu
    SIZE=(--input-size 64 64 --batch-size 2 --iters 1 --infer-batches 1)
    ALL=(--models 'ours StackedHourglass 8x256')
    COMPILED=(--models 'ours StackedHourglass 8x256')
    LIMIT=240
else
    $PY -c 'import torch, sys; sys.exit(not torch.cuda.is_available())' || {
        echo "speed_cuda.sh: torch sees no CUDA GPU (torch.cuda.is_available() is False); DRY_RUN=1 checks the script on a CPU" >&2; exit 1; }
    DEVICE=cuda
    SIZE=(--batch-size "$BATCH" --iters 5)
    ALL=()
    COMPILED=(--models 'ours StackedHourglass 8x256'
              'ours SoftGatedHourglass tab1-8.5M'
              'ours MultiScaleStackedHourglass 8x256'
              'MMPose HourglassNet (hourglass52)')
    LIMIT=150
fi
PEERS=() REF=()
[ -f "$REFERENCE/models/posenet.py" ] && REF=(--reference "$REFERENCE") \
    && PEERS+=("${REF[@]}")
if ls "$WHEELS"/pytorch_stacked_hourglass-*.whl >/dev/null 2>&1; then
    $PY -m pip install -q --no-deps --no-index --target /tmp/anibali \
        "$WHEELS"/pytorch_stacked_hourglass-*.whl && \
        export PYTHONPATH="/tmp/anibali${PYTHONPATH:+:$PYTHONPATH}"
fi
$PY -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("stacked_hourglass") is None)' \
    && PEERS+=(--anibali)

step() {  # step NAME SECONDS ARGS...: one speed.py run, its failure noted
    local name=$1 limit=$2; shift 2
    echo "=== $name ($(date +%T), limit ${limit} s)"
    if ! timeout "$limit" $PY tools/analysis/speed.py --device "$DEVICE" \
            "${SIZE[@]}" --table '' "$@"; then
        echo "$name: failed or over ${limit} s" | tee -a "$FAILED"
    fi
}

step 'eager fp32' $((LIMIT * 2)) "${ALL[@]}" "${PEERS[@]}" \
    --out "$OUT/speed_${DEVICE}.json"
step 'eager bf16' $((LIMIT * 2)) "${ALL[@]}" "${PEERS[@]}" --amp bf16 \
    --out "$OUT/speed_${DEVICE}_bf16.json"
for amp in bf16 fp32; do
    AMP=(); [ "$amp" = bf16 ] && AMP=(--amp bf16)
    SUFFIX=${AMP:+_bf16}
    step "compiled $amp" "$LIMIT" "${COMPILED[@]}" "${AMP[@]}" \
        "${REF[@]}" --compile --out "$OUT/speed_${DEVICE}${SUFFIX}_compile.json"
    if [ "$DEVICE" = cuda ]; then
        step "CUDA graphs $amp" "$LIMIT" "${COMPILED[@]}" "${AMP[@]}" \
            "${REF[@]}" --cuda-graphs --out "$OUT/speed_cuda${SUFFIX}_cudagraphs.json"
    else  # the dry run: the mode must refuse on a CPU, naming the fix
        echo "=== CUDA graphs $amp refuses on a CPU"
        $PY tools/analysis/speed.py --device cpu --cuda-graphs 2>&1 \
            | grep -q 'needs --device cuda' \
            || echo "CUDA graphs $amp: no refusal on a CPU" | tee -a "$FAILED"
    fi
done
step 'kernels per step bf16' "$LIMIT" "${COMPILED[@]}" --amp bf16 --ops \
    --out "$OUT/ops_per_step_${DEVICE}_bf16.json"

# 4. CUDA graphs through mmengine's runner: the soft-gated 4 x 144 paper
#    config on LSP, bf16, 2 epochs (84 iterations of batch 24), its speed
#    from the log
if [ "$DEVICE" = cuda ]; then
    CFG=configs/soft_gated_hourglass/td-hm_sghg4-144_1xb24-200e_lsp-256x256.py
    WORK=${WORK:-work_dirs/speed_cuda_train_cudagraphs}
    echo "=== train.py $CFG --amp bf16 --cuda-graphs, 2 epochs ($(date +%T))"
    if timeout "$LIMIT" $PY tools/train.py "$CFG" --amp bf16 --cuda-graphs \
            --no-validate --overwrite --work-dir "$WORK" --cfg-options \
            train_cfg.max_epochs=2 train_dataloader.drop_last=True \
            default_hooks.logger.interval=10 train_dataloader.num_workers=8 \
            train_dataloader.persistent_workers=True; then
        $PY tools/analysis/analyze_logs.py cal_train_time "$WORK" \
            --batch-size 24 \
            --json-out "$OUT/train_cuda_bf16_cudagraphs_sghg4-144_lsp.json"
    else
        echo "train.py --cuda-graphs: failed or over $LIMIT s" | tee -a "$FAILED"
    fi
fi

echo "=== done ($(date +%T))"
if [ -s "$FAILED" ]; then
    cat "$FAILED"
    exit 1
fi
