# Newell's stacked hourglass (8 stacks, 256 channels) under MMPose's top-down
# estimator. The backbone predicts every stack's heatmaps (the next stack
# consumes them), so CPMHead has no layers of its own: it supervises each
# stack with its loss and does the flip test on the last one.
# Set num_keypoints / out_channels / in_channels / num_stages and the decoder
# in the config that uses this.
num_stacks = 8
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='StackedHourglass', num_stacks=num_stacks,
                  channels=256, depth=4, num_blocks=1),
    head=dict(type='CPMHead', num_stages=num_stacks,
              deconv_out_channels=None, final_layer=None,
              loss=dict(type='KeypointMSELoss', use_target_weight=True)),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=True))
