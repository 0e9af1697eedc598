# README quickstart: a small Newell hourglass (2 stacks, 64 channels, 0.36M
# parameters) trained on LSP at 128x128 for 4000 iterations, about 12 minutes
# on 2 CPU cores, then tested on the 1000 LSP test images with flip test.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/lsp_256x256.py',
]

input_size = (128, 128)
codec = dict(type='MSRAHeatmap', input_size=input_size, heatmap_size=(32, 32),
             sigma=1)
max_iters = 4000

model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='StackedHourglass', num_keypoints=14, num_stacks=2,
                  channels=64),
    # the backbone predicts each stack's heatmaps; CPMHead supervises them all
    head=dict(type='CPMHead', in_channels=14, out_channels=14, num_stages=2,
              deconv_out_channels=None, final_layer=None,
              loss=dict(type='KeypointMSELoss', use_target_weight=True),
              decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=True))

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
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

train_cfg = dict(_delete_=True, type='IterBasedTrainLoop',
                 max_iters=max_iters, val_interval=max_iters)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[3000, 3600],
         gamma=0.2)
]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=100),
    checkpoint=dict(type='CheckpointHook', by_epoch=False,
                    interval=max_iters, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
auto_scale_lr = dict(base_batch_size=16)
