# Multi-Scale Stacked Hourglass: 3 stacks x 80 channels receiving the
# pre-processing network's 16, 32 and 64 px maps, inception-resnet-A
# blocks, per-stack sigmas, adaptive per-keypoint loss weights (Alg. 1),
# 0.89M parameters.
_base_ = ['../_base_/zoo_lsp+lspet_128x128.py']
num_stacks = 3
stack_strides = (8, 4, 2)
sigmas = [_base_.codec['sigma'] * (s / min(stack_strides))**0.5
          for s in stack_strides]
codecs = [dict(_base_.codec, sigma=s) for s in sigmas]
model = dict(
    backbone=dict(_delete_=True, type='MultiScaleStackedHourglass',
                  num_keypoints=14, num_stacks=num_stacks, channels=80,
                  stem_channels=(32, 80), block='inception_a',
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
