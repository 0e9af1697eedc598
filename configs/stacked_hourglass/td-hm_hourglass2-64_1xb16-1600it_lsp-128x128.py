# A small Newell hourglass (2 stacks, 64 channels) trained on the 1000 LSP
# training images at 128x128 for 1600 iterations (about 10.5 minutes on 2
# CPU cores in float32), tested on the 1000 test images, flip test on: the
# first quickstart (66.9% PCK@0.2), and the base of the tests' tiny configs.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/lsp_256x256.py',
    '../_base_/models/stacked_hourglass.py',
]

input_size = (128, 128)
codec = dict(type='MSRAHeatmap', input_size=input_size, heatmap_size=(32, 32),
             sigma=1)
max_iters = 1600

model = dict(
    # the stem is narrowed with the width (Newell's is 64, 128 for C=256):
    # at 64 channels a full-width stem would cost half of the step time
    backbone=dict(num_keypoints=14, num_stacks=2, channels=64,
                  stem_channels=(32, 64)),
    head=dict(in_channels=14, out_channels=14, num_stages=2, decoder=codec))

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
# data in the main process: on 2 cores a loader worker only competes with
# torch's threads (measured: 0.43 s/iter without, 0.48 s/iter with one)
train_dataloader = dict(
    batch_size=16, num_workers=0, persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

train_cfg = dict(_delete_=True, type='IterBasedTrainLoop',
                 max_iters=max_iters, val_interval=max_iters)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=2.5e-3))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[1200, 1450],
         gamma=0.2)
]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=100),
    checkpoint=dict(type='SafeCheckpointHook', by_epoch=False,
                    interval=max_iters, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
auto_scale_lr = dict(base_batch_size=16)
