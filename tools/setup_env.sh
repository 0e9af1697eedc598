#!/usr/bin/env bash
# Create ./.venv with the pinned OpenMMLab stack and this package (editable).
#
# Idempotent: a second run with unchanged requirements checks the imports and
# exits in seconds. Honours PIP_FIND_LINKS: when it holds a prebuilt
# mmcv-2.1.0 wheel for this Python/torch, pip reuses it; otherwise mmcv is
# compiled from its sdist with ops (about 13 minutes on 2 cores), and pip's
# wheel cache keeps the result for the next fresh venv.
#
# Environment knobs:
#   VENV=.venv           where to create the environment
#   PYTHON=python3.11    interpreter used to create it
#   HG_SKIP_TORCH=1      keep the torch/torchvision already in the venv (GPU users
#                        who installed a CUDA build themselves, see README)
#   MAX_JOBS=N           parallel compile jobs for the mmcv build (default: nproc)
set -euo pipefail

cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
REQ=requirements
STAMP="$VENV/.mmpose_hourglass_ext-setup"

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] FAILED: %s\n' "$*" >&2; exit 1; }

# step NAME WHY-IT-MIGHT-FAIL COMMAND...: run a step, name it when it fails.
step() {
    local name=$1 hint=$2; shift 2
    log "$name"
    local t0=$SECONDS
    "$@" || die "step '$name' (exit $?). $hint"
    log "  done in $((SECONDS - t0)) s"
}

fingerprint() {
    cat "$REQ"/*.txt setup.cfg pyproject.toml tools/setup_env.sh | sha256sum | cut -d' ' -f1
}

stack_imports() {
    "$VENV/bin/python" - <<'EOF' 2>/dev/null
import mmcv, mmcv.ops, mmdet, mmengine, mmpose.models, torch, torchvision
import onnx, onnxruntime  # noqa: F401  (the deploy extra)
import mmpose_hourglass_ext  # noqa: F401
assert mmcv.__version__ == '2.1.0', mmcv.__version__
EOF
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(fingerprint)" ] && stack_imports; then
    log "environment in $VENV is up to date (delete $STAMP to force a reinstall)"
    exit 0
fi

t_start=$SECONDS
[ -n "$PYTHON" ] || die "no python3 found; install Python 3.11 (the tested version)"
"$PYTHON" -c 'import sys; assert sys.version_info[:2] >= (3, 8)' \
    || die "$PYTHON is too old; Python 3.11 is the tested version"

if [ ! -x "$VENV/bin/python" ]; then
    step "create virtualenv $VENV" "Debian/Ubuntu need the python3-venv package." \
        "$PYTHON" -m venv "$VENV"
fi
VENV=$(cd "$VENV" && pwd)            # absolute from here on
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
export PATH="$VENV/bin:$PATH"        # ninja from the venv, for the mmcv build

step "build tools (pip, setuptools<81, wheel, ninja)" "Is PyPI reachable?" \
    "${PIP[@]}" install -q -r "$REQ/build.txt"

if [ "${HG_SKIP_TORCH:-0}" = 1 ]; then
    "$VENV/bin/python" -c 'import torch, torchvision' \
        || die "HG_SKIP_TORCH=1 but torch/torchvision are not installed in $VENV"
    log "keeping the installed torch (HG_SKIP_TORCH=1)"
else
    step "torch + torchvision (PyPI build, ~4 GB with its CUDA libraries)" \
        "Check free disk space and that PyPI is reachable." \
        "${PIP[@]}" install -q -r "$REQ/torch.txt"
fi

if "$VENV/bin/python" -c 'import mmcv, mmcv.ops; assert mmcv.__version__ == "2.1.0"' 2>/dev/null; then
    log "mmcv 2.1.0 with ops already installed"
else
    if [ -n "${PIP_FIND_LINKS:-}" ]; then
        log "PIP_FIND_LINKS=$PIP_FIND_LINKS: a prebuilt mmcv wheel there is used if it fits"
    else
        log "no PIP_FIND_LINKS: mmcv is compiled from source unless pip's cache has it (~13 min on 2 cores)"
    fi
    # --no-build-isolation: mmcv's setup.py compiles against the torch installed above.
    step "mmcv 2.1.0 with ops, mmengine 0.10.7" \
        "Building mmcv needs gcc/g++ and the Python headers (python3-dev); see the pip output above." \
        env MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
        "${PIP[@]}" install --no-build-isolation mmcv==2.1.0 mmengine==0.10.7 "numpy<2"
fi

step "runtime needs of mmpose/mmdet" "See the pip output above." \
    "${PIP[@]}" install -q -r "$REQ/runtime.txt" -r "$REQ/tests.txt"

# --no-deps: mmpose declares chumpy, which does not build; nothing imports it.
step "mmpose 1.3.2 + mmdet 3.3.0 (--no-deps)" "See the pip output above." \
    "${PIP[@]}" install -q --no-deps mmpose==1.3.2 mmdet==3.3.0

# with its deploy extra (onnx, onnxruntime for tools/deployment/); the
# package's own requirements are numpy<2 and scipy, already satisfied
step "mmpose_hourglass_ext[deploy] (editable)" "See the pip output above." \
    "${PIP[@]}" install -q --no-build-isolation -e ".[deploy]"

log "checking the imports"
"$VENV/bin/python" - <<'EOF' || die "the installed stack does not import (traceback above)"
import mmcv, mmcv.ops, mmdet, mmengine, mmpose, mmpose.models, torch, torchvision
import mmpose_hourglass_ext
print(f'[setup] torch {torch.__version__}, torchvision {torchvision.__version__}, '
      f'mmengine {mmengine.__version__}, mmcv {mmcv.__version__}, '
      f'mmpose {mmpose.__version__}, mmdet {mmdet.__version__}')
EOF
fingerprint > "$STAMP"
log "environment ready in $VENV ($((SECONDS - t_start)) s)"
