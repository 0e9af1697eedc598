# MSSH (seed 000) on LSP 256x256 (PCK@0.2 and PCP@0.5 in the paper's
# Tables 2-3), trained from scratch on LSP train with the MPII recipe.
_base_ = [
    '../_base_/datasets/lsp_256x256.py',
    '../_base_/models/multi_scale_hourglass.py',
    '../_base_/schedules/rmsprop_220e.py',
]
model = dict(
    backbone=dict(num_keypoints=14),
    head=dict(in_channels=14, out_channels=14, decoder=_base_.codec))
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=[
    *_base_.train_pipeline[:-2], dict(type='PhotometricDistortion'),
    *_base_.train_pipeline[-2:]]))
# the last checkpoint is the result: LSP has no validation split, and
# keeping the best one on the reported test split would select on the test
# set (docs/evaluation.md)
default_hooks = dict(checkpoint=dict(save_last=True))
# mean weight per stack and keypoint in the log and adaptive_weights.jsonl
custom_hooks = [*_base_.custom_hooks,
                dict(type='AdaptiveWeightLoggerHook', interval=50)]
