# MSSH (3 stacks of 16 channels, inception-resnet-A, maps at strides 8/4/2)
# with the adaptive loss weights and their logger, on the tiny LSP set-up
# of stacked_hourglass_tiny_lsp-64x64.py, for a few iterations.
_base_ = ['./stacked_hourglass_tiny_lsp-64x64.py']
model = dict(
    backbone=dict(type='MultiScaleStackedHourglass', num_stacks=3,
                  scale_strides=(8, 4, 2)),
    head=dict(num_stages=3,
              loss=dict(_delete_=True, type='AdaptiveWeightedMSELoss',
                        num_stages=3)))
custom_hooks = [*_base_.custom_hooks,
                dict(type='AdaptiveWeightLoggerHook', interval=2)]
