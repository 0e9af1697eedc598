# Tiny MPII entry for tests: configs/_base_/mpii_128x128.py at 64x64 with
# 16-channel stacks, 4 iterations on 16 MPII persons (no augmentation),
# validated on 16 held-out persons and tested on the 13 persons of
# data/mpii_sample.
_base_ = ['../../configs/_base_/mpii_128x128.py']

input_size = (64, 64)
codec = dict(type='MSRAHeatmap', input_size=input_size, heatmap_size=(16, 16),
             sigma=1)
model = dict(
    backbone=dict(channels=16, stem_channels=(16, 16), depth=2),
    head=dict(decoder=codec))
_sized = dict(TopdownAffine=dict(input_size=input_size),
              GenerateTarget=dict(encoder=codec))
train_pipeline = [dict(step, **_sized.get(step['type'], {}))
                  for step in _base_.train_pipeline
                  if step['type'] not in ('RandomFlip', 'RandomBBoxTransform')]
val_pipeline = [dict(step, **_sized.get(step['type'], {}))
                for step in _base_.val_pipeline]
train_dataloader = dict(batch_size=4, dataset=dict(indices=16,
                                                   pipeline=train_pipeline))
val_dataloader = dict(batch_size=8, dataset=dict(indices=16,
                                                 pipeline=val_pipeline))
test_dataloader = dict(batch_size=8, dataset=dict(pipeline=val_pipeline))
max_iters = 4
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = []
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=2))
