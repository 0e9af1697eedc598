# Bulat et al. 2020, "Ours (small)" (4 stacks x 144 channels) on COCO
# 256x192 (CocoMetric), with the MPII config's recipe (RMSprop, 200 epochs,
# batch 24, colour jitter added to the COCO augmentation; lr 2.5e-4 is the
# package's choice, the paper's value being lost from the text).
_base_ = [
    '../_base_/datasets/coco_256x192.py',
    '../_base_/models/soft_gated_hourglass.py',
    '../_base_/schedules/rmsprop_200e.py',
]
model = dict(
    backbone=dict(num_keypoints=17),
    head=dict(in_channels=17, out_channels=17, decoder=_base_.codec))
train_dataloader = dict(batch_size=24, dataset=dict(pipeline=[
    *_base_.train_pipeline[:-2], dict(type='PhotometricDistortion'),
    *_base_.train_pipeline[-2:]]))
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater'))
