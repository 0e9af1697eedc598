# Liu & Ding, Dense-connected Stacked Hourglass (DC-hourglass): 8 Newell
# stacks x 256 whose inputs concatenate the stem and every earlier stack's
# output (1x1 conv back to 256), on LSP 256x256, with the paper's
# training set-up (Adam beta1=0.1, beta2=0.99, lr 1e-4, batch 20, MSE).
_base_ = [
    '../_base_/datasets/lsp_256x256.py',
    '../_base_/models/stacked_hourglass.py',
    '../_base_/schedules/adam_dc_200e.py',
]
model = dict(
    backbone=dict(type='DenseStackedHourglass', num_keypoints=14,
                  fusion='concat', max_links=None),
    head=dict(in_channels=14, out_channels=14, decoder=_base_.codec))
train_dataloader = dict(batch_size=20)
default_hooks = dict(checkpoint=dict(save_best='PCK@0.2/Total', rule='greater'))
