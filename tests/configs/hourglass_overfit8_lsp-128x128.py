# Overfit check: the quickstart model trained on the first 8 LSP training
# images (flip as the only augmentation) and tested, with flip test, on the
# same 8 images. Targets, flip and decoding agree when PCK@0.2 >= 90%.
_base_ = ['../../configs/stacked_hourglass/'
          'td-hm_hourglass2-64_1xb16-1600it_lsp-128x128.py']

input_size = (128, 128)
codec = dict(type='MSRAHeatmap', input_size=input_size, heatmap_size=(32, 32),
             sigma=1)
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='TopdownAffine', input_size=input_size),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(indices=8, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(split='train', indices=8))
test_dataloader = val_dataloader

max_iters = 300
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = []
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=max_iters))
randomness = dict(seed=0)
