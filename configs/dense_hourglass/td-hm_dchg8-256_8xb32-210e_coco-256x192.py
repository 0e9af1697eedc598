# DC-hourglass (8 stacks x 256, dense concat links) on COCO 256x192
# with the standard hourglass recipe of configs/stacked_hourglass (Adam
# 5e-4, 210 epochs): differs from the Newell baseline only in the links.
_base_ = [
    '../_base_/datasets/coco_256x192.py',
    '../_base_/models/dense_hourglass.py',
    '../_base_/schedules/adam_210e.py',
]
model = dict(
    backbone=dict(num_keypoints=17),
    head=dict(in_channels=17, out_channels=17, decoder=_base_.codec))
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater'))
