# Residual Stacked Hourglass (5 stacks x 256, 2 modules per branch,
# symmetric highways) on LSP 256x256 with the poster's Methods: L2
# loss, RMSprop lr 2.5e-4 (no schedule is given: constant), its
# augmentation, flip.
_base_ = [
    '../_base_/datasets/lsp_256x256.py',
    '../_base_/models/residual_stacked_hourglass.py',
    '../_base_/schedules/rmsprop_200e.py',
]
model = dict(
    backbone=dict(num_keypoints=14),
    head=dict(in_channels=14, out_channels=14, decoder=_base_.codec))
param_scheduler = []
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=[
    _base_.poster_bbox_transform if step['type'] == 'RandomBBoxTransform'
    else step for step in _base_.train_pipeline]))
auto_scale_lr = dict(base_batch_size=16)
# the last checkpoint is the result: LSP has no validation split, and
# keeping the best one on the reported test split would select on the test
# set (docs/evaluation.md)
default_hooks = dict(checkpoint=dict(save_last=True))
