# The first model zoo's protocol (1000 iterations, float32; retired: the
# entries of configs/zoo/v1-1000it, results in
# benchmarks/zoo_v1_lsp_cpu_1000it.json). Every
# entry trains on LSP train (1000) + LSPET (data/lspet/) at 128x128 with the
# same augmentation, batch, iterations, optimizer and schedule, and is
# tested on the 1000 LSP test images with flip test. Entries differ only in
# `model` (and, where the family has per-stage targets, GenerateTarget).
# The recipe is the quickstart's (Adam 2.5e-3, batch 16, drops by 0.2 at 75%
# and 90% of the iterations), sized so the slowest entry trains in under 10
# minutes on 2 CPU cores. All values here are the package's choices.
_base_ = ['./default_runtime.py']

num_keypoints = 14
# the test set's type (MMPose's inferencer reads it to pick a detector)
dataset_type = 'LspDataset'
input_size = (128, 128)
codec = dict(type='MSRAHeatmap', input_size=input_size, heatmap_size=(32, 32),
             sigma=1)
max_iters = 1000

model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    # the baseline; leaves replace the backbone (and the head's stage count)
    backbone=dict(type='StackedHourglass', num_keypoints=num_keypoints,
                  num_stacks=2, channels=64, stem_channels=(32, 64)),
    head=dict(type='CPMHead', num_stages=2, in_channels=num_keypoints,
              out_channels=num_keypoints, deconv_out_channels=None,
              final_layer=None, decoder=codec,
              loss=dict(type='KeypointMSELoss', use_target_weight=True)),
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
# data in the main process: on 2 cores a loader worker only competes with
# torch's threads
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(type='LspDataset', data_root='data/lsp/', split='train',
                 pipeline=train_pipeline),
            dict(type='LspetDataset', data_root='data/lspet/',
                 pipeline=train_pipeline),
        ]))
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(type=dataset_type, data_root='data/lsp/', split='test',
                 test_mode=True, pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = [dict(type='LspPCKAccuracy', thr=0.2),
                 dict(type='LspPCP', thr=0.5)]
test_evaluator = val_evaluator

# the last checkpoint is the result: no checkpoint is selected on the test
# split; one every 100 iterations so a killed run resumes losing little
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=max_iters,
                 val_interval=max_iters)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=2.5e-3))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[750, 900],
         gamma=0.2)
]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=20),
    checkpoint=dict(type='SafeCheckpointHook', by_epoch=False, interval=100,
                    max_keep_ckpts=1, save_last=True))
log_processor = dict(by_epoch=False)
auto_scale_lr = dict(base_batch_size=16)
randomness = dict(seed=0)
