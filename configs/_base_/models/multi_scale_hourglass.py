# Multi-Scale Stacked Hourglass (MSSH, seed 000) under MMPose's top-down
# estimator: 8 stacks x 256 channels, inception-resnet-A blocks, the
# pre-processing network's 32/64/128 px maps (for 256 px input) added in
# front of the hourglasses, and the adaptive per-keypoint loss weights of
# Algorithm 1 on every stack's MSE (CPMHead calls the loss stack by stack).
# The leaves add AdaptiveWeightLoggerHook to custom_hooks (MMPose's runtime
# base owns that key, so a second base may not set it).
num_stacks = 8
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='MultiScaleStackedHourglass', num_stacks=num_stacks,
                  channels=256, block='inception_a',
                  scale_strides=(8, 4, 2), fusion='add', lateral=False),
    head=dict(type='CPMHead', num_stages=num_stacks,
              deconv_out_channels=None, final_layer=None,
              loss=dict(type='AdaptiveWeightedMSELoss',
                        num_stages=num_stacks, adaptive=True,
                        use_target_weight=True)),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=True))
