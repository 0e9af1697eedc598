# Soft-gated HourGlass/U-Net hybrid (Bulat et al. 2020) under MMPose's
# top-down estimator. As for the Newell baseline, the backbone predicts
# every stack's heatmaps and CPMHead supervises each stack with MSE (the
# paper's Eq. 2 at the end of every stack) and flip-tests the last one.
# Presets: mmpose_hourglass_ext.models.backbones.soft_gated.PRESETS.
num_stacks = 4
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='SoftGatedHourglass', preset='tab1-8.5M',
                  gate='channel', fusion='concat'),
    head=dict(type='CPMHead', num_stages=num_stacks,
              deconv_out_channels=None, final_layer=None,
              loss=dict(type='KeypointMSELoss', use_target_weight=True)),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=True))
