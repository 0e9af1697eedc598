# The two README commands:
#   make quickstart   set up if needed, train + test the small hourglass on LSP
#   make test         set up if needed, run the whole test suite
PYTHON := .venv/bin/python
QUICKSTART_CONFIG := configs/soft_gated_hourglass/td-hm_sghg2-64_dark-1xb16-2700it_lsp+lspet-128x128.py

.PHONY: setup quickstart demo zoo zoo-60min mpii test test-fast clean

setup:
	bash tools/setup_env.sh

quickstart: setup
	$(PYTHON) tools/quickstart.py $(QUICKSTART_CONFIG)

# a shipped checkpoint on an image, a folder or a video, written to
# demo_out/: make demo [MODEL=lsp|mpii] [DEMO_INPUT=path]. MODEL=lsp (the
# default): the soft-gated 2 x 64 with LSP's 14 joints (LSP PCK@0.2 78.1%);
# MODEL=mpii: the soft-gated 2 x 64 with MPII's 16 (make mpii trains it)
MODEL ?= lsp
DEMO_CONFIG_lsp := configs/zoo/td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128.py
DEMO_CONFIG_mpii := configs/mpii_and_lsp/td-hm_sghg2-64_dark-1xb16-3000it_lsp-joint-ft_mpii+lsp+lspet-to-mpii-128x128.py
DEMO_INPUT_lsp := data/lsp/images/im1002.jpg
DEMO_INPUT_mpii := $(firstword $(wildcard data/mpii_sample/images/*.jpg))
DEMO_CONFIG = $(DEMO_CONFIG_$(MODEL))
DEMO_CHECKPOINT = $(firstword $(wildcard checkpoints/$(basename $(notdir $(DEMO_CONFIG)))-*.pth))
DEMO_INPUT ?= $(DEMO_INPUT_$(MODEL))
demo: setup
	@test -n "$(DEMO_CONFIG)" || { echo "make demo: MODEL=$(MODEL) is not a shipped model; use MODEL=lsp or MODEL=mpii" >&2; exit 2; }
	@test -n "$(DEMO_CHECKPOINT)" || { echo "make demo MODEL=$(MODEL): no checkpoint of $(DEMO_CONFIG) in checkpoints/ (not shipped yet: make mpii trains it; or run tools/demo.py CONFIG CHECKPOINT INPUT)" >&2; exit 2; }
	$(PYTHON) tools/demo.py $(DEMO_CONFIG) $(DEMO_CHECKPOINT) $(DEMO_INPUT) --out-dir demo_out --heatmaps

# every configs/zoo entry trained and tested on LSP (16 entries of about an
# hour each on 2 cores); entries with a result in benchmarks/zoo_lsp_cpu.json
# are skipped and an interrupted entry resumes, so it can span sessions
zoo: setup
	$(PYTHON) tools/analysis/zoo.py

# the zoo's 60-minute CPU recipe: its soft-gated 2 x 64 entry alone
zoo-60min: setup
	$(PYTHON) tools/analysis/zoo.py --only td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128

# MPII (configs/mpii_and_lsp/), resumable across sessions like the zoo:
# the MPII + LSP + LSPET models with LSP's joints, tested on LSP (two seeds)
# -> benchmarks/mpii+lsp+lspet_lsp_cpu.json; then the models with MPII's
# joints, tested on the 13 MPII validation persons and the held-out train
# images -> benchmarks/mpii_cpu.json: first the LSP-joint model converted
# to MPII's joints and fine-tuned (3,000 iterations), then the MPII-only
# soft-gated 2 x 64 and Newell 2 x 90. About 2.5 hours a 12,000-iteration
# entry on 2 cores in float32, under an hour in the fast mode.
COMBINED := td-hm_sghg2-64_dark-1xb16-12000it_mpii+lsp+lspet-128x128
MPII_LSP_ENTRIES := $(wildcard configs/mpii_and_lsp/*mpii+lsp+lspet-128x128.py)
MPII_ENTRIES := configs/mpii_and_lsp/td-hm_sghg2-64_dark-1xb16-3000it_lsp-joint-ft_mpii+lsp+lspet-to-mpii-128x128.py \
    $(wildcard configs/mpii_and_lsp/*it_mpii-128x128.py)
AS_MPII := work_dirs/sghg2-64_mpii+lsp+lspet_as_mpii.pth
mpii: setup
	$(PYTHON) tools/analysis/zoo.py --configs $(MPII_LSP_ENTRIES) \
	    --work-dir work_dirs/combined --out benchmarks/mpii+lsp+lspet_lsp_cpu.json \
	    --table docs/mpii+lsp+lspet_lsp_cpu.md --plots docs/mpii+lsp+lspet --readme ''
	test -f $(AS_MPII) || $(PYTHON) tools/misc/convert_keypoints.py \
	    work_dirs/combined/$(COMBINED)/iter_12000.pth $(AS_MPII) --to mpii
	$(PYTHON) tools/analysis/zoo.py --configs $(MPII_ENTRIES) \
	    --work-dir work_dirs/mpii --out benchmarks/mpii_cpu.json \
	    --table docs/mpii_cpu.md --plots docs/mpii --readme ''

test: setup
	$(PYTHON) -m pytest tests -ra

# the tests not marked slow (no training runs through MMPose's runner on
# real data): about 5 minutes on 2 cores
test-fast: setup
	$(PYTHON) -m pytest tests -ra -m "not slow"

clean:
	rm -rf work_dirs demo_out .pytest_cache
