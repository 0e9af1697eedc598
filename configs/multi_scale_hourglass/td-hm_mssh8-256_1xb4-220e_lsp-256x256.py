# MSSH on LSP 256x256 (PCK@0.2 and PCP@0.5 in the paper's
# Tables 2-3), trained from scratch on LSP train with the MPII recipe.
_base_ = [
    '../_base_/datasets/lsp_256x256.py',
    '../_base_/models/multi_scale_hourglass.py',
    '../_base_/schedules/rmsprop_220e.py',
]
# one target per stack, sigma growing with the stride of the stack's map
codecs = [dict(_base_.codec, sigma=_base_.codec['sigma'] *
               (stride / min(_base_.stack_strides))**0.5)
          for stride in _base_.stack_strides]
model = dict(
    backbone=dict(num_keypoints=14),
    head=dict(in_channels=14, out_channels=14, decoder=codecs[-1]))
# colour jitter on the cropped image, then the per-stack targets
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=[
    *_base_.train_pipeline[:-2], dict(type='PhotometricDistortion'),
    dict(type='GenerateTarget', multilevel=True, encoder=codecs),
    _base_.train_pipeline[-1]]))
# the last checkpoint is the result: LSP has no validation split, and
# keeping the best one on the reported test split would select on the test
# set (docs/evaluation.md)
default_hooks = dict(checkpoint=dict(save_last=True))
# mean weight per stack and keypoint in the log and adaptive_weights.jsonl
custom_hooks = [*_base_.custom_hooks,
                dict(type='AdaptiveWeightLoggerHook', interval=50)]
