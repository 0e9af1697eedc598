# Yoo, Peng, Aggarwal, Residual Stacked Hourglass: 5 Newell stacks x 256
# with two residual modules per branch and highways between symmetric
# stacks (31.0M params), on MPII 256x256, with the poster's Methods:
# L2 loss, RMSprop lr 2.5e-4 (no schedule is given: constant), translation
# +-2% of the width, scale +-30%, rotation +-40 degrees, flip.
_base_ = [
    '../_base_/datasets/mpii_256x256.py',
    '../_base_/models/stacked_hourglass.py',
    '../_base_/schedules/rmsprop_200e.py',
]
num_stacks = 5
model = dict(
    backbone=dict(type='ResidualStackedHourglass', num_keypoints=16,
                  num_stacks=num_stacks, num_blocks=2, highways=True),
    head=dict(in_channels=16, out_channels=16, num_stages=num_stacks,
              decoder=_base_.codec))
param_scheduler = []
# the poster's augmentation replaces the dataset base's RandomBBoxTransform
# (probabilities of shift 1, scale 1, rotation MMPose's default 0.6)
poster_bbox_transform = dict(
    type='RandomBBoxTransform', shift_factor=0.02, shift_prob=1.0,
    scale_factor=(0.7, 1.3), rotate_factor=40)
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=[
    poster_bbox_transform if step['type'] == 'RandomBBoxTransform' else step
    for step in _base_.train_pipeline]))
auto_scale_lr = dict(base_batch_size=16)
default_hooks = dict(checkpoint=dict(save_best='PCK', rule='greater'))
