# Multi-Scale Stacked Hourglass (MSSH) under MMPose's top-down
# estimator: 8 stacks x 256 channels, inception-resnet-A blocks, the
# pre-processing network's 32/64/128 px maps (for 256 px input) added in
# front of the hourglasses, and the adaptive per-keypoint loss weights of
# Algorithm 1 on every stack's MSE (the head calls the loss stack by stack).
# Targets are per stack (Sec. 4.1: the heatmap's spread is large at the
# small scale, small at the large one): the head supervises stack i with
# target level i, and the dataset leaves build one codec per stack from
# `stack_strides` (sigma x sqrt(stride / 2), our rule: docs/models.md).
# The leaves add AdaptiveWeightLoggerHook to custom_hooks (MMPose's runtime
# base owns that key, so a second base may not set it).
num_stacks = 8
# the map each stack receives (= spread_scales((8, 4, 2), 8)): 32 px maps
# for stacks 0-2, 64 px for 3-5, 128 px for 6-7 at a 256 px input
stack_strides = (8, 8, 8, 4, 4, 4, 2, 2)
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='MultiScaleStackedHourglass', num_stacks=num_stacks,
                  channels=256, block='inception_a',
                  scale_strides=(8, 4, 2), stack_strides=stack_strides,
                  fusion='add', lateral=False),
    head=dict(type='MultiStageHeatmapHead', num_stages=num_stacks,
              deconv_out_channels=None, final_layer=None,
              loss=dict(type='AdaptiveWeightedMSELoss',
                        num_stages=num_stacks, adaptive=True,
                        normalisation='share', use_target_weight=True)),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=True))
