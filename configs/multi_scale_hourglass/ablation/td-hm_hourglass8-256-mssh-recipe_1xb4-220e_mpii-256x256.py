# Sec. 5.2.1's baseline (PCKh 88.78 vs MSSH's 89.25, "+0.47"): Newell's
# plain stacked hourglass, 8 stacks x 256, one target sigma and a plain MSE
# on every stack, trained with the MSSH recipe (RMSProp 2.5e-4, 220 epochs,
# drops at 175/200, batch 4, flip, rotation, rescaling, colour jitter), so
# that it differs from td-hm_mssh8-256_1xb4-220e_mpii-256x256.py only in
# the MSSH parts: pre-processing maps, inception blocks, per-stack sigma,
# adaptive weights.
_base_ = [
    '../../_base_/datasets/mpii_256x256.py',
    '../../_base_/models/stacked_hourglass.py',
    '../../_base_/schedules/rmsprop_220e.py',
]
model = dict(
    backbone=dict(num_keypoints=16),
    head=dict(in_channels=16, out_channels=16, decoder=_base_.codec))
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=[
    *_base_.train_pipeline[:-2], dict(type='PhotometricDistortion'),
    *_base_.train_pipeline[-2:]]))
default_hooks = dict(checkpoint=dict(save_best='PCK', rule='greater'))
