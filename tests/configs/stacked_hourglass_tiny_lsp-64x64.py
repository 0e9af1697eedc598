# Tiny variant of the quickstart config for tests: 2 stacks of 16 channels at
# 64x64, a few iterations on real LSP images, no workers, fixed seed.
_base_ = ['../../configs/stacked_hourglass/'
          'td-hm_hourglass2-64_1xb16-1600it_lsp-128x128.py']

input_size = (64, 64)
codec = dict(type='MSRAHeatmap', input_size=input_size, heatmap_size=(16, 16),
             sigma=1)
model = dict(
    backbone=dict(channels=16, stem_channels=(16, 16), depth=2),
    head=dict(decoder=codec))

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', shift_prob=0, rotate_factor=30,
         scale_factor=(0.75, 1.25)),
    dict(type='TopdownAffine', input_size=input_size),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=input_size),
    dict(type='PackPoseInputs'),
]
train_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(indices=16, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(indices=16, pipeline=val_pipeline))
test_dataloader = val_dataloader

max_iters = 4
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=2, max_keep_ckpts=-1, save_last=True))
randomness = dict(seed=0)
