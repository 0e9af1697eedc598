# MSSH on MPII 256x256 with the paper's recipe (Sec. 5.1.3):
# RMSProp 2.5e-4, drops at 175 and 200, 220 epochs, batch 4; random
# rotation, flip, rescaling and colour jitter; MSE on every stack with the
# adaptive per-keypoint weights.
_base_ = [
    '../_base_/datasets/mpii_256x256.py',
    '../_base_/models/multi_scale_hourglass.py',
    '../_base_/schedules/rmsprop_220e.py',
]
# one target per stack, sigma growing with the stride of the stack's map
codecs = [dict(_base_.codec, sigma=_base_.codec['sigma'] *
               (stride / min(_base_.stack_strides))**0.5)
          for stride in _base_.stack_strides]
model = dict(
    backbone=dict(num_keypoints=16),
    head=dict(in_channels=16, out_channels=16, decoder=codecs[-1]))
# colour jitter on the cropped image, then the per-stack targets
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=[
    *_base_.train_pipeline[:-2], dict(type='PhotometricDistortion'),
    dict(type='GenerateTarget', multilevel=True, encoder=codecs),
    _base_.train_pipeline[-1]]))
default_hooks = dict(checkpoint=dict(save_best='PCK', rule='greater'))
# mean weight per stack and keypoint in the log and adaptive_weights.jsonl
custom_hooks = [*_base_.custom_hooks,
                dict(type='AdaptiveWeightLoggerHook', interval=50)]
