# MSSH (seed 000) on MPII 256x256 with the paper's recipe (Sec. 5.1.3):
# RMSProp 2.5e-4, drops at 175 and 200, 220 epochs, batch 4; random
# rotation, flip, rescaling and colour jitter; MSE on every stack with the
# adaptive per-keypoint weights.
_base_ = [
    '../_base_/datasets/mpii_256x256.py',
    '../_base_/models/multi_scale_hourglass.py',
    '../_base_/schedules/rmsprop_220e.py',
]
model = dict(
    backbone=dict(num_keypoints=16),
    head=dict(in_channels=16, out_channels=16, decoder=_base_.codec))
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=[
    *_base_.train_pipeline[:-2], dict(type='PhotometricDistortion'),
    *_base_.train_pipeline[-2:]]))
default_hooks = dict(checkpoint=dict(save_best='PCK', rule='greater'))
# mean weight per stack and keypoint in the log and adaptive_weights.jsonl
custom_hooks = [*_base_.custom_hooks,
                dict(type='AdaptiveWeightLoggerHook', interval=50)]
