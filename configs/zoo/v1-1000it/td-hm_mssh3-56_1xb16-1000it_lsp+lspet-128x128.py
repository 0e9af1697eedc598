# Model zoo: Multi-Scale Stacked Hourglass, 3 stacks x 56 channels (0.45M),
# inception-resnet-A blocks; stack i receives the pre-processing map of
# stride 8, 4, 2 (16/32/64 px at 128 input), its target has a per-stack
# sigma (larger for the smaller scale, see docs/models.md), and the
# adaptive per-keypoint weights of Algorithm 1 (each keypoint's error share)
# weight every stack's MSE.
_base_ = ['../../_base_/zoo_v1_lsp+lspet_128x128-1000it.py']
num_stacks = 3
stack_strides = (8, 4, 2)
# our choice: sigma x sqrt(stride / smallest stride) -> 2x, 1.41x, 1x
# ... of the baseline's sigma 1 at 32x32 heatmaps
sigmas = [_base_.codec['sigma'] * (s / min(stack_strides))**0.5
          for s in stack_strides]
codecs = [dict(_base_.codec, sigma=s) for s in sigmas]
model = dict(
    backbone=dict(_delete_=True, type='MultiScaleStackedHourglass',
                  num_keypoints=14, num_stacks=num_stacks, channels=56,
                  stem_channels=(32, 56), block='inception_a',
                  scale_strides=(8, 4, 2), stack_strides=stack_strides,
                  fusion='add'),
    head=dict(type='MultiStageHeatmapHead', num_stages=num_stacks,
              decoder=codecs[-1],
              loss=dict(_delete_=True, type='AdaptiveWeightedMSELoss',
                        num_stages=num_stacks, adaptive=True,
                        normalisation='share', use_target_weight=True)))
_zoo_pipeline = [
    step if step['type'] != 'GenerateTarget' else
    dict(type='GenerateTarget', multilevel=True, encoder=codecs)
    for step in _base_.train_pipeline]
train_dataloader = dict(dataset=dict(datasets=[
    dict(type='LspDataset', data_root='data/lsp/', split='train',
         pipeline=_zoo_pipeline),
    dict(type='LspetDataset', data_root='data/lspet/',
         pipeline=_zoo_pipeline),
]))
custom_hooks = [*_base_.custom_hooks,
                dict(type='AdaptiveWeightLoggerHook', interval=50)]
