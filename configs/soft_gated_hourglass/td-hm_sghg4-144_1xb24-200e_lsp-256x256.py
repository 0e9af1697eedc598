# Bulat et al. 2020, "Ours (small)" (4 stacks x 144 channels) on LSP
# 256x256, PCK@0.2, trained from scratch with the MPII config's recipe
# (RMSprop, 200 epochs, batch 24, flip, colour jitter: the paper's; lr
# 2.5e-4, rotation +-30, scale 0.75-1.25: the package's, as the paper's
# numbers are lost from the text).
_base_ = [
    '../_base_/datasets/lsp_256x256.py',
    '../_base_/models/soft_gated_hourglass.py',
    '../_base_/schedules/rmsprop_200e.py',
]
model = dict(
    backbone=dict(num_keypoints=14),
    head=dict(in_channels=14, out_channels=14, decoder=_base_.codec))
train_dataloader = dict(batch_size=24, dataset=dict(pipeline=[
    *_base_.train_pipeline[:-2], dict(type='PhotometricDistortion'),
    *_base_.train_pipeline[-2:]]))
# the last checkpoint is the result: LSP has no validation split, and
# keeping the best one on the reported test split would select on the test
# set (docs/evaluation.md)
default_hooks = dict(checkpoint=dict(save_last=True))
