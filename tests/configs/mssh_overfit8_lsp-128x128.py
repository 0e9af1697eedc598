# MSSH (3 stacks x 64, strides 8/4/2) with the adaptive loss weights on the
# 8-image overfit set-up, logging the weights every 50 iterations: the run
# behind benchmarks/adaptive_weights_mssh_overfit8.jsonl (docs/models.md).
#   python tools/train.py tests/configs/mssh_overfit8_lsp-128x128.py
_base_ = ['./hourglass_overfit8_lsp-128x128.py']
model = dict(
    backbone=dict(type='MultiScaleStackedHourglass', num_stacks=3,
                  scale_strides=(8, 4, 2)),
    head=dict(num_stages=3,
              loss=dict(_delete_=True, type='AdaptiveWeightedMSELoss',
                        num_stages=3)))
custom_hooks = [*_base_.custom_hooks,
                dict(type='AdaptiveWeightLoggerHook', interval=50)]
