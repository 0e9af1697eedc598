# Yoo, Peng, Aggarwal, Residual Stacked Hourglass: 5 Newell stacks x 256,
# two residual modules per branch, highways between symmetric stacks
# (31.0M params). Set num_keypoints / in_channels / out_channels and the
# decoder in the config.
_base_ = ['./stacked_hourglass.py']
num_stacks = 5
model = dict(
    backbone=dict(type='ResidualStackedHourglass', num_stacks=num_stacks,
                  num_blocks=2, highways=True),
    head=dict(num_stages=num_stacks))
# the poster's augmentation: translation +-2% of the width, scale +-30%,
# rotation +-40 degrees (probabilities: shift 1, scale 1, rotation MMPose's
# default 0.6); configs put it in place of their RandomBBoxTransform
poster_bbox_transform = dict(
    type='RandomBBoxTransform', shift_factor=0.02, shift_prob=1.0,
    scale_factor=(0.7, 1.3), rotate_factor=40)
