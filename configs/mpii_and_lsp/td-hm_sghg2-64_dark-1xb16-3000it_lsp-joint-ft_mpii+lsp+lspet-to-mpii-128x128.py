# The MPII-joint model, started from the LSP-joint MPII + LSP + LSPET model
# (td-hm_sghg2-64_dark-1xb16-12000it_mpii+lsp+lspet-128x128.py) rather than
# from scratch: the LSP-joint model has already seen every image, so a
# short run teaches it MPII's joint set (its pelvis and thorax start from
# the hips' and shoulders' heatmap layers) for a quarter of a run's time.
# Convert the LSP-joint checkpoint first (make mpii does):
#   python tools/misc/convert_keypoints.py \
#       work_dirs/combined/td-hm_sghg2-64_dark-1xb16-12000it_mpii+lsp+lspet-128x128/iter_12000.pth \
#       work_dirs/sghg2-64_mpii+lsp+lspet_as_mpii.pth --to mpii
# Our choices (no paper gives a recipe for this): 3,000 iterations, Adam
# 1e-3 (0.4x the from-scratch rate) with a 100-iteration warm-up and
# cosine decay to 0, MPII's train part sampled 3x per pass (LSP 1x,
# LSPET 1x): the model's joints are MPII's and so is its test.
# Validation: the held-out MPII train images (bbox-PCK); test: the 13 MPII
# validation persons of data/mpii_sample (tools/test.py prints the MPII
# table: PCKh@0.5 per joint, Mean, AUC) -- a pipeline check, not a ranking.
_base_ = ['./td-hm_sghg2-64_dark-1xb16-12000it_mpii+lsp+lspet-to-mpii-'
          '128x128.py']
load_from = 'work_dirs/sghg2-64_mpii+lsp+lspet_as_mpii.pth'
max_iters = 3000
warmup_iters = 100
train_dataloader = dict(dataset=dict(sample_ratio_factor=[1, 1, 3]))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.1, begin=0,
         end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters,
         end=max_iters, T_max=max_iters - warmup_iters, eta_min=0),
]
