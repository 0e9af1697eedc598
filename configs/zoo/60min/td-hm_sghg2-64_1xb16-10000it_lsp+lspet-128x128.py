# The model zoo's 60-minute CPU recipe, on the zoo's best family at equal
# budget (the soft-gated hourglass: highest PCK and fastest hourglass of the
# 1000-iteration zoo). The zoo's protocol (LSP + LSPET, 128x128, batch 16,
# Adam 2.5e-3, drops by 0.2 at 75% and 90%, last checkpoint, flip test)
# with a wider model, 2 stacks x 64 channels (0.87M parameters, a 1.3x
# longer step than Newell's 2 x 64 at 0.45M), trained 10x longer: 10,000
# iterations, ~27 passes over the 6000 training images: 53 minutes of 2 CPU
# cores, PCK@0.2 Total 78.1% on the LSP test set
# (benchmarks/zoo_lsp_cpu.json). Not part of `make zoo` (it lives in this subfolder):
#   python tools/analysis/zoo.py --configs configs/zoo/60min/<this file>
_base_ = ['../../_base_/zoo_lsp+lspet_128x128.py']
max_iters = 10000
model = dict(backbone=dict(
    _delete_=True, type='SoftGatedHourglass', num_keypoints=14,
    num_stacks=2, channels=64, stem_channels=(16, 64), gate='channel',
    fusion='concat'))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[7500, 9000],
         gamma=0.2)
]
default_hooks = dict(checkpoint=dict(interval=500))
