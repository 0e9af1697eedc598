# MSSH on COCO 256x192 (CocoMetric) with the MPII recipe. The
# 32/64/128 px maps of a 256 px input become 32x24, 64x48 and 128x96 maps:
# the strides (8, 4, 2) do not depend on the input size.
_base_ = [
    '../_base_/datasets/coco_256x192.py',
    '../_base_/models/multi_scale_hourglass.py',
    '../_base_/schedules/rmsprop_220e.py',
]
# one target per stack, sigma growing with the stride of the stack's map
codecs = [dict(_base_.codec, sigma=_base_.codec['sigma'] *
               (stride / min(_base_.stack_strides))**0.5)
          for stride in _base_.stack_strides]
model = dict(
    backbone=dict(num_keypoints=17),
    head=dict(in_channels=17, out_channels=17, decoder=codecs[-1]))
# colour jitter on the cropped image, then the per-stack targets
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=[
    *_base_.train_pipeline[:-2], dict(type='PhotometricDistortion'),
    dict(type='GenerateTarget', multilevel=True, encoder=codecs),
    _base_.train_pipeline[-1]]))
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater'))
# mean weight per stack and keypoint in the log and adaptive_weights.jsonl
custom_hooks = [*_base_.custom_hooks,
                dict(type='AdaptiveWeightLoggerHook', interval=50)]
