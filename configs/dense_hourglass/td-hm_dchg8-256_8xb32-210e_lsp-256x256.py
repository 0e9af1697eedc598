# DC-hourglass (8 stacks x 256, dense concat links) on LSP 256x256
# with the standard hourglass recipe of configs/stacked_hourglass (Adam
# 5e-4, 210 epochs): differs from the Newell baseline only in the links.
_base_ = [
    '../_base_/datasets/lsp_256x256.py',
    '../_base_/models/dense_hourglass.py',
    '../_base_/schedules/adam_210e.py',
]
model = dict(
    backbone=dict(num_keypoints=14),
    head=dict(in_channels=14, out_channels=14, decoder=_base_.codec))
# the last checkpoint is the result: LSP has no validation split, and
# keeping the best one on the reported test split would select on the test
# set (docs/evaluation.md)
default_hooks = dict(checkpoint=dict(save_last=True))
