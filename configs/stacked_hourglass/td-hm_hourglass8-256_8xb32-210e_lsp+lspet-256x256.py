# Newell's stacked hourglass (8 x 256) trained on LSP + LSP-extended, the
# papers' LSP protocol, tested on LSP test (PCK@0.2, PCP@0.5).
_base_ = [
    '../_base_/datasets/lsp_lspet_256x256.py',
    '../_base_/models/stacked_hourglass.py',
    '../_base_/schedules/adam_210e.py',
]
model = dict(
    backbone=dict(num_keypoints=14),
    head=dict(in_channels=14, out_channels=14, decoder=_base_.codec))
# the last checkpoint is the result: LSP has no validation split, and
# keeping the best one on the reported test split would select on the test
# set (docs/evaluation.md)
default_hooks = dict(checkpoint=dict(save_last=True))
