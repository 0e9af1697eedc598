# DC-hourglass (8 stacks x 256, dense concat links) on MPII 256x256
# with the paper's training set-up (Adam beta1=0.1, beta2=0.99, lr 1e-4,
# batch 20, MSE) and its test protocol: Sec. 4 uses neither the flipped
# image nor the quarter-pixel shift, so the test is one pass decoded by
# plain argmax (SecondMaxHeatmap with max_weight=1 is exactly that).
_base_ = [
    '../_base_/datasets/mpii_256x256.py',
    '../_base_/models/dense_hourglass.py',
    '../_base_/schedules/adam_dc_200e.py',
]
model = dict(
    backbone=dict(num_keypoints=16),
    head=dict(in_channels=16, out_channels=16,
              decoder=dict(_base_.codec, type='SecondMaxHeatmap',
                           max_weight=1.0)),
    test_cfg=dict(flip_test=False, shift_heatmap=False))
train_dataloader = dict(batch_size=20)
default_hooks = dict(checkpoint=dict(save_best='PCK', rule='greater'))
