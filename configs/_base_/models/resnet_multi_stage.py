# ResNet-encoder multi-stage network (Su et al.) under MMPose's
# top-down estimator. The backbone returns one heatmap tensor per stage;
# MultiStageHeatmapHead supervises stage i with target level i (per-stage
# sigma) and decodes the last stage with MMPose's standard decoding. The
# leaves set the depths, the sigmas (their GenerateTarget) and the decoder.
# ImageNet weights: encoder_checkpoints=[<local .pth per stage or None>];
# nothing is downloaded.
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='ResNetMultiStage', depths=(101, 50, 50),
                  channels=256, encoder_checkpoints=None),
    head=dict(type='MultiStageHeatmapHead', num_stages=3,
              deconv_out_channels=None, final_layer=None,
              loss=dict(type='KeypointMSELoss', use_target_weight=True)),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=True))
