# Newell et al. 2016 stacked hourglass, 8 stacks x 256 channels, on COCO
# 256x192 with MMPose's hourglass recipe (Adam, 210 epochs).
_base_ = [
    '../_base_/datasets/coco_256x192.py',
    '../_base_/models/stacked_hourglass.py',
    '../_base_/schedules/adam_210e.py',
]
model = dict(
    backbone=dict(num_keypoints=17),
    head=dict(in_channels=17, out_channels=17, decoder=_base_.codec))
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater'))
