# Residual Stacked Hourglass (5 stacks x 256, 2 modules per branch,
# symmetric highways) on COCO 256x192 with the poster's Methods: L2
# loss, RMSprop lr 2.5e-4 (no schedule is given: constant), its
# augmentation, flip.
_base_ = [
    '../_base_/datasets/coco_256x192.py',
    '../_base_/models/residual_stacked_hourglass.py',
    '../_base_/schedules/rmsprop_200e.py',
]
model = dict(
    backbone=dict(num_keypoints=17),
    head=dict(in_channels=17, out_channels=17, decoder=_base_.codec))
param_scheduler = []
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=[
    _base_.poster_bbox_transform if step['type'] == 'RandomBBoxTransform'
    else step for step in _base_.train_pipeline]))
auto_scale_lr = dict(base_batch_size=16)
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater'))
# The poster reports PCK on COCO ("percentage within normalized Gaussian of
# ground truth"), with neither threshold nor normaliser legible: MMPose's
# PCKAccuracy with its defaults (0.05 of the box size) is the package's
# choice, next to COCO's AP.
val_evaluator = [_base_.val_evaluator,
                 dict(type='PCKAccuracy', thr=0.05, norm_item='bbox')]
test_evaluator = val_evaluator
